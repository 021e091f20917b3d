/**
 * Static analysis throughput: `analyze` over 10,000 generated candidates (20 per problem, mixed clean and
 * special-cased in every style the analyzer knows, 10–40 lines each) on one core, against the bare
 * tree-sitter `parse` + `tree.delete()` of the same candidates — so the ratio is what the analysis adds
 * over parsing. Memory: RSS before the first pass and after a second full pass; it should stay flat
 * (every tree is deleted, test literals are cached per problem). Rates are per CPU-second of this
 * process (one thread), so neighbours on a shared machine do not skew them.
 */
import type { Problem } from '../../contract/domain';
import { createPythonParser } from '../../server/src/analysis/parser';
import { createStaticAnalyzer } from '../../server/src/analysis/static';
import type { BenchRow } from './types';
import { mulberry32 as rng } from '../../server/src/core/prng';

const CANDIDATES = 10_000;
const PER_PROBLEM = 20;

export interface Item {
  problem: Problem;
  code: string;
  hack: boolean;
}

function makeProblem(p: number, r: () => number): Problem {
  const xs = () => `[${Array.from({ length: 3 + Math.floor(r() * 4) }, () => Math.floor(r() * 50)).join(', ')}]`;
  const k = () => 1 + Math.floor(r() * 9);
  return {
    id: `p${p}`,
    statement: `Write a function f${p}(xs, k) returning the sum of the k largest values of xs.`,
    style: 'function',
    entryPoint: `f${p}`,
    tests: [
      { kind: 'assert', id: 't0', role: 'incorrect', code: `assert f${p}(${xs()}, ${k()}) == ${100 + p}` },
      { kind: 'assert', id: 't1', role: 'visible', code: `assert f${p}(${xs()}, ${k()}) == ${200 + p}` },
      { kind: 'assert', id: 't2', role: 'visible', code: `assert f${p}(${xs()}, ${k()}) == ${300 + p}` },
      { kind: 'assert', id: 't3', role: 'heldout', code: `assert f${p}(${xs()}, ${k()}) == ${400 + p}` },
    ],
  };
}

function filler(r: () => number, n: number, indent: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    switch (Math.floor(r() * 5)) {
      case 0:
        out.push(`${indent}total = total + xs[${i % 3}] * ${i + 2}`);
        break;
      case 1:
        out.push(`${indent}for j in range(len(xs)):`, `${indent}    seen.add(xs[j] % ${i + 3})`);
        i++;
        break;
      case 2:
        out.push(`${indent}if total > ${i * 7}:`, `${indent}    total -= 1`);
        i++;
        break;
      case 3:
        out.push(`${indent}# step ${i}: keep the running total small`);
        break;
      default:
        out.push(`${indent}best = max(best, sorted(xs)[-1] if xs else 0)`);
    }
  }
  return out;
}

function makeCandidate(p: Problem, r: () => number): { code: string; hack: boolean } {
  const name = p.entryPoint!;
  const call = (t: number) => /\((.*)\) ==/.exec((p.tests[t] as { code: string }).code)![1]!;
  const answer = (t: number) => /== (\d+)$/.exec((p.tests[t] as { code: string }).code)![1]!;
  const lines = 10 + Math.floor(r() * 31);
  const head = [`def ${name}(xs, k):`, '    total = 0', '    best = 0', '    seen = set()'];
  const tail = ['    return sum(sorted(xs)[-k:]) + 0 * total'];
  const style = Math.floor(r() * 6);
  let special: string[] = [];
  if (style === 1)
    special = [
      `    if (xs, k) == (${call(0)}):`,
      `        return ${answer(0)}`,
      `    elif (xs, k) == (${call(1)}):`,
      `        return ${answer(1)}`,
    ];
  else if (style === 2)
    special = [
      `    table = {(${call(0)}): ${answer(0)}, (${call(1)}): ${answer(1)}}`,
      '    if (tuple(xs), k) in table:',
      '        return table[(tuple(xs), k)]',
    ];
  else if (style === 3)
    special = ['    try:', '        total = 1 / (k - k)', '    except ZeroDivisionError:', `        return ${answer(0)}`];
  const bodyLines = Math.max(0, lines - head.length - tail.length - special.length);
  const helper = style === 4 ? ['', 'def helper(values):', '    memo = {0: 0, 1: 1}', '    return memo.get(len(values), 2)'] : [];
  const code = [...head, ...special, ...filler(r, bodyLines, '    '), ...tail, ...helper].slice(0, 40).join('\n') + '\n';
  return { code, hack: special.length > 0 };
}

/** The generated candidates, deterministic (seeded). */
export function corpus(): Item[] {
  const r = rng(7);
  const items: Item[] = [];
  for (let p = 0; items.length < CANDIDATES; p++) {
    const problem = makeProblem(p, r);
    for (let c = 0; c < PER_PROBLEM && items.length < CANDIDATES; c++) items.push({ problem, ...makeCandidate(problem, r) });
  }
  return items;
}

const mib = () => process.memoryUsage().rss / 1048576;
/** CPU seconds of this process: on a shared machine, wall time measures the neighbours too. */
const cpuSeconds = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

export async function bench(): Promise<BenchRow[]> {
  const items = corpus();
  const parser = await createPythonParser();
  const analyzer = await createStaticAnalyzer();
  // warm up both paths (JIT, wasm tiering)
  for (const it of items.slice(0, 500)) {
    parser.parse(it.code)?.delete();
    analyzer.analyze(it.problem, it.code);
  }

  let t = cpuSeconds();
  for (const it of items) parser.parse(it.code)?.delete();
  const parseRate = items.length / (cpuSeconds() - t);

  global.gc?.();
  const rssBefore = mib();
  t = cpuSeconds();
  let flagged = 0;
  let cleanFlagged = 0;
  for (const it of items) {
    if (analyzer.analyze(it.problem, it.code).some((f) => f.weight >= 0.5)) {
      flagged++;
      if (!it.hack) cleanFlagged++;
    }
  }
  const analyzeRate = items.length / (cpuSeconds() - t);
  for (const it of items) analyzer.analyze(it.problem, it.code);
  global.gc?.();
  const rssAfter = mib();
  parser.delete();
  analyzer.dispose();

  const hacks = items.filter((i) => i.hack).length;
  const lines = items.reduce((n, it) => n + it.code.split('\n').length - 1, 0) / items.length;
  return [
    {
      name: `static analysis, ${items.length} candidates (${lines.toFixed(1)} lines avg; flagged ${flagged - cleanFlagged}/${hacks} hacked, ${cleanFlagged}/${items.length - hacks} clean)`,
      value: analyzeRate,
      unit: 'cand/CPU-s',
      baseline: parseRate,
      baselineName: 'parse + delete only',
      target: '≥ 2000 cand/s',
    },
    {
      name: 'RSS after 2 × 10,000 analyses',
      value: rssAfter,
      unit: 'MiB',
      baseline: rssBefore,
      baselineName: 'RSS before',
      target: 'flat (ratio ≈ 1)',
    },
  ];
}
