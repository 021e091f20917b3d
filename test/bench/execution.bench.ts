/**
 * Sandbox throughput on the 60-problem MBPP dev set: both solutions × every test (incorrect + correct)
 * through the warm pool (sandbox on: bwrap where it works), with coverage off and on, against the naive
 * baseline of one fresh `python -c` process per test run, sequentially, with the same interpreter.
 *
 * Workers are started and warm before the clock starts (start-up is a one-off per server); the naive
 * baseline gets the same courtesy (its interpreter path is resolved beforehand, no pyenv shim), and runs
 * a slice of the same programs per round to keep the bench short; a rate is a rate.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import type { Problem } from '../../contract/domain';
import { SandboxPool } from '../../server/src/execution';
import { resolvePython } from '../../server/src/execution/launch';
import type { BenchRow } from './types';

const DATA = '/work/shared/data/mbpp-incorrect-test-dev.jsonl';
const ROUNDS = 6;
/** Naive runs per round (a slice of the same programs; the rate is what matters). */
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
        role: k === 0 ? ('incorrect' as const) : k === 1 ? ('heldout' as const) : ('visible' as const),
        code,
      }));
      return { problem: { id: `p${i}`, statement: '', style: 'function', tests }, codes: [row.correct_code, row.incorrect_code] };
    });
}

type Items = ReturnType<typeof load>;

/** One pass of every candidate through the pool; returns [runs, seconds]. */
async function poolPass(pool: SandboxPool, items: Items, coverage: boolean): Promise<[number, number]> {
  const started = process.hrtime.bigint();
  const all = await Promise.all(items.flatMap(({ problem, codes }) => codes.map((c) => pool.runCandidate(problem, c, { coverage }))));
  return [all.reduce((n, r) => n + r.length, 0), Number(process.hrtime.bigint() - started) / 1e9];
}

/** Fresh interpreter per run, sequential, over `programs`; returns [runs, seconds]. */
function naivePass(python: string, programs: readonly string[]): [number, number] {
  const started = process.hrtime.bigint();
  for (const program of programs) spawnSync(python, ['-c', program], { timeout: 10_000 });
  return [programs.length, Number(process.hrtime.bigint() - started) / 1e9];
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export async function bench(): Promise<BenchRow[]> {
  if (!existsSync(DATA)) return [];
  const items = load();
  const python = resolvePython('python3').executable;
  const programs = items.flatMap(({ problem, codes }) =>
    codes.flatMap((c) => problem.tests.map((t) => `${c}\n${t.kind === 'assert' ? t.code : ''}\n`)),
  );
  // The machine is shared: rounds interleave the three measurements so that all see the same load, and
  // each figure is the median of its per-round rates, so that a burst of other work skews one round only.
  const rates = { naive: [] as number[], off: [] as number[], on: [] as number[] };
  const add = (k: keyof typeof rates, [n, s]: [number, number]): void => {
    rates[k].push(n / s);
  };
  let runs = 0;
  const pool = new SandboxPool({ log: () => {} });
  try {
    await pool.warmup();
    await poolPass(pool, items.slice(0, 5), true); // first fork of each worker pays for lazy set-up
    for (let round = 0; round < ROUNDS; round++) {
      add('naive', naivePass(python, programs.slice(round * BASELINE_SLICE, (round + 1) * BASELINE_SLICE)));
      const off = await poolPass(pool, items, false);
      runs = off[0];
      add('off', off);
      add('on', await poolPass(pool, items, true));
    }
  } finally {
    await pool.close();
  }
  const rate = (k: keyof typeof rates): number => median(rates[k]);
  const baseline = rate('naive');
  const baselineName = 'fresh python -c per test, sequential';
  return [
    {
      name: `sandbox pool (${pool.isolation}, ${pool.size} workers), coverage off, median of ${ROUNDS} rounds of ${runs} runs`,
      value: rate('off'),
      unit: 'runs/s',
      baseline,
      baselineName,
      target: '≥ 20×',
    },
    {
      name: `sandbox pool (${pool.isolation}, ${pool.size} workers), coverage on, median of ${ROUNDS} rounds of ${runs} runs`,
      value: rate('on'),
      unit: 'runs/s',
      baseline,
      baselineName,
      target: '≥ 20×',
    },
  ];
}
