/**
 * Evaluation results with their uncertainty, and the before/after comparison of two evaluations.
 *
 * An eval job stores per prompt variant the counts (samples, hacks, correct), the rates, and their
 * 95 % Wilson intervals (`variantEval`). Results stored before the intervals existed carry only the
 * counts; `withIntervals` fills them in on read, so every reader sees the same shape.
 *
 * `compareEvals(before, after)` answers "did hacking go down?" per variant: both runs' rates with
 * intervals, the difference (after − before) with Newcombe's 95 % interval, and the pooled
 * two-proportion z-test. The verdict (`change`) follows the interval: `down` when it lies wholly
 * below 0, `up` when wholly above, `unchanged` when it holds 0 (no significant change at the 5 %
 * level; the z-test's p-values are reported beside it and agree except at the margin).
 *
 * Pure functions over plain JSON; no Node, no DOM (the job panel's webview bundles this file).
 */
import type { ChainResult } from './chain';
import { newcombeDifference, twoProportionTest, wilson, type Interval, type TwoProportionTest } from './evaluationStats';
import type { EvalResult, VariantEval } from './runners';
import type { JobRecord } from './types';

/** Per-variant figures from counts, with their 95 % Wilson intervals. */
export function variantEval(samples: number, hacks: number, correct: number): VariantEval {
  return {
    samples,
    hacks,
    hackRate: samples ? hacks / samples : 0,
    hackRateCI: wilson(hacks, samples),
    correct,
    accuracy: samples ? correct / samples : 0,
    accuracyCI: wilson(correct, samples),
  };
}

export type VariantEvalWithIntervals = VariantEval & { readonly hackRateCI: Interval; readonly accuracyCI: Interval };

/** The variant's figures with intervals, recomputed from the counts when a stored result lacks them. */
export function withIntervals(v: VariantEval): VariantEvalWithIntervals {
  return v.hackRateCI && v.accuracyCI ? (v as VariantEvalWithIntervals) : (variantEval(v.samples, v.hacks, v.correct) as VariantEvalWithIntervals);
}

/** The evaluation a finished job holds: an eval job's result, or a chain's eval step's; else undefined. */
export function evalResultOf(job: JobRecord): EvalResult | undefined {
  if (job.status.state !== 'succeeded') return undefined;
  const r = job.status.result;
  const ev = (job.kind === 'chain' ? (r as ChainResult | undefined)?.eval : job.kind === 'eval' ? r : undefined) as EvalResult | undefined;
  return ev && typeof ev === 'object' && ev.variants && typeof ev.variants === 'object' ? ev : undefined;
}

/** One rate of one run. */
export interface RateSummary {
  readonly count: number;
  readonly n: number;
  readonly rate: number;
  readonly ci: Interval;
}

export type Change = 'down' | 'up' | 'unchanged';

/** One metric (hack rate or accuracy) of one variant, before and after. */
export interface MetricComparison {
  readonly before: RateSummary;
  readonly after: RateSummary;
  /** after − before. */
  readonly difference: number;
  /** Newcombe's hybrid score interval on the difference (95 %). */
  readonly differenceCI: Interval;
  readonly test: TwoProportionTest;
  /** From `differenceCI`: `down` / `up` when it excludes 0, else `unchanged`. */
  readonly change: Change;
}

export interface VariantComparison {
  readonly variant: string;
  readonly hackRate: MetricComparison;
  readonly accuracy: MetricComparison;
}

export interface RunRef {
  /** The job id the evaluation came from, when it came from one. */
  readonly job?: string;
  readonly model: string;
  readonly adapter?: string;
  readonly samples: number;
}

export interface EvalComparison {
  readonly before: RunRef;
  readonly after: RunRef;
  /** Variants both runs evaluated, in the before run's order. */
  readonly variants: readonly VariantComparison[];
  /** Variants only one run evaluated (left out of `variants`). */
  readonly onlyBefore: readonly string[];
  readonly onlyAfter: readonly string[];
}

const rate = (count: number, n: number): RateSummary => ({ count, n, rate: n ? count / n : 0, ci: wilson(count, n) });

export function compareCounts(x1: number, n1: number, x2: number, n2: number): MetricComparison {
  const differenceCI = newcombeDifference(x1, n1, x2, n2);
  const before = rate(x1, n1);
  const after = rate(x2, n2);
  return {
    before,
    after,
    difference: after.rate - before.rate,
    differenceCI,
    test: twoProportionTest(x1, n1, x2, n2),
    change: differenceCI.high < 0 ? 'down' : differenceCI.low > 0 ? 'up' : 'unchanged',
  };
}

const refOf = (r: EvalResult, job?: string): RunRef => ({ ...(job ? { job } : {}), model: r.model, ...(r.adapter ? { adapter: r.adapter } : {}), samples: r.samples });

/** Per variant both evaluated: hack rate and accuracy before and after, their difference and its significance. */
export function compareEvals(before: EvalResult, after: EvalResult, jobs: { before?: string; after?: string } = {}): EvalComparison {
  const a = Object.keys(before.variants);
  const b = Object.keys(after.variants);
  const variants = a
    .filter((v) => b.includes(v))
    .map((v): VariantComparison => {
      const x = before.variants[v]!;
      const y = after.variants[v]!;
      return { variant: v, hackRate: compareCounts(x.hacks, x.samples, y.hacks, y.samples), accuracy: compareCounts(x.correct, x.samples, y.correct, y.samples) };
    });
  return { before: refOf(before, jobs.before), after: refOf(after, jobs.after), variants, onlyBefore: a.filter((v) => !b.includes(v)), onlyAfter: b.filter((v) => !a.includes(v)) };
}

/** `25.0% [12.1–43.8]`: a rate and its interval, in percent. */
export function pctWithInterval(rate: number, ci: Interval, digits = 1): string {
  const p = (x: number) => (100 * x).toFixed(digits);
  return `${p(rate)}% [${p(ci.low)}–${p(ci.high)}]`;
}

/** `−12.5 pts [−30.1, +5.2]`: a difference of rates and its interval, in percentage points. */
export function pointsWithInterval(d: number, ci: Interval, digits = 1): string {
  const s = (x: number) => `${x > 0 ? '+' : x < 0 ? '−' : '±'}${Math.abs(100 * x).toFixed(digits)}`;
  return `${s(d)} pts [${s(ci.low)}, ${s(ci.high)}]`;
}

const sameModel = (a: unknown, b: unknown) => typeof a === 'string' && typeof b === 'string' && a.replace(/\/+$/, '') === b.replace(/\/+$/, '');

/**
 * The base-model evaluation a retrain chain is compared with: among `jobs`, the newest succeeded
 * top-level eval job of the chain's base model (`config.model`, trailing slashes aside) without an
 * adapter. Whether the two share a prompt variant is `compareEvals`' business (`variants` is empty
 * when they do not).
 */
export function baselineFor(chain: JobRecord, jobs: readonly JobRecord[]): JobRecord | undefined {
  if (chain.kind !== 'chain') return undefined;
  const model = (chain.config as { model?: unknown } | undefined)?.model;
  let best: JobRecord | undefined;
  for (const j of jobs) {
    const c = j.config as { model?: unknown; adapter?: unknown } | undefined;
    if (j.kind !== 'eval' || j.parent || c?.adapter || !sameModel(c?.model, model) || !evalResultOf(j)) continue;
    if (!best || j.createdAt > best.createdAt) best = j;
  }
  return best;
}
