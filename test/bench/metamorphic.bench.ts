/**
 * Test runs per second with metamorphic execution included: every candidate of the MBPP dev set
 * through the warm pool (coverage off), then its metamorphic probes (neighbours of the shown inputs),
 * counting tests and probes alike, against the naive baseline of one fresh `python -c` process per
 * run, sequentially, with the same interpreter, measured in the same rounds.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Problem } from '../../contract/domain';
import { SandboxPool } from '../../server/src/execution';
import { resolvePython } from '../../server/src/execution/launch';
import { metamorphicFindings, poolProbeRunner } from '../../server/src/metamorphic';
import type { BenchRow } from './types';

const DATA = path.resolve(__dirname, '..', '..', '..', 'shared', 'data', 'mbpp-incorrect-test-dev.jsonl');
const ROUNDS = 3;
const BASELINE_SLICE = 20;

interface Row {
  correct_code: string;
  incorrect_code: string;
  correct_test_list: string[];
  incorrect_test: string;
}

function load(): { problem: Problem; codes: string[] }[] {
  return readFileSync(DATA, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((line, i) => {
      const row = JSON.parse(line) as Row;
      const tests = [row.incorrect_test, ...row.correct_test_list].map((code, k) => ({
        kind: 'assert' as const,
        id: `t${k}`,
        role: k === 0 ? ('incorrect' as const) : ('visible' as const),
        code,
      }));
      return { problem: { id: `p${i}`, statement: '', style: 'function', tests }, codes: [row.correct_code, row.incorrect_code] };
    });
}

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

export async function bench(): Promise<BenchRow[]> {
  if (!existsSync(DATA)) return [];
  const items = load();
  const python = resolvePython('python3').executable;
  const programs = items.flatMap(({ problem, codes }) =>
    codes.flatMap((c) => problem.tests.map((t) => `${c}\n${t.kind === 'assert' ? t.code : ''}\n`)),
  );
  const naive: number[] = [];
  const withProbes: number[] = [];
  let runs = 0,
    probes = 0;
  const pool = new SandboxPool({ log: () => {} });
  try {
    await pool.warmup();
    const runner = poolProbeRunner(pool);
    for (let round = 0; round < ROUNDS; round++) {
      let t0 = process.hrtime.bigint();
      for (const p of programs.slice(round * BASELINE_SLICE, (round + 1) * BASELINE_SLICE))
        spawnSync(python, ['-c', p], { timeout: 10_000 });
      naive.push(BASELINE_SLICE / (Number(process.hrtime.bigint() - t0) / 1e9));
      t0 = process.hrtime.bigint();
      const counts = await Promise.all(
        items.flatMap(({ problem, codes }) =>
          codes.map(async (c) => {
            const results = await pool.runCandidate(problem, c);
            const m = await metamorphicFindings(problem, c, results, runner);
            return [results.length, m.probes] as const;
          }),
        ),
      );
      runs = counts.reduce((n, [r, p]) => n + r + p, 0);
      probes = counts.reduce((n, [, p]) => n + p, 0);
      withProbes.push(runs / (Number(process.hrtime.bigint() - t0) / 1e9));
    }
  } finally {
    await pool.close();
  }
  return [
    {
      name: `sandbox pool (${pool.isolation}, ${pool.size} workers) with metamorphic probes, median of ${ROUNDS} rounds of ${runs} runs (${probes} probes)`,
      value: median(withProbes),
      unit: 'runs/s',
      baseline: median(naive),
      baselineName: 'fresh python -c per test, sequential',
      target: '≥ 20×',
    },
  ];
}
