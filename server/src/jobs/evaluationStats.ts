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
