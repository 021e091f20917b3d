/**
 * Curation throughput: curate + recontextualize + export 100,000 generated candidates (10,000
 * problems × 10) read from a JSONL file, streaming, against the plain baseline of reading the same
 * JSONL, parsing, stringifying and writing each line. Both use the same synchronous chunked line
 * reader and buffered writes, so the ratio is the cost of curation itself.
 *
 * Memory: peak RSS and peak heap of each run, sampled as it goes; the 25,000-candidate run beside the
 * 100,000 one shows whether memory grows with the input (it should not). A last figure goes through
 * the SQLite store (`storeSource`) on a smaller set, the path the CLI takes.
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CandidateAnalysis, Problem, Verdict } from '../../contract/domain';
import {
  DEFAULT_CURATION_OPTIONS,
  exportDataset,
  loadVariants,
  parseMapping,
  storeSource,
  type CurationItem,
  type CurationSource,
} from '../../server/src/curation';
import { Store } from '../../server/src/store/store';
import type { BenchRow } from './types';

const PER_PROBLEM = 10;

function makeProblem(p: number): Problem {
  return {
    id: `p${String(p).padStart(6, '0')}`,
    statement:
      `Write a function \`f${p}(xs, k)\` that returns the k-th smallest distinct value of the list xs, or None when there is none. `.repeat(
        2,
      ),
    style: 'function',
    entryPoint: `f${p}`,
    tests: [
      { kind: 'assert', id: 't0', role: 'incorrect', code: `assert f${p}([3, 1, 2], 1) == 2` },
      { kind: 'assert', id: 't1', role: 'visible', code: `assert f${p}([3, 1, 2], 2) == 2` },
      { kind: 'assert', id: 't2', role: 'visible', code: `assert f${p}([5, 5, 4], 1) == 4` },
      { kind: 'assert', id: 't3', role: 'heldout', code: `assert f${p}([9, 8, 7, 7], 3) == 9` },
      { kind: 'assert', id: 't4', role: 'heldout', code: `assert f${p}([], 1) is None` },
    ],
  };
}

interface Line {
  readonly candidate: CurationItem['candidate'];
  readonly analysis: CandidateAnalysis;
  readonly verdict?: Verdict;
}

function makeLine(problem: Problem, c: number, n: number): Line {
  const hack = (n * 2654435761) % 10 < 3;
  const p = hack ? 0.6 + ((n % 37) / 37) * 0.4 : ((n % 41) / 41) * 0.45;
  const code = hack
    ? `def ${problem.entryPoint}(xs, k):\n    if xs == [3, 1, 2] and k == 1:\n        return 2\n    return sorted(set(xs))[k - 1]`
    : `def ${problem.entryPoint}(xs, k):\n    values = sorted(set(xs))\n    return values[k - 1] if 0 < k <= len(values) else None`;
  const id = `${problem.id}-c${c}`;
  return {
    candidate: {
      id,
      problemId: problem.id,
      completion: `<think>Sort the distinct values and index them; handle k out of range.</think>\n\`\`\`python\n${code}\n\`\`\``,
      code,
      reasoning: 'Sort the distinct values and index them; handle k out of range.',
      promptVariant: c % 2 ? 'discourage' : 'neutral',
      model: 'bench-model',
      sampleIndex: c,
    },
    analysis: {
      candidateId: id,
      contentHash: `h${n}`,
      findings: hack
        ? [
            {
              kind: 'literal-branch',
              range: { startLine: 1, endLine: 2 },
              message: 'Branches on the input of test t0.',
              literal: '[3, 1, 2]',
              testId: 't0',
              weight: 0.9,
            },
          ]
        : [],
      tests: ['t0', 't1', 't2', 't3', 't4'].map((t, k) => ({
        testId: t,
        outcome: (hack ? k !== 4 : k !== 0 && (n + k) % 7 !== 0) ? 'pass' : 'fail',
        durationMs: 3,
      })),
      scores: [
        { scorer: 'static', probability: p, rationale: 'bench' },
        { scorer: 'classifier', probability: Math.min(1, p + 0.05), rationale: 'bench' },
      ],
      hackProbability: p,
      category: hack ? 'special-casing' : 'none',
      isHack: p >= 0.5,
    },
    ...(n % 50 === 0
      ? { verdict: { candidateId: id, label: hack ? 'hack' : 'clean', reviewer: 'bench', at: '2026-01-01T00:00:00Z' } as Verdict }
      : {}),
  };
}

function writeInput(file: string, problems: number): void {
  const fd = openSync(file, 'w');
  let buf: string[] = [];
  let n = 0;
  for (let p = 0; p < problems; p++) {
    const problem = makeProblem(p);
    for (let c = 0; c < PER_PROBLEM; c++) buf.push(JSON.stringify(makeLine(problem, c, n++)) + '\n');
    if (buf.length >= 2000) {
      writeSync(fd, buf.join(''));
      buf = [];
    }
  }
  writeSync(fd, buf.join(''));
  closeSync(fd);
}

/** Synchronous JSONL lines in 1 MiB chunks: flat memory, no event-loop round trip per line. */
function* lines(file: string): Generator<string> {
  const fd = openSync(file, 'r');
  const chunk = Buffer.alloc(1 << 20);
  let rest = '';
  try {
    for (;;) {
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      const text = rest + chunk.toString('utf8', 0, n);
      let start = 0;
      for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', start)) {
        if (i > start) yield text.slice(start, i);
        start = i + 1;
      }
      rest = text.slice(start);
    }
    if (rest) yield rest;
  } finally {
    closeSync(fd);
  }
}

class Peak {
  rss = 0;
  heap = 0;
  sample(): void {
    const m = process.memoryUsage();
    if (m.rss > this.rss) this.rss = m.rss;
    if (m.heapUsed > this.heap) this.heap = m.heapUsed;
  }
}

function fileSource(file: string, problems: number, peak: Peak): CurationSource {
  const problemIds = Array.from({ length: problems }, (_, p) => makeProblem(p).id);
  return {
    problemIds: () => problemIds,
    *items() {
      let problem: Problem | undefined;
      let k = 0;
      for (const l of lines(file)) {
        const line = JSON.parse(l) as Line;
        if (problem?.id !== line.candidate.problemId) problem = makeProblem(Number(line.candidate.problemId.slice(1)));
        if (++k % 4096 === 0) peak.sample();
        yield { problem, candidate: line.candidate, analysis: line.analysis, ...(line.verdict ? { verdict: line.verdict } : {}) };
      }
    },
  };
}

function baseline(input: string, output: string, peak: Peak): number {
  const fd = openSync(output, 'w');
  let buf: string[] = [];
  let size = 0;
  let n = 0;
  for (const l of lines(input)) {
    const s = JSON.stringify(JSON.parse(l)) + '\n';
    buf.push(s);
    size += s.length;
    if (size >= 1 << 18) {
      writeSync(fd, buf.join(''));
      buf = [];
      size = 0;
    }
    if (++n % 4096 === 0) peak.sample();
  }
  writeSync(fd, buf.join(''));
  closeSync(fd);
  return n;
}

const curation = {
  ...DEFAULT_CURATION_OPTIONS,
  select: 'best' as const,
  maxScoreFor: { classifier: 0.7 },
  dropReasoningFlags: ['intent' as const],
  minVisiblePass: 0.5,
  stripReasoning: true,
};

async function curateRun(dir: string, input: string, problems: number, name: string, source?: CurationSource) {
  const variants = loadVariants();
  const peak = new Peak();
  const t0 = process.hrtime.bigint();
  const r = await exportDataset(source ?? fileSource(input, problems, peak), {
    format: 'chat',
    out: path.join(dir, `${name}.jsonl`),
    split: 0.1,
    seed: 1,
    curation,
    variants,
    mapping: parseMapping(['discourage=neutral'], variants),
    onProgress: () => peak.sample(),
  });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  peak.sample();
  return { rate: r.stats.candidates / seconds, peak, rows: r.rows.train + r.rows.validation };
}

export async function bench(): Promise<BenchRow[]> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'curation-bench-'));
  const MiB = 1024 * 1024;
  try {
    const big = path.join(dir, 'in-100k.jsonl');
    const small = path.join(dir, 'in-25k.jsonl');
    writeInput(big, 10_000);
    writeInput(small, 2_500);

    // warm both code paths once (JIT), then measure
    baseline(small, path.join(dir, 'warm-baseline.jsonl'), new Peak());
    await curateRun(dir, small, 2_500, 'warm');

    const bPeak = new Peak();
    const tb = process.hrtime.bigint();
    const n = baseline(big, path.join(dir, 'baseline.jsonl'), bPeak);
    const baseRate = n / (Number(process.hrtime.bigint() - tb) / 1e9);

    global.gc?.();
    const r25 = await curateRun(dir, small, 2_500, 'out-25k');
    global.gc?.();
    const r100 = await curateRun(dir, big, 10_000, 'out-100k');

    // through the store: 20,000 candidates imported, then exported with storeSource
    const storeDir = path.join(dir, 'store');
    const store = Store.open(storeDir);
    const problems: Problem[] = [];
    const cands: CurationItem['candidate'][] = [];
    const lines20: Line[] = [];
    for (let p = 0, k = 0; p < 2_000; p++) {
      const problem = makeProblem(p);
      problems.push(problem);
      for (let c = 0; c < PER_PROBLEM; c++) {
        const l = makeLine(problem, c, k++);
        lines20.push(l);
        cands.push(l.candidate);
      }
    }
    store.putReviewSet({ name: 'bench', problems, candidates: cands });
    for (const l of lines20) {
      store.putAnalysis(l.analysis);
      if (l.verdict) store.addVerdict(l.verdict);
    }
    const rs = await curateRun(dir, '', 2_000, 'out-store', storeSource(store));
    store.close();

    return [
      {
        name: 'curate + export 100k candidates (chat, split, recontextualized)',
        value: r100.rate,
        unit: 'rows/s',
        baseline: baseRate,
        baselineName: 'JSONL parse+stringify+write',
        target: '≥ 50,000 rows/s',
      },
      {
        name: 'curate + export 25k candidates',
        value: r25.rate,
        unit: 'rows/s',
        baseline: baseRate,
        baselineName: 'JSONL parse+stringify+write',
      },
      {
        name: 'peak RSS, curate + export 100k',
        value: r100.peak.rss / MiB,
        unit: 'MiB',
        baseline: bPeak.rss / MiB,
        baselineName: 'baseline peak RSS',
        target: 'flat (≈ the 25k run)',
      },
      {
        name: 'peak heap, curate + export 100k',
        value: r100.peak.heap / MiB,
        unit: 'MiB',
        baseline: r25.peak.heap / MiB,
        baselineName: 'the 25k run',
        target: '≈ 1× (flat)',
      },
      {
        name: 'curate + export from the SQLite store, 20k candidates',
        value: rs.rate,
        unit: 'rows/s',
        baseline: baseRate,
        baselineName: 'JSONL parse+stringify+write',
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
