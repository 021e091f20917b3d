import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020';
import { PROTOCOL_SCHEMA_FILE, protocolSchemaText, REGENERATE_COMMAND } from '../../../server/src/jobs/protocolSchema';

describe('worker protocol: the JSON Schema the Python worker is tested against', () => {
  it('the committed protocol.schema.json is what the TypeBox definitions generate', () => {
    const committed = readFileSync(PROTOCOL_SCHEMA_FILE, 'utf8');
    assert.ok(
      committed === protocolSchemaText(),
      `server/python/loophole_worker/protocol.schema.json is stale: run \`${REGENERATE_COMMAND}\``,
    );
  });

  it('closes worker messages: a field the server does not know is refused, a known one accepted', () => {
    const schema = JSON.parse(protocolSchemaText()) as { $defs: Record<string, object> };
    const ajv = new Ajv2020({ strict: false });
    const worker = ajv.compile({ $defs: schema.$defs, $ref: '#/$defs/WorkerMessage' });
    assert.equal(worker({ type: 'hello', protocol: 1, worker: '0.1.0', pid: 7, python: '3.11.2' }), true);
    assert.equal(worker({ type: 'hello', protocol: 1, worker: '0.1.0', pid: 7, python: '3.11.2', host: 'x' }), false);
    assert.equal(
      worker({ type: 'result', command: 'probe', data: { devices: [{ id: 'cpu', name: 'CPU', bf16: false }], packages: {}, missing: [] } }),
      true,
    );
    assert.equal(worker({ type: 'result', command: 'probe', data: { devices: 'cpu', packages: {}, missing: [] } }), false);
    const server = ajv.compile({ $defs: schema.$defs, $ref: '#/$defs/ServerMessage' });
    assert.equal(
      server({ type: 'start', command: 'train', config: { model: 'm', data: 'd.jsonl', out_dir: 'o', device: 'cuda:1' } }),
      true,
    );
    assert.equal(server({ type: 'start', command: 'train', config: { model: 'm', data: 'd.jsonl', out_dir: 'o', device: 'gpu' } }), false);
  });
});
