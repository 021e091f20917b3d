/**
 * Learning from reviewers: as verdicts accumulate, a logistic layer is refitted over the classifier's
 * features plus every scorer's probability, on the candidates people labelled (`hack` = 1, `clean` = 0,
 * `unsure` left out). It predicts how likely a reviewer is to call an unreviewed candidate a hack, and
 * the queue is re-ranked by that probability, by uncertainty, or by both.
 *
 * Plain full-batch gradient descent with L2 on standardised inputs, class-balanced; small enough to
 * refit after every verdict (hundreds of examples, ~30 features: milliseconds).
 */
import type { Score, Test } from '../../../contract/domain';
import type { Store } from '../store/store';

export interface RerankExample {
  readonly features: readonly number[];
  readonly label: 0 | 1;
}

export interface ReviewerModel {
  readonly mean: Float64Array;
  readonly std: Float64Array;
  readonly weights: Float64Array;
  readonly bias: number;
  /** Examples it was fitted on, and its final (weighted, regularised) training loss. */
  readonly n: number;
  readonly loss: number;
}

export interface FitOptions {
  readonly l2?: number;
  readonly learningRate?: number;
  readonly epochs?: number;
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

export function fitReviewerModel(examples: readonly RerankExample[], opts: FitOptions = {}): ReviewerModel {
  const n = examples.length;
  if (n === 0) throw new Error('fitReviewerModel needs at least one example');
  const f = examples[0]!.features.length;
  const l2 = opts.l2 ?? 1e-2;
  const lr = opts.learningRate ?? 0.3;
  const epochs = opts.epochs ?? 300;
  const mean = new Float64Array(f);
  const std = new Float64Array(f);
  for (const e of examples) e.features.forEach((x, j) => (mean[j]! += x / n));
  for (const e of examples) e.features.forEach((x, j) => (std[j]! += (x - mean[j]!) ** 2 / n));
  for (let j = 0; j < f; j++) std[j] = std[j]! > 1e-12 ? Math.sqrt(std[j]!) : 1;
  const z = examples.map((e) => e.features.map((x, j) => (x - mean[j]!) / std[j]!));
  const pos = examples.filter((e) => e.label === 1).length;
  const sw = examples.map((e) => (pos === 0 || pos === n ? 1 : e.label === 1 ? n / (2 * pos) : n / (2 * (n - pos))));
  const w = new Float64Array(f);
  let b = 0;
  let loss = 0;
  const grad = new Float64Array(f);
  for (let epoch = 0; epoch < epochs; epoch++) {
    grad.fill(0);
    let gb = 0;
    loss = 0;
    for (let i = 0; i < n; i++) {
      const zi = z[i]!;
      let s = b;
      for (let j = 0; j < f; j++) s += w[j]! * zi[j]!;
      const p = sigmoid(s);
      const y = examples[i]!.label;
      loss -= sw[i]! * (y ? Math.log(Math.max(p, 1e-12)) : Math.log(Math.max(1 - p, 1e-12)));
      const g = sw[i]! * (p - y);
      for (let j = 0; j < f; j++) grad[j]! += g * zi[j]!;
      gb += g;
    }
    let reg = 0;
    for (let j = 0; j < f; j++) {
      reg += w[j]! * w[j]!;
      w[j] = w[j]! - lr * (grad[j]! / n + l2 * w[j]!);
    }
    b -= (lr * gb) / n;
    loss = loss / n + (l2 / 2) * reg;
  }
  return { mean, std, weights: w, bias: b, n, loss };
}

export function predictReviewer(model: ReviewerModel, features: readonly number[]): number {
  let s = model.bias;
  for (let j = 0; j < model.weights.length; j++) s += model.weights[j]! * ((features[j]! - model.mean[j]!) / model.std[j]!);
  return sigmoid(s);
}

/**
 * The reviewer model's input: the classifier's features, then one probability per named scorer
 * (0.5 — no opinion — where that scorer did not score the candidate), then the ensemble's probability.
 */
export function reviewerFeatures(
  classifierFeatures: ArrayLike<number>,
  scores: readonly Score[],
  scorers: readonly string[],
  hackProbability: number,
): number[] {
  const byName = new Map(scores.map((s) => [s.scorer, s.probability]));
  return [...Array.from(classifierFeatures), ...scorers.map((s) => byName.get(s) ?? 0.5), hackProbability];
}

export type RerankMode = 'likely' | 'uncertain' | 'mixed';

export interface RankedCandidate {
  readonly candidateId: string;
  /** How likely a reviewer is to call it a hack. */
  readonly probability: number;
  /** 1 at p = 0.5, 0 at p ∈ {0, 1}: 4·p·(1−p). */
  readonly uncertainty: number;
  /** The sort key, higher first. */
  readonly priority: number;
}

/**
 * Orders unreviewed candidates for review: `likely` puts probable hacks first (catch them),
 * `uncertain` puts the model's coin-flips first (label what teaches the model most), `mixed` (default)
 * averages the two.
 */
export function rerank(
  items: readonly { candidateId: string; features: readonly number[] }[],
  model: ReviewerModel,
  mode: RerankMode = 'mixed',
): RankedCandidate[] {
  return items
    .map(({ candidateId, features }) => {
      const probability = predictReviewer(model, features);
      const uncertainty = 4 * probability * (1 - probability);
      const priority = mode === 'likely' ? probability : mode === 'uncertain' ? uncertainty : (probability + uncertainty) / 2;
      return { candidateId, probability, uncertainty, priority };
    })
    .sort((a, b) => b.priority - a.priority || a.candidateId.localeCompare(b.candidateId));
}

export interface ReviewQueue {
  /** Undefined until there are `minVerdicts` decided verdicts of both labels; the queue then falls back
   *  to the ensemble's probability. */
  readonly model?: ReviewerModel;
  readonly ranked: readonly RankedCandidate[];
}

/** The features source: the classifier's featurizer (`features.ts`), passed in to keep this module free of wasm. */
export type FeatureFn = (code: string, tests?: readonly Test[]) => ArrayLike<number>;

/**
 * Refits on the store's current verdicts and ranks its unreviewed, analysed candidates.
 * `scorers` fixes the scorer columns (default: every scorer seen in the analyses, sorted).
 */
export function rankForReview(
  store: Store,
  features: FeatureFn,
  opts: FitOptions & { mode?: RerankMode; minVerdicts?: number; scorers?: readonly string[] } = {},
): ReviewQueue {
  const verdicts = store.currentVerdicts();
  const analyses = [...store.iterateAnalyses()];
  const scorers = opts.scorers ?? [...new Set(analyses.flatMap((a) => a.scores.map((s) => s.scorer)))].sort();
  const tests = new Map<string, readonly Test[]>();
  const rowOf = (candidateId: string, a: (typeof analyses)[number]): number[] | undefined => {
    const c = store.candidate(candidateId);
    if (!c) return undefined;
    if (!tests.has(c.problemId))
      tests.set(
        c.problemId,
        (store.problem(c.problemId)?.tests ?? []).filter((t) => t.role !== 'heldout'),
      );
    const shown = tests.get(c.problemId)!;
    return reviewerFeatures(features(c.code, shown.length ? shown : undefined), a.scores, scorers, a.hackProbability);
  };
  const examples: RerankExample[] = [];
  const open: { candidateId: string; features: number[]; prior: number }[] = [];
  for (const a of analyses) {
    const v = verdicts.get(a.candidateId);
    const row = rowOf(a.candidateId, a);
    if (!row) continue;
    if (!v) open.push({ candidateId: a.candidateId, features: row, prior: a.hackProbability });
    else if (v.label !== 'unsure') examples.push({ features: row, label: v.label === 'hack' ? 1 : 0 });
  }
  const pos = examples.filter((e) => e.label === 1).length;
  const enough = examples.length >= (opts.minVerdicts ?? 10) && pos > 0 && pos < examples.length;
  if (!enough) {
    const prior = { mean: new Float64Array(1), std: new Float64Array([1]), weights: new Float64Array([1]), bias: 0, n: 0, loss: 0 };
    // logit of the prior through a unit model: the ranking of the ensemble's probability, with the same modes
    const ranked = rerank(
      open.map((o) => ({ candidateId: o.candidateId, features: [Math.log(Math.max(o.prior, 1e-6) / Math.max(1 - o.prior, 1e-6))] })),
      prior,
      opts.mode,
    );
    return { ranked };
  }
  const model = fitReviewerModel(examples, opts);
  return { model, ranked: rerank(open, model, opts.mode) };
}
