/**
 * Fits the ensemble's scorer weights (one term per evidence type) on labelled review sets, and reports
 * them leave-one-source-out: each source is combined with weights fitted on the *other* sources only.
 *
 *   tsx server/src/scoring/calibrateEnsemble.ts [--write] [--verbose] [--out out/calibration] \
 *       NAME=FILE[:FORMAT][@clean|@hack] [NAME=FILE[:FORMAT] …]
 *
 * Sources and labels are read as `makeSources.ts` reads them (files sharing a NAME form one source:
 * a development set and its clean counterparts). Every candidate is analysed by the real pipeline
 * (static analysis, sandboxed execution, coverage, reasoning monitor) in a store under `--out`, every
 * run from scratch (the scores are what is being fitted). The classifier's score is its
 * leave-one-source-out probability from `train.py --loso-predictions` (`out/classifier/loso-predictions.jsonl`)
 * when present, so a model trained on a source never speaks for it here; otherwise the shipped model.
 *
 * The fit: class-balanced logistic regression of the label on each scorer's clamped log-odds, with no
 * intercept (the combination stays a sum of readable terms), weights kept ≥ 0, L2 towards the hand-set
 * prior weights, each source weighing the same. `--write` stores the weights fitted on every source,
 * with the leave-one-source-out figures, in `ensembleWeights.ts`. Rerun it when a scorer or an
 * evidence kind changes. `--verbose` lists, on stderr, each candidate the leave-one-source-out
 * combination decides wrongly, with its scorers' probabilities.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync, cpSync } from 'node:fs';
import path from 'node:path';
import type { FormatName } from '../formats';
import { curateStream, DEFAULT_CURATION_OPTIONS, type CurationItem } from '../curation';
import { storeSource } from '../curation/storeSource';
import { analyzeStore, openReviewSet } from '../pipeline/analyze';
import { createClassifierScorer } from './classifier/scorer';
import { labeller, parseSourceSpec } from './classifier/labels';
import { logit, PRIOR_WEIGHTS, SCORER_RANGES, SCORER_WEIGHTS, sigmoid } from './ensemble';
import type { Scorer } from './scorer';
import { auroc } from './auroc';

interface Item {
  source: string;
  id: string;
  label: 0 | 1;
  /** scorer → its probability, as stored */
  p: Record<string, number>;
  /** the candidate as curation reads it */
  curation: CurationItem;
}

/** What a curator gets from a source with default settings, the decisions made with `w`: the share of
 *  true hacks among the selected rows, and the share of problems that keep a row. */
function curatorFigures(items: readonly Item[], w: Record<string, number>): { selected: number; hackShare: number; problemsKept: number } {
  const label = new Map(items.map((i) => [i.curation.candidate.id, i.label]));
  const recombined = items.map((i) => {
    const a = i.curation.analysis!;
    const hackProbability = combineWith(w, i.p);
    return { ...i.curation, analysis: { ...a, hackProbability, isHack: hackProbability >= 0.5 } };
  });
  recombined.sort((x, y) => (x.problem.id < y.problem.id ? -1 : x.problem.id > y.problem.id ? 1 : 0));
  let selected = 0;
  let hacks = 0;
  let kept = 0;
  let problems = 0;
  for (const p of curateStream(recombined, DEFAULT_CURATION_OPTIONS).problems) {
    problems++;
    if (p.selected.length) kept++;
    for (const s of p.selected) {
      selected++;
      if (label.get(s.candidate.id) === 1) hacks++;
    }
  }
  return { selected, hackShare: selected ? hacks / selected : 0, problemsKept: problems ? kept / problems : 0 };
}

const L2 = 0.05;

function term(scorer: string, p: number): number {
  const [lo, hi] = SCORER_RANGES[scorer] ?? [0, 1];
  return logit(Math.min(hi, Math.max(lo, p)));
}

/** As `combine` does it: with no score at all (an answer with neither code nor reasoning) the
 *  probability is 0, not the 0.5 of an empty sum. */
function combineWith(w: Record<string, number>, p: Record<string, number>): number {
  if (!Object.keys(p).length) return 0;
  let z = 0;
  for (const [s, q] of Object.entries(p)) z += (w[s] ?? 0.7) * term(s, q);
  return sigmoid(z);
}

/** Projected gradient descent on the weighted logistic loss; weights ≥ 0. */
function fit(items: readonly Item[], scorers: readonly string[]): Record<string, number> {
  const sources = [...new Set(items.map((i) => i.source))];
  const weight = new Map<Item, number>();
  for (const s of sources) {
    for (const label of [0, 1] as const) {
      const group = items.filter((i) => i.source === s && i.label === label);
      for (const i of group) weight.set(i, 1 / (group.length * sources.length * 2));
    }
  }
  const x = items.map((i) => scorers.map((s) => (s in i.p ? term(s, i.p[s]!) : 0)));
  const prior = scorers.map((s) => PRIOR_WEIGHTS[s] ?? 0.7);
  const w = [...prior];
  const total = [...weight.values()].reduce((a, b) => a + b, 0);
  for (let step = 0; step < 3000; step++) {
    const g = new Array<number>(scorers.length).fill(0);
    items.forEach((it, n) => {
      const z = x[n]!.reduce((acc, v, j) => acc + v * w[j]!, 0);
      const d = ((sigmoid(z) - it.label) * weight.get(it)!) / total;
      x[n]!.forEach((v, j) => (g[j]! += d * v));
    });
    for (let j = 0; j < w.length; j++) w[j] = Math.max(0, w[j]! - 0.5 * (g[j]! + L2 * (w[j]! - prior[j]!)));
  }
  return Object.fromEntries(scorers.map((s, j) => [s, Math.round(w[j]! * 1000) / 1000]));
}

function ece(y: readonly number[], p: readonly number[], bins = 10): number {
  let total = 0;
  for (let b = 0; b < bins; b++) {
    const idx = p
      .map((q, i) => [q, i] as const)
      .filter(([q]) => Math.min(bins - 1, Math.floor(q * bins)) === b)
      .map(([, i]) => i);
    if (!idx.length) continue;
    const mp = idx.reduce((a, i) => a + p[i]!, 0) / idx.length;
    const my = idx.reduce((a, i) => a + y[i]!, 0) / idx.length;
    total += (idx.length / p.length) * Math.abs(mp - my);
  }
  return total;
}

interface Figures {
  n_hack: number;
  n_clean: number;
  auroc: number;
  ece: number;
  precision: number;
  recall: number;
}

function figures(items: readonly Item[], w: Record<string, number>): Figures {
  const y = items.map((i) => i.label);
  const p = items.map((i) => combineWith(w, i.p));
  const tp = items.filter((i, n) => i.label === 1 && p[n]! >= 0.5).length;
  const fp = items.filter((i, n) => i.label === 0 && p[n]! >= 0.5).length;
  const hacks = y.filter((v) => v === 1).length;
  const r4 = (v: number) => Math.round(v * 10000) / 10000;
  return {
    n_hack: hacks,
    n_clean: y.length - hacks,
    auroc: r4(auroc(y, p)),
    ece: r4(ece(y, p)),
    precision: r4(tp / Math.max(1, tp + fp)),
    recall: r4(tp / Math.max(1, hacks)),
  };
}

/** The classifier's out-of-source probabilities, by source and candidate id (with tests when it had them). */
function losoPredictions(file: string): Map<string, number> {
  const out = new Map<string, number>();
  if (!existsSync(file)) return out;
  const rows = readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as { source: string; id: string; testsKnown: number; p: number });
  for (const r of rows) if (r.testsKnown === 0 && !out.has(`${r.source}\0${r.id}`)) out.set(`${r.source}\0${r.id}`, r.p);
  for (const r of rows) if (r.testsKnown === 1) out.set(`${r.source}\0${r.id}`, r.p);
  return out;
}

function losoClassifier(source: string, preds: Map<string, number>, fallback: Scorer): Scorer {
  return {
    name: 'classifier',
    async scoreBatch(items, signal) {
      const missing = items.filter((it) => !preds.has(`${source}\0${it.candidate.id}`));
      const own = missing.length ? await fallback.scoreBatch(missing, signal) : [];
      return items.map((it) => {
        const p = preds.get(`${source}\0${it.candidate.id}`);
        if (p !== undefined) return { scorer: 'classifier', probability: p, rationale: 'leave-one-source-out probability' };
        return own[missing.indexOf(it)];
      });
    },
  };
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const value = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const outDir = value('--out') ?? 'out/calibration';
  const predsFile = value('--predictions') ?? 'out/classifier/loso-predictions.jsonl';
  const specs = argv.filter((a, i) => a.includes('=') && !['--out', '--predictions'].includes(argv[i - 1] ?? ''));
  if (!specs.length) throw new Error('calibrate-ensemble: give at least one NAME=FILE[:FORMAT]');
  const preds = losoPredictions(predsFile);
  if (!preds.size)
    process.stderr.write(
      `calibrate-ensemble: ${predsFile} not found; the shipped classifier scores every source (in-sample where it was trained on it)\n`,
    );
  const shipped = await createClassifierScorer({ device: 'cpu' });
  const items: Item[] = [];
  try {
    for (const spec of specs) {
      const src = parseSourceSpec(spec);
      const { name, file } = src;
      const format = src.format as FormatName | 'auto';
      const dir = path.join(outDir, name, path.basename(file, '.jsonl'));
      mkdirSync(dir, { recursive: true });
      const copy = path.join(dir, path.basename(file));
      cpSync(file, copy);
      const labelOf = labeller(src);
      const { store } = await openReviewSet(copy, { format });
      try {
        let last = 0;
        await analyzeStore(store, {
          scorers: [losoClassifier(name, preds, shipped)],
          force: true,
          onProgress: ({ done, total }) => {
            if (done - last >= 50 || done === total) process.stderr.write(`${name}: ${(last = done)}/${total}\r`);
          },
        });
        process.stderr.write('\n');
        for (const ci of storeSource(store).items()) {
          const c = ci.candidate;
          const label = labelOf(c);
          const a = ci.analysis;
          if (label === undefined || !a) continue;
          items.push({
            source: name,
            id: c.id,
            label,
            p: Object.fromEntries(a.scores.map((s) => [s.scorer, s.probability])),
            curation: ci,
          });
        }
      } finally {
        store.close();
      }
    }
  } finally {
    await shipped.dispose();
  }
  const scorers = [...new Set(items.flatMap((i) => Object.keys(i.p)))].sort();
  const sources = [...new Set(items.map((i) => i.source))];
  const report: Record<string, { before: Figures; after: Figures; weights: Record<string, number> }> = {};
  const curator: string[] = [];
  for (const s of sources) {
    const test = items.filter((i) => i.source === s);
    const w = fit(
      items.filter((i) => i.source !== s),
      scorers,
    );
    report[s] = { before: figures(test, SCORER_WEIGHTS), after: figures(test, w), weights: w };
    if (argv.includes('--verbose'))
      for (const i of test) {
        const p = combineWith(w, i.p);
        if (p >= 0.5 !== (i.label === 1))
          process.stderr.write(`${s}: ${i.label ? 'missed' : 'false flag'} ${i.id} p=${p.toFixed(3)} ${JSON.stringify(i.p)}\n`);
      }
    if (new Set(test.map((i) => i.label)).size === 2) {
      const c = curatorFigures(test, w);
      curator.push(
        `${s}: export with default settings selects ${c.selected} rows, ${(100 * c.hackShare).toFixed(1)}% of them hacks, keeping ${(100 * c.problemsKept).toFixed(1)}% of the problems (leave-one-source-out weights)`,
      );
    }
  }
  const all = fit(items, scorers);
  const lines = [
    `scorers: ${scorers.join(', ')}; fitted on every source: ${JSON.stringify(all)}`,
    'source        hacks clean | current weights: AUROC  ECE    P      R     | leave-one-source-out fit: AUROC  ECE    P      R',
  ];
  for (const [s, r] of Object.entries(report)) {
    const f = (x: Figures) => `${x.auroc.toFixed(3)}  ${x.ece.toFixed(3)}  ${x.precision.toFixed(3)}  ${x.recall.toFixed(3)}`;
    lines.push(
      `${s.padEnd(13)} ${String(r.before.n_hack).padStart(5)} ${String(r.before.n_clean).padStart(5)} | ${f(r.before)} | ${f(r.after)}`,
    );
  }
  process.stdout.write(lines.join('\n') + '\n' + curator.join('\n') + '\n');
  if (argv.includes('--write')) {
    const file = path.join(__dirname, 'ensembleWeights.ts');
    const loso = Object.fromEntries(Object.entries(report).map(([s, r]) => [s, r.after]));
    writeFileSync(
      file,
      [
        '/**',
        ' * Scorer weights fitted by `server/src/scoring/calibrateEnsemble.ts` (do not edit by hand: rerun it',
        ' * with `--write`). `FIT_LOSO` holds each source combined with weights fitted without it.',
        ' */',
        `export const FITTED_WEIGHTS: Readonly<Record<string, number>> = ${JSON.stringify(all)};`,
        '',
        `export const FIT_LOSO: Readonly<Record<string, { n_hack: number; n_clean: number; auroc: number | null; ece: number; precision: number; recall: number }>> = ${JSON.stringify(loso, null, 2)};`,
        '',
      ].join('\n'),
    );
    process.stderr.write(`wrote ${file}\n`);
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`calibrate-ensemble: ${(e as Error).stack ?? e}\n`);
  process.exitCode = 1;
});
