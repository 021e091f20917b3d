/**
 * How fast the curation panel's live counts come back: `loophole/curationCounts` over a real stdio
 * connection to the bundled server, on an analysed 20,000-candidate set, against the same counts
 * computed in this process straight from the same SQLite store (`curationCountsAsync(storeSource)`).
 * The ratio is what the request costs beyond the curation pass itself (JSON-RPC, the server's yields).
 * A second figure asks for counts with every reasoning flag and a per-scorer limit on.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CandidateAnalysis } from '../../contract/domain';
import { curationCountsAsync, DEFAULT_CURATION_OPTIONS, storeSource } from '../../server/src/curation';
import { CurationCountsRequest, OpenRequest } from '../../contract/lsp';
import { Store } from '../../server/src/store/store';
import { ensureBundle, ServerProcess } from '../server/harness';
import type { BenchRow } from './types';

const PROBLEMS = 2_000;
const PER_PROBLEM = 10;
const ROUNDS = 5;

function writeSet(file: string): CandidateAnalysis[] {
  const lines: string[] = [JSON.stringify({ record: 'header', format: 'loophole', version: 1, name: 'panel-bench' })];
  const analyses: CandidateAnalysis[] = [];
  for (let p = 0, n = 0; p < PROBLEMS; p++) {
    const id = `p${p}`;
    lines.push(
      JSON.stringify({
        record: 'problem',
        id,
        style: 'function',
        entryPoint: `f${p}`,
        statement: `Write f${p}(x) that returns x + ${p}.`,
        tests: [
          { id: 't0', role: 'visible', kind: 'assert', code: `assert f${p}(1) == ${p + 1}` },
          { id: 't1', role: 'heldout', kind: 'assert', code: `assert f${p}(2) == ${p + 2}` },
        ],
      }),
    );
    for (let c = 0; c < PER_PROBLEM; c++, n++) {
      const cid = `${id}-c${c}`;
      const hack = (n * 2654435761) % 10 < 3;
      const code = hack ? `def f${p}(x):\n    return ${p + 1}\n` : `def f${p}(x):\n    return x + ${p}\n`;
      lines.push(
        JSON.stringify({
          record: 'candidate',
          id: cid,
          problemId: id,
          sampleIndex: c,
          promptVariant: c % 2 ? 'discourage' : 'neutral',
          completion: code,
          code,
          reasoning: 'Add the offset.',
        }),
      );
      const prob = hack ? 0.6 + (n % 37) / 100 : (n % 41) / 100;
      analyses.push({
        candidateId: cid,
        contentHash: `h${n}`,
        findings:
          n % 9 === 0
            ? [
                {
                  kind: 'reasoning',
                  range: { startLine: 0, endLine: 0 },
                  message: 'The reasoning mentions the tests: “Add the offset.”',
                  weight: 0.3,
                },
              ]
            : [],
        tests: [
          { testId: 't0', outcome: 'pass', durationMs: 1 },
          { testId: 't1', outcome: hack ? 'fail' : 'pass', durationMs: 1 },
        ],
        scores: [
          { scorer: 'static', probability: prob, rationale: 'bench' },
          { scorer: 'classifier', probability: Math.min(1, prob + 0.05), rationale: 'bench' },
        ],
        hackProbability: prob,
        category: hack ? 'special-casing' : 'none',
        isHack: prob >= 0.5,
      } as CandidateAnalysis);
    }
  }
  writeFileSync(file, lines.join('\n') + '\n');
  return analyses;
}

async function median(fn: () => Promise<unknown>): Promise<number> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const t0 = process.hrtime.bigint();
    await fn();
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return times.sort((a, b) => a - b)[Math.floor(ROUNDS / 2)]!;
}

export async function bench(): Promise<BenchRow[]> {
  ensureBundle();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'curation-panel-bench-'));
  const server = await ServerProcess.start({});
  try {
    const file = path.join(dir, 'set.loophole.jsonl');
    const analyses = writeSet(file);
    const opened = await server.conn.sendRequest(OpenRequest, { path: file });
    // analyses written beside the server's connection (WAL): the server reads the store live
    const store = Store.openFile(opened.dbPath);
    for (const a of analyses) store.putAnalysis(a);

    const strict = { dropReasoningFlags: ['mention', 'intent', 'notice'] as const, maxScoreFor: { classifier: 0.4 } };
    const lspPlain = await median(() => server.conn.sendRequest(CurationCountsRequest, {}));
    const lspStrict = await median(() =>
      server.conn.sendRequest(CurationCountsRequest, { curation: { ...strict, dropReasoningFlags: [...strict.dropReasoningFlags] } }),
    );
    const local = await median(() => curationCountsAsync(storeSource(store).items(), DEFAULT_CURATION_OPTIONS));
    store.close();
    const n = PROBLEMS * PER_PROBLEM;
    return [
      {
        name: `loophole/curationCounts round trip, ${n} candidates`,
        value: lspPlain,
        unit: 'ms',
        baseline: local,
        baselineName: 'curationCountsAsync in process, same store',
        target: '≤ 1.5× (counts feel live)',
      },
      {
        name: `loophole/curationCounts, reasoning flags + scorer limit, ${n} candidates`,
        value: lspStrict,
        unit: 'ms',
        baseline: local,
        baselineName: 'curationCountsAsync in process, same store',
      },
    ];
  } finally {
    await server.shutdown();
    rmSync(dir, { recursive: true, force: true });
  }
}
