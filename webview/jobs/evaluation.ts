/**
 * The job panel's evaluation section: for an eval job (or a retrain chain's eval step) the hack rate
 * and accuracy per prompt variant with n and 95 % Wilson intervals, as a table and as charts; for a
 * chain with a base-model evaluation to compare with, the before/after charts and the verdict per
 * variant. The charts are the SVG the CLI's comparison page draws, shown as `<img>` data URIs (the
 * panel's CSP allows `img-src data:`).
 */
import { compareEvals, evalResultOf, pctWithInterval, pointsWithInterval, withIntervals, type MetricComparison } from '../../server/src/jobs/evaluation';
import { comparisonCharts, evalCharts } from '../../server/src/jobs/evaluationCharts';
import type { JobRecord } from '../../server/src/jobs/types';
import { h } from '../panel/dom';

const img = (svg: string, alt: string, testId: string) =>
  h('img', { class: 'eval-chart', alt, 'data-testid': testId, src: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}` });

export function evaluationSection(job: JobRecord, baseline?: JobRecord): HTMLElement | string {
  const r = evalResultOf(job);
  if (!r) return '';
  const rows = Object.entries(r.variants).map(([v, raw]) => {
    const m = withIntervals(raw);
    return h('tr', { 'data-variant': v }, h('th', {}, v), h('td', {}, String(m.samples)), h('td', {}, pctWithInterval(m.hackRate, m.hackRateCI)), h('td', {}, pctWithInterval(m.accuracy, m.accuracyCI)));
  });
  const charts = evalCharts(r);
  const section = h(
    'section',
    { class: 'evaluation', 'data-testid': 'evaluation' },
    h('h2', {}, 'Evaluation'),
    h('table', { class: 'eval-table' }, h('thead', {}, h('tr', {}, ...['variant', 'n', 'hack rate [95% CI]', 'accuracy [95% CI]'].map((t) => h('th', {}, t)))), h('tbody', {}, ...rows)),
    h('div', { class: 'eval-charts' }, img(charts.hackRate, 'hack rate per prompt variant', 'eval-hack-chart'), img(charts.accuracy, 'accuracy per prompt variant', 'eval-accuracy-chart')),
  );
  const base = baseline && evalResultOf(baseline);
  if (base) {
    const cmp = compareEvals(base, r, { before: baseline.id, after: job.id });
    if (cmp.variants.length) {
      const c = comparisonCharts(cmp, { before: 'base model', after: 'fine-tuned' });
      const verdict = (m: MetricComparison, what: string, better: 'down' | 'up') =>
        h('td', { class: m.change === 'unchanged' ? 'same' : m.change === better ? 'better' : 'worse' }, `${pointsWithInterval(m.difference, m.differenceCI)} · ${m.change === 'unchanged' ? 'no significant change' : `${what} went ${m.change}`}`);
      section.append(
        h('h2', {}, `Compared with the base model (${baseline.id})`),
        h('div', { class: 'eval-charts' }, img(c.hackRate, 'hack rate, base model vs fine-tuned', 'compare-hack-chart'), img(c.accuracy, 'accuracy, base model vs fine-tuned', 'compare-accuracy-chart')),
        h(
          'table',
          { class: 'eval-table', 'data-testid': 'comparison' },
          h('thead', {}, h('tr', {}, ...['variant', 'hack rate, after − before [95% CI]', 'accuracy, after − before [95% CI]'].map((t) => h('th', {}, t)))),
          h('tbody', {}, ...cmp.variants.map((v) => h('tr', { 'data-variant': v.variant }, h('th', {}, v.variant), verdict(v.hackRate, 'hacking', 'down'), verdict(v.accuracy, 'accuracy', 'up')))),
        ),
      );
    }
  }
  return section;
}
