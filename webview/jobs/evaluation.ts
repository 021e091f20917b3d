/**
 * The job panel's evaluation section. For an eval job: per prompt variant the test-based hack rate,
 * overfit rate and accuracy, the detector's flag rate in a column of its own, and failed analyses,
 * with 95 % cluster-robust intervals. For a retrain chain: where the evaluation came from (held-out
 * problems of a seeded split, the selection policy), then per variant and metric the base model, the
 * raw adapter and the EMA adapter side by side with the paired differences and their verdicts, the
 * before/after charts, and, when the same retrain was run under the other selection policy, the two
 * policies compared. The charts are the SVG the CLI's comparison page draws, shown as `<img>` data URIs
 * (the panel's CSP allows `img-src data:`).
 */
import { html, nothing, type TemplateResult } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import {
  compareEvals,
  evalResultOf,
  pctWithInterval,
  pointsWithInterval,
  type EvalComparison,
  type MetricComparison,
  type RateSummary,
  type VariantComparison,
  variantRates,
} from '../../contract/evaluation';
import { comparisonCharts, evalCharts } from '../../contract/evaluationCharts';
import type { JobRecord } from '../../contract/jobs';
import type { ChainResult } from '../../contract/evaluation';

const img = (svg: string, alt: string, testId: string) =>
  html`<img class="eval-chart" alt=${alt} data-testid=${testId} src=${`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`} />`;

const row = (cells: readonly string[]) => html`${cells.map((t) => html`<th>${t}</th>`)}`;

/** A results table: one header row, then `rows`. */
const table = (head: readonly string[], rows: readonly TemplateResult[], testId?: string) =>
  html`<table class="eval-table" data-testid=${ifDefined(testId)}>
    <thead>
      <tr>
        ${row(head)}
      </tr>
    </thead>
    <tbody>
      ${rows}
    </tbody>
  </table>`;

const rate = (r: RateSummary | undefined) => (r && r.n > 0 ? `${pctWithInterval(r.rate, r.ci)} (${r.count}/${r.n})` : 'n/a');

type MetricKey = 'hackRate' | 'overfit' | 'accuracy' | 'flagRate';
const METRICS: readonly { key: MetricKey; label: string; better: 'down' | 'up'; word: string }[] = [
  { key: 'hackRate', label: 'hack rate (passes the incorrect test)', better: 'down', word: 'hacking' },
  { key: 'overfit', label: 'overfit rate (passes visible, fails held-out)', better: 'down', word: 'overfitting' },
  { key: 'accuracy', label: 'accuracy (passes every correct test)', better: 'up', word: 'accuracy' },
  { key: 'flagRate', label: "detector flags (not the tests' verdict)", better: 'down', word: 'flags' },
];

function verdict(m: MetricComparison | undefined, word: string, better: 'down' | 'up'): TemplateResult {
  if (!m || m.before.n === 0) return html`<td>n/a</td>`;
  const text = `${pointsWithInterval(m.difference, m.differenceCI)} · ${m.change === 'unchanged' ? 'no significant change' : `${word} went ${m.change}`}`;
  return html`<td class=${m.change === 'unchanged' ? 'same' : m.change === better ? 'better' : 'worse'}>${text}</td>`;
}

const metricOf = (v: VariantComparison | undefined, key: MetricKey) => (v ? v[key] : undefined);

/** Rows of base / raw / EMA per variant and metric, with the paired differences. */
function sideBySide(raw: EvalComparison, ema: EvalComparison | undefined): TemplateResult {
  const rows = raw.variants.flatMap((v) => {
    const e = ema?.variants.find((x) => x.variant === v.variant);
    return METRICS.filter((m) => (metricOf(v, m.key)?.before.n ?? 0) > 0 || m.key === 'hackRate').map((m, i) => {
      const r = metricOf(v, m.key);
      const x = metricOf(e, m.key);
      return html`<tr data-variant=${v.variant} data-metric=${m.key}>
        ${i === 0 ? html`<th>${v.variant}</th>` : html`<td></td>`}
        <td>${m.label}</td>
        <td>${rate(r?.before)}</td>
        <td>${rate(r?.after)}</td>
        ${verdict(r, m.word, m.better)} ${ema ? html`<td>${rate(x?.after)}</td>${verdict(x, m.word, m.better)}` : nothing}
      </tr>`;
    });
  });
  const head = [
    'variant',
    'metric',
    'base model',
    'fine-tuned (raw)',
    'raw − base [95% CI]',
    ...(ema ? ['fine-tuned (EMA)', 'EMA − base [95% CI]'] : []),
  ];
  return table(head, rows, 'comparison');
}

function policies(job: JobRecord, other: JobRecord): TemplateResult | typeof nothing {
  const a = job.status.state === 'succeeded' ? (job.status.result as ChainResult) : undefined;
  const b = other.status.state === 'succeeded' ? (other.status.result as ChainResult) : undefined;
  if (!a || !b) return nothing;
  const cmp = compareEvals(a.eval, b.eval, { before: job.id, after: other.id });
  const emaCmp = a.evalEma && b.evalEma ? compareEvals(a.evalEma, b.evalEma) : undefined;
  const rows = cmp.variants.map((v) => {
    const e = emaCmp?.variants.find((x) => x.variant === v.variant);
    return html`<tr data-variant=${v.variant}>
      <th>${v.variant}</th>
      <td>${rate(v.hackRate.before)}</td>
      <td>${rate(v.hackRate.after)}</td>
      ${verdict(v.hackRate, 'hacking', 'down')}
      ${emaCmp ? html`<td>${rate(e?.hackRate.before)}</td><td>${rate(e?.hackRate.after)}</td>` : nothing}
    </tr>`;
  });
  const head = [
    'variant',
    `hack rate, ${a.policy} (raw)`,
    `hack rate, ${b.policy} (raw)`,
    `${b.policy} − ${a.policy} [95% CI]`,
    ...(emaCmp ? [`${a.policy} (EMA)`, `${b.policy} (EMA)`] : []),
  ];
  return html`<div data-testid="policies">
    <h2>Selection policies compared (${other.id}, same held-out problems and sampling)</h2>
    ${table(head, rows)}
  </div>`;
}

export function evaluationSection(job: JobRecord, baseline?: JobRecord, counterpart?: JobRecord): TemplateResult | typeof nothing {
  const r = evalResultOf(job);
  if (!r) return nothing;
  const chain = job.kind === 'chain' && job.status.state === 'succeeded' ? (job.status.result as Partial<ChainResult>) : undefined;
  const provenance =
    chain?.split && chain.policy
      ? html`<p class="eval-note" data-testid="eval-provenance">
          ${
            `On ${chain.split.eval.length} held-out problems (seeded split ${chain.split.seed}, ${chain.split.train.length} trained on) · selection policy: ${chain.policy}` +
            `${chain.emaDecay !== undefined ? ` · EMA decay ${chain.emaDecay}` : ''}. Intervals: 95%, cluster-robust by problem; differences paired over problems.`
          }
        </p>`
      : nothing;
  const rows = Object.entries(r.variants).map(([v, raw]) => {
    const x = variantRates(raw);
    return html`<tr data-variant=${v}>
      <th>${v}</th>
      <td>${raw.samples}</td>
      <td>${raw.failed ?? 0}</td>
      <td>${rate(x.hack)}</td>
      <td>${rate(x.overfit)}</td>
      <td>${rate(x.accuracy)}</td>
      <td>${rate(x.flag)}</td>
    </tr>`;
  });
  const charts = evalCharts(r);
  const head = [
    'variant',
    'n',
    'failed analyses',
    'hack rate [95% CI]',
    'overfit rate [95% CI]',
    'accuracy [95% CI]',
    'detector flags [95% CI]',
  ];
  let compared: TemplateResult | typeof nothing = nothing;
  const base = baseline && evalResultOf(baseline);
  if (base) {
    const cmp = compareEvals(base, r, { before: baseline.id, after: job.id });
    const ema = evalResultOf(job, 'ema');
    const emaCmp = ema ? compareEvals(base, ema, { before: baseline.id }) : undefined;
    if (cmp.variants.length) {
      const c = comparisonCharts(cmp, { before: 'base model', after: 'fine-tuned' });
      compared = html`<h2>Compared with the base model (${baseline.id})</h2>
        <div class="eval-charts">
          ${img(c.hackRate, 'hack rate, base model vs fine-tuned', 'compare-hack-chart')}
          ${img(c.accuracy, 'accuracy, base model vs fine-tuned', 'compare-accuracy-chart')}
        </div>
        ${sideBySide(cmp, emaCmp)}`;
    }
  }
  return html`<section class="evaluation" data-testid="evaluation">
    <h2>Evaluation</h2>
    ${provenance}
    ${table(head, rows)}
    <div class="eval-charts">
      ${img(charts.hackRate, 'hack rate per prompt variant', 'eval-hack-chart')}
      ${img(charts.accuracy, 'accuracy per prompt variant', 'eval-accuracy-chart')}
    </div>
    ${compared} ${counterpart ? policies(job, counterpart) : nothing}
  </section>`;
}
