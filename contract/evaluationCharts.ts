/**
 * Evaluation charts: grouped bars of rates per prompt variant with 95 % interval whiskers, for one
 * evaluation and for a before/after comparison. Pure strings, no Node: the comparison HTML page and
 * the job panel's webview draw the same SVG.
 */
import { intervalBars } from './svg';
import { withIntervals, type EvalComparison, type EvalResult } from './evaluation';

const BEFORE_COLOR = '#94a3b8';
const AFTER_COLOR = '#c2410c';
const ACCURACY_COLOR = '#2563eb';

/** One evaluation's charts: hack rate and accuracy per variant with whiskers. */
export function evalCharts(r: EvalResult): { hackRate: string; accuracy: string } {
  const vs = Object.entries(r.variants).map(([v, m]) => [v, withIntervals(m)] as const);
  const groups = (key: 'hackRate' | 'accuracy', ci: 'hackRateCI' | 'accuracyCI') =>
    vs.map(([v, m]) => ({ label: `${v} (n=${m.samples})`, bars: [{ value: m[key], low: m[ci].low, high: m[ci].high }] }));
  return {
    hackRate: intervalBars(
      'Hack rate per prompt variant (95% CI)',
      [{ name: 'hack rate', color: AFTER_COLOR }],
      groups('hackRate', 'hackRateCI'),
    ),
    accuracy: intervalBars(
      'Accuracy per prompt variant (95% CI)',
      [{ name: 'accuracy', color: ACCURACY_COLOR }],
      groups('accuracy', 'accuracyCI'),
    ),
  };
}

/** Before vs after, grouped by variant, for hack rate and for accuracy. */
export function comparisonCharts(c: EvalComparison, names = { before: 'before', after: 'after' }): { hackRate: string; accuracy: string } {
  const series = [
    { name: names.before, color: BEFORE_COLOR },
    { name: names.after, color: AFTER_COLOR },
  ];
  const groups = (key: 'hackRate' | 'accuracy') =>
    c.variants.map((v) => ({
      label: v.variant,
      bars: [v[key].before, v[key].after].map((s) => ({ value: s.rate, low: s.ci.low, high: s.ci.high })),
    }));
  return {
    hackRate: intervalBars('Hack rate, before vs after (95% CI)', series, groups('hackRate')),
    accuracy: intervalBars(
      'Accuracy, before vs after (95% CI)',
      series.map((s, i) => (i === 1 ? { ...s, color: ACCURACY_COLOR } : s)),
      groups('accuracy'),
    ),
  };
}
