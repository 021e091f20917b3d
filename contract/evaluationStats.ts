/**
 * The statistics behind evaluation results: 95 % Wilson score intervals on a proportion, Newcombe's
 * hybrid score interval on the difference of two independent proportions, and the pooled
 * two-proportion z-test.
 *
 * Why these: evaluation runs are small (tens to a few hundred samples per prompt variant) and hack
 * rates sit near 0 or 1, where the textbook Wald interval (p ± z·√(p(1−p)/n)) collapses to a point
 * (0/20 → [0, 0]) or leaves [0, 1]. The Wilson interval keeps its coverage there, and Newcombe's
 * interval is built from the two Wilson intervals, so a difference and its parts agree.
 *
 * Samples are not independent, though: an evaluation draws n samples of each problem, and samples of
 * one problem share its difficulty and its temptation to special-case. Rates over such samples are
 * ratio estimators over clusters (problems), and their uncertainty is governed by the number of
 * problems as much as by the number of samples. `clusterRate` gives the Wilson interval at the
 * effective sample size (Kish: n / design effect, the design effect from the cluster-robust variance
 * of the ratio) with Student's t on (problems − 1) degrees of freedom in place of z; `pairedDifference`
 * compares two runs over the same problems with the cluster-robust (linearised) variance of the
 * difference of their rates, so the problems' shared difficulty cancels. The independent-sample
 * functions stay for results stored without per-problem counts.
 *
 * Pure functions over counts; no Node, no DOM (the job panel's webview bundles this file too).
 */

/** A two-sided interval, `low <= high`. */
export interface Interval {
  readonly low: number;
  readonly high: number;
}

/** The standard normal quantile for a two-sided 95 % interval. */
export const Z95 = 1.959963984540054;

/**
 * Wilson score interval for `successes` out of `n`, at the confidence `z` stands for (95 % by
 * default). `n = 0` says nothing: [0, 1].
 */
export function wilson(successes: number, n: number, z = Z95): Interval {
  if (!(n > 0)) return { low: 0, high: 1 };
  if (successes < 0 || successes > n) throw new RangeError(`wilson: ${successes} successes out of ${n}`);
  const p = successes / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const center = (p + z2 / (2 * n)) / denom;
  const half = (z / denom) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  // The exact ends at 0/n and n/n, not 1e-17 away from them.
  return { low: successes === 0 ? 0 : Math.max(0, center - half), high: successes === n ? 1 : Math.min(1, center + half) };
}

/**
 * Newcombe's hybrid score interval (his method 10, 1998) for `p2 − p1`, where `p1 = x1/n1` is the
 * first ("before") proportion and `p2 = x2/n2` the second ("after").
 */
export function newcombeDifference(x1: number, n1: number, x2: number, n2: number, z = Z95): Interval {
  const p1 = n1 > 0 ? x1 / n1 : 0;
  const p2 = n2 > 0 ? x2 / n2 : 0;
  const a = wilson(x1, n1, z);
  const b = wilson(x2, n2, z);
  const d = p2 - p1;
  return {
    low: Math.max(-1, d - Math.sqrt((p2 - b.low) ** 2 + (a.high - p1) ** 2)),
    high: Math.min(1, d + Math.sqrt((b.high - p2) ** 2 + (p1 - a.low) ** 2)),
  };
}

export interface TwoProportionTest {
  /** (p2 − p1) / pooled standard error; 0 when the pooled rate is 0 or 1 (no variation to test). */
  readonly z: number;
  /** P(|Z| ≥ |z|): the two proportions differ. */
  readonly pTwoSided: number;
  /** P(Z ≤ z): one-sided, the alternative being that the second proportion is the smaller. */
  readonly pDecrease: number;
}

/** The pooled two-proportion z-test of `x1/n1` ("before") against `x2/n2` ("after"). */
export function twoProportionTest(x1: number, n1: number, x2: number, n2: number): TwoProportionTest {
  if (!(n1 > 0) || !(n2 > 0)) return { z: 0, pTwoSided: 1, pDecrease: 0.5 };
  const pooled = (x1 + x2) / (n1 + n2);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  const z = se > 0 ? (x2 / n2 - x1 / n1) / se : 0;
  return { z, pTwoSided: Math.min(1, 2 * normalCdf(-Math.abs(z))), pDecrease: normalCdf(z) };
}

/**
 * The standard normal CDF, Φ(x), to about 1e-14 (Hart's 1968 rational approximation, as given by
 * West, "Better approximations to cumulative normal functions", 2005).
 */
export function normalCdf(x: number): number {
  const ax = Math.abs(x);
  let c: number;
  if (ax > 37) c = 0;
  else {
    const e = Math.exp((-ax * ax) / 2);
    if (ax < 7.07106781186547) {
      let n = 3.52624965998911e-2 * ax + 0.700383064443688;
      n = n * ax + 6.37396220353165;
      n = n * ax + 33.912866078383;
      n = n * ax + 112.079291497871;
      n = n * ax + 221.213596169931;
      n = n * ax + 220.206867912376;
      let d = 8.83883476483184e-2 * ax + 1.75566716318264;
      d = d * ax + 16.064177579207;
      d = d * ax + 86.7807322029461;
      d = d * ax + 296.564248779674;
      d = d * ax + 637.333633378831;
      d = d * ax + 793.826512519948;
      d = d * ax + 440.413735824752;
      c = (e * n) / d;
    } else {
      let b = ax + 0.65;
      b = ax + 4 / b;
      b = ax + 3 / b;
      b = ax + 2 / b;
      b = ax + 1 / b;
      c = e / b / 2.506628274631;
    }
  }
  return x > 0 ? 1 - c : c;
}

/** ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9; about 15 significant digits). */
export function logGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
    -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  x -= 1;
  let a = c[0]!;
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += c[i]! / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/** The regularised incomplete beta function I_x(a, b) (continued fraction, modified Lentz). */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  if (x > (a + 1) / (a + b + 2)) return 1 - incompleteBeta(1 - x, b, a);
  const tiny = 1e-300;
  let f = 1;
  let c = 1;
  let d = 0;
  for (let i = 0; i <= 400; i++) {
    const m = i >> 1;
    const num =
      i === 0
        ? 1
        : i % 2 === 0
          ? (m * (b - m) * x) / ((a + 2 * m - 1) * (a + 2 * m))
          : -((a + m) * (a + b + m) * x) / ((a + 2 * m) * (a + 2 * m + 1));
    d = 1 + num * d;
    if (Math.abs(d) < tiny) d = tiny;
    d = 1 / d;
    c = 1 + num / c;
    if (Math.abs(c) < tiny) c = tiny;
    const cd = c * d;
    f *= cd;
    if (Math.abs(1 - cd) < 1e-15) break;
  }
  return (front * (f - 1)) / a;
}

/** Student's t CDF with `df` degrees of freedom. */
export function studentTCdf(t: number, df: number): number {
  const tail = 0.5 * incompleteBeta(df / (df + t * t), df / 2, 0.5);
  return t > 0 ? 1 - tail : tail;
}

/** The `p` quantile of Student's t with `df` degrees of freedom (bisection on the CDF). */
export function studentTQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`studentTQuantile: p = ${p}`);
  if (p === 0.5) return 0;
  if (p < 0.5) return -studentTQuantile(1 - p, df);
  let lo = 0;
  let hi = 1;
  while (studentTCdf(hi, df) < p) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-12 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (studentTCdf(mid, df) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** One problem's share of a rate: `count` of its `n` samples had the property. */
export interface Cluster {
  readonly count: number;
  readonly n: number;
}

export interface ClusteredRate {
  readonly count: number;
  readonly n: number;
  /** Problems with at least one sample. */
  readonly problems: number;
  readonly rate: number;
  /** 95 % interval that respects clustering by problem (see `clusterRate`). */
  readonly ci: Interval;
  /** n / design effect: how many independent samples the clustered ones are worth. */
  readonly effectiveN: number;
}

/**
 * The rate Σcount / Σn over problems with its 95 % cluster-robust Wilson interval: the Wilson score
 * interval at the effective sample size n / deff, where deff is the cluster-robust variance of the
 * ratio (k/(k−1) Σ (count_i − rate·n_i)² / n²) over the binomial one (never below 1), and with the
 * t quantile on k − 1 degrees of freedom (k problems). When the rate is 0 or 1 the samples carry no
 * estimate of the design effect; the interval then takes the worst case, one sample per problem.
 * One problem says nothing about other problems: [0, 1].
 */
export function clusterRate(clusters: readonly Cluster[]): ClusteredRate {
  const used = clusters.filter((c) => c.n > 0);
  const k = used.length;
  let count = 0;
  let n = 0;
  for (const c of used) {
    if (c.count < 0 || c.count > c.n) throw new RangeError(`clusterRate: ${c.count} of ${c.n}`);
    count += c.count;
    n += c.n;
  }
  const rate = n ? count / n : 0;
  if (k < 2) return { count, n, problems: k, rate, ci: { low: 0, high: 1 }, effectiveN: k };
  let ss = 0;
  for (const c of used) ss += (c.count - rate * c.n) ** 2;
  const variance = ((k / (k - 1)) * ss) / (n * n);
  const binomial = rate * (1 - rate);
  const effectiveN = binomial > 0 && variance > 0 ? Math.min(n, binomial / variance) : binomial > 0 ? n : k;
  const t = studentTQuantile(0.975, k - 1);
  const w = wilson(rate * effectiveN, effectiveN, t);
  return { count, n, problems: k, rate, ci: { low: count === 0 ? 0 : w.low, high: count === n ? 1 : w.high }, effectiveN };
}

/** Before and after on one problem, in the same metric. */
export interface PairedCluster {
  readonly before: Cluster;
  readonly after: Cluster;
}

export interface PairedDifference {
  /** Problems measured in both runs (the others are left out of both rates). */
  readonly problems: number;
  readonly before: { readonly count: number; readonly n: number; readonly rate: number };
  readonly after: { readonly count: number; readonly n: number; readonly rate: number };
  readonly difference: number;
  readonly ci: Interval;
  /** difference / its cluster-robust standard error; 0 when that is 0. */
  readonly t: number;
  readonly df: number;
  readonly pTwoSided: number;
  /** One-sided: the alternative being that the after rate is the smaller. */
  readonly pDecrease: number;
}

/**
 * after − before over the problems both runs measured, as a paired comparison: the linearised
 * cluster-robust variance of the difference of the two ratio estimators, Σ u_i² · k/(k−1) with
 * u_i = (a_i − R_a·m_i)/M − (b_i − R_b·n_i)/N, and a t interval and test on k − 1 degrees of freedom.
 * A problem's difficulty is shared by its before and after samples and cancels in u_i, which is what
 * makes the paired comparison sharper than one of independent proportions.
 */
export function pairedDifference(pairs: readonly PairedCluster[], level = 0.95): PairedDifference {
  const used = pairs.filter((p) => p.before.n > 0 && p.after.n > 0);
  const k = used.length;
  const sum = (f: (p: PairedCluster) => number) => used.reduce((s, p) => s + f(p), 0);
  const b = { count: sum((p) => p.before.count), n: sum((p) => p.before.n) };
  const a = { count: sum((p) => p.after.count), n: sum((p) => p.after.n) };
  const rb = b.n ? b.count / b.n : 0;
  const ra = a.n ? a.count / a.n : 0;
  const difference = ra - rb;
  const base = { problems: k, before: { ...b, rate: rb }, after: { ...a, rate: ra }, difference };
  if (k < 2) return { ...base, ci: { low: -1, high: 1 }, t: 0, df: Math.max(0, k - 1), pTwoSided: 1, pDecrease: 0.5 };
  let ss = 0;
  for (const p of used) ss += ((p.after.count - ra * p.after.n) / a.n - (p.before.count - rb * p.before.n) / b.n) ** 2;
  const se = Math.sqrt((k / (k - 1)) * ss);
  const df = k - 1;
  const q = studentTQuantile(1 - (1 - level) / 2, df);
  const ci = { low: Math.max(-1, difference - q * se), high: Math.min(1, difference + q * se) };
  if (!(se > 0)) {
    return {
      ...base,
      ci: { low: difference, high: difference },
      t: 0,
      df,
      pTwoSided: difference === 0 ? 1 : 0,
      pDecrease: difference < 0 ? 0 : difference > 0 ? 1 : 0.5,
    };
  }
  const t = difference / se;
  const pDecrease = studentTCdf(t, df);
  return { ...base, ci, t, df, pTwoSided: Math.min(1, 2 * Math.min(pDecrease, 1 - pDecrease)), pDecrease };
}
