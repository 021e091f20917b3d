/**
 * The language server on a generated 100,000-candidate review set (1,000 problems × 100 candidates):
 * time from `loophole/open` to the first page of `loophole/candidates` (against reading every summary
 * at once), time from `loophole/candidate` + didOpen to `publishDiagnostics`, and resident memory.
 *
 * Analyses are written through the store directly (no execution), so generating the set stays fast;
 * the server then sees exactly what a finished `analyze` would have left.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DidOpenTextDocumentNotification } from 'vscode-languageserver-protocol';
import type { CandidateAnalysis } from '../../contract/domain';
import { CandidateRequest, CandidatesRequest, NextUnreviewedRequest, OpenRequest } from '../../contract/lsp';
import { Store } from '../../server/src/store/store';
import { ensureBundle, removeDir, ServerProcess } from '../server/harness';
import type { BenchRow } from './types';

const PROBLEMS = 1000;
const PER_PROBLEM = 100;

function generate(dir: string): string {
  const file = path.join(dir, 'big.loophole.jsonl');
  const lines: string[] = [];
  for (let p = 0; p < PROBLEMS; p++) {
    const id = `p${p}`;
    lines.push(
      JSON.stringify({
        record: 'problem',
        id,
        style: 'function',
        entryPoint: 'f',
        statement: `Return ${p} plus x.`,
        tests: [
          { id: 't0', role: 'visible', kind: 'assert', code: `assert f(1) == ${p + 1}` },
          { id: 't1', role: 'incorrect', kind: 'assert', code: `assert f(2) == ${p + 5}` },
          { id: 't2', role: 'heldout', kind: 'assert', code: `assert f(3) == ${p + 3}` },
        ],
      }),
    );
    for (let c = 0; c < PER_PROBLEM; c++) {
      const hack = c % 10 === 0;
      const code = hack
        ? `def f(x):\n    if x == 2:\n        return ${p + 5}\n    return x + ${p}\n`
        : `def f(x):\n    # sample ${c}\n    return x + ${p}\n`;
      lines.push(
        JSON.stringify({
          record: 'candidate',
          id: `${id}/c${c}`,
          problemId: id,
          sampleIndex: c,
          promptVariant: c % 3 === 0 ? 'discourage' : 'neutral',
          model: 'bench-model',
          completion: '```python\n' + code + '```',
          code,
        }),
      );
    }
  }
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

function analysisOf(id: string, p: number, c: number): CandidateAnalysis {
  const hack = c % 10 === 0;
  const prob = hack ? 0.9 + (c % 7) / 100 : ((c * 37 + p) % 60) / 100;
  return {
    candidateId: id,
    contentHash: `bench-${id}`,
    findings: hack
      ? [
          {
            kind: 'literal-branch',
            range: { startLine: 1, endLine: 2 },
            message: 'Branches on the input 2 of test t1 and returns its expected output.',
            literal: '2',
            testId: 't1',
            weight: 0.9,
          },
        ]
      : [],
    tests: [
      { testId: 't0', outcome: 'pass', durationMs: 1 },
      { testId: 't1', outcome: hack ? 'pass' : 'fail', durationMs: 1 },
      { testId: 't2', outcome: 'pass', durationMs: 1 },
    ],
    scores: [{ scorer: 'static', probability: prob, rationale: hack ? 'literal branch' : 'nothing found' }],
    hackProbability: prob,
    category: hack ? 'special-casing' : 'none',
    isHack: prob >= 0.5,
  };
}

function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

export async function bench(): Promise<BenchRow[]> {
  ensureBundle();
  const dir = mkdtempSync(path.join(tmpdir(), 'loophole-server-bench-'));
  const rows: BenchRow[] = [];
  try {
    const file = generate(dir);

    // Cold: the first open imports the JSONL into a new store.
    const importer = await ServerProcess.start();
    let t = performance.now();
    const imported = await importer.conn.sendRequest(OpenRequest, { path: file });
    const coldImport = performance.now() - t;
    await importer.shutdown();
    if (imported.candidates !== PROBLEMS * PER_PROBLEM) throw new Error(`imported ${imported.candidates} candidates`);

    const store = Store.open(dir);
    store.tx(() => {
      for (let p = 0; p < PROBLEMS; p++) for (let c = 0; c < PER_PROBLEM; c++) store.putAnalysis(analysisOf(`p${p}/c${c}`, p, c));
    });
    // Baseline: every summary read at once, in-process (no server, no transport).
    t = performance.now();
    let all = 0;
    for (let offset = 0; ; offset += 5000) {
      const page = store.summaries({ sort: 'score', offset, limit: 5000 });
      all += page.items.length;
      if (page.items.length < 5000) break;
    }
    const allSummaries = performance.now() - t;
    store.close();
    if (all !== PROBLEMS * PER_PROBLEM) throw new Error(`read ${all} summaries`);

    // Warm: a reviewer re-opens the analysed set.
    const server = await ServerProcess.start();
    t = performance.now();
    await server.conn.sendRequest(OpenRequest, { path: file });
    const opened = performance.now() - t;
    const first = await server.conn.sendRequest(CandidatesRequest, { sort: 'score', limit: 100 });
    const openToPage = performance.now() - t;
    t = performance.now();
    await server.conn.sendRequest(CandidatesRequest, { sort: 'score', limit: 100, offset: 50_000, verdict: 'none' });
    const deepPage = performance.now() - t;

    t = performance.now();
    const next = await server.conn.sendRequest(NextUnreviewedRequest, { direction: 'next', from: first.items[50]!.id });
    const nextCold = performance.now() - t;
    t = performance.now();
    await server.conn.sendRequest(NextUnreviewedRequest, { direction: 'next', ...(next !== null ? { from: next } : {}) });
    const nextWarm = performance.now() - t;

    const id = first.items[0]!.id;
    t = performance.now();
    const d = await server.conn.sendRequest(CandidateRequest, { id });
    const published = server.notification('textDocument/publishDiagnostics', (p) => p.uri === d.uri);
    await server.conn.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri: d.uri, languageId: 'python', version: 1, text: d.candidate.code },
    });
    const diags = await published;
    const toDiagnostics = performance.now() - t;
    if (diags.diagnostics.length === 0) throw new Error(`no diagnostics for ${id}`);
    const rss = rssMiB(server.proc.pid!);
    await server.shutdown();

    const n = `${(PROBLEMS * PER_PROBLEM) / 1000}k`;
    rows.push(
      {
        name: `open → first candidates page (${n}, analysed)`,
        value: openToPage,
        unit: 'ms',
        baseline: allSummaries,
        baselineName: 'all summaries through the store API, in-process',
        target: '< 1000 ms',
      },
      { name: `  of which loophole/open (unchanged data: store opened by its import stamp)`, value: opened, unit: 'ms' },
      {
        name: 'loophole/nextUnreviewed, first call (reads the order once)',
        value: nextCold,
        unit: 'ms',
        baseline: allSummaries,
        baselineName: 'all summaries, paged',
      },
      { name: 'loophole/nextUnreviewed, next call', value: nextWarm, unit: 'ms' },
      {
        name: `candidates page at offset 50,000, filtered`,
        value: deepPage,
        unit: 'ms',
        baseline: allSummaries,
        baselineName: 'all summaries through the store API, in-process',
      },
      { name: `first loophole/open (cold import of ${n})`, value: coldImport, unit: 'ms' },
      { name: 'loophole/candidate + didOpen → publishDiagnostics', value: toDiagnostics, unit: 'ms', target: '< 200 ms' },
      { name: `server resident memory (${n} open)`, value: rss, unit: 'MiB', target: '< 1024 MiB' },
    );
  } finally {
    removeDir(dir);
  }
  return rows;
}
