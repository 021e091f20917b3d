/**
 * The worker contract as a JSON Schema file for the Python side (`loophole_worker/protocol.schema.json`),
 * generated from the TypeBox definitions of `workerProtocol.ts` and `scoring/local/monitorProtocol.ts`.
 * The worker's tests validate its real messages against it, so a field renamed or added on one side
 * only fails a test instead of a job. Messages from the worker are closed (no field the server does
 * not know); messages to it are open (the worker ignores what it does not use).
 *
 * Regenerate after changing the protocol: `npm run schema:worker`. A unit test fails while the
 * committed file differs from what this writes.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { WorkerSample as WorkerSampleSchema, ServerMessage, WORKER_PROTOCOL_VERSION, WorkerMessage } from './workerProtocol';

export const PROTOCOL_SCHEMA_FILE = path.join(__dirname, '..', '..', 'python', 'loophole_worker', 'protocol.schema.json');
export const REGENERATE_COMMAND = 'npm run schema:worker';

/** A plain-JSON copy of a schema; objects with fixed properties closed when `closed`. */
function plain(schema: unknown, closed: boolean): unknown {
  if (Array.isArray(schema)) return schema.map((s) => plain(s, closed));
  if (schema === null || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema))
    out[k] = k === 'properties' ? mapValues(v as object, (p) => plain(p, closed)) : plain(v, closed);
  if (closed && out.type === 'object' && out.properties && out.additionalProperties === undefined && out.patternProperties === undefined)
    out.additionalProperties = false;
  return out;
}

const mapValues = (o: object, f: (v: unknown) => unknown) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, f(v)]));

/** The file's content: the schema as JSON, two-space indented, with a final newline. */
export function protocolSchemaText(): string {
  const schema = {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'Loophole worker protocol',
    description: `JSON lines between the Loophole server and loophole_worker. Generated from server/src/jobs/workerProtocol.ts by \`${REGENERATE_COMMAND}\`; do not edit.`,
    protocol: WORKER_PROTOCOL_VERSION,
    $defs: {
      /** Every line the worker writes on stdout. */
      WorkerMessage: plain(WorkerMessage, true),
      /** Every line the server writes on the worker's stdin. */
      ServerMessage: plain(ServerMessage, false),
      /** One line of `samples.jsonl` (generate, eval). */
      WorkerSample: plain(WorkerSampleSchema, true),
    },
  };
  return `${JSON.stringify(schema, null, 2)}\n`;
}

if (require.main === module) {
  writeFileSync(PROTOCOL_SCHEMA_FILE, protocolSchemaText());
  process.stdout.write(`wrote ${path.relative(process.cwd(), PROTOCOL_SCHEMA_FILE)}\n`);
}
