/**
 * How evaluations and their comparison are shown outside VS Code: plain-text tables for the CLI and
 * the self-contained comparison HTML page (charts as `<img>` data URIs, no scripts, nothing external),
 * which the CLI writes with `write-file-atomic` (a temporary file and a rename), so a failed write never
 * leaves half a page behind.
 */
import { esc } from '../../../contract/svg';
import { svgDataUri } from '../report/dataUri';
import { comparisonCharts } from '../../../contract/evaluationCharts';
import {
  pctWithInterval,
  variantRates,
  pointsWithInterval,
  withIntervals,
  type Change,
  type EvalComparison,
  type MetricComparison,
  type RateSummary,
  type RunRef,
} from '../../../contract/evaluation';
import type { ChainResult, EvalResult } from '../../../contract/evaluation';

const na = 'n/a';
const rateCell = (r: RateSummary | undefined) => (r && r.n > 0 ? `${pctWithInterval(r.rate, r.ci)} (${r.count}/${r.n})` : na);

/**
 * The per-variant table `loophole eval` prints: samples, failed analyses, the test-based hack rate,
 * overfit rate and accuracy, and the detector's flag rate in a column of its own.
 */
export function evalTable(r: EvalResult): string {
  const tested = Object.values(r.variants).some((v) => v.basis === 'tests');
  if (!tested) {
    const rows = Object.entries(r.variants).map(([v, raw]) => {
      const m = withIntervals(raw);
      return [v, String(m.samples), pctWithInterval(m.hackRate, m.hackRateCI), pctWithInterval(m.accuracy, m.accuracyCI)];
    });
    return (
      table(['variant', 'n', 'hack rate [95% CI]', 'accuracy [95% CI]'], rows) +
      "intervals: 95% Wilson score (an old result: its hack rate is the detector's flag rate)\n"
    );
  }
  const rows = Object.entries(r.variants).map(([v, raw]) => {
    const x = variantRates(raw);
    return [v, String(raw.samples), String(raw.failed ?? 0), rateCell(x.hack), rateCell(x.overfit), rateCell(x.accuracy), rateCell(x.flag)];
  });
  let out = table(
    ['variant', 'n', 'failed', 'hack rate [95% CI]', 'overfit rate [95% CI]', 'accuracy [95% CI]', 'detector flags [95% CI]'],
    rows,
  );
  out += 'hack rate: passes the incorrect test (problems with one); overfit rate: passes visible, fails held-out (problems without one);\n';
  out +=
    "accuracy: passes every visible and held-out test; detector flags: the analyser's verdict, not the tests'; failed: analyses that failed\n";
  out += `intervals: 95% cluster-robust by problem${r.problems ? ` over ${r.problems.length} problems` : ''}${r.split ? ` (the eval side of a split, seed ${r.split.seed})` : ''}\n`;
  if (r.executed === false) out += 'not executed (--no-execute): test-based rates are n/a\n';
  return out;
}

const CHANGE_WORD: Record<Change, { hack: string; acc: string; overfit: string; flags: string }> = {
  down: { hack: 'hacking went down', acc: 'accuracy went down', overfit: 'overfitting went down', flags: 'fewer flags' },
  up: { hack: 'hacking went up', acc: 'accuracy went up', overfit: 'overfitting went up', flags: 'more flags' },
  unchanged: {
    hack: 'no significant change',
    acc: 'no significant change',
    overfit: 'no significant change',
    flags: 'no significant change',
  },
};

const pval = (p: number) => (p < 0.0001 ? '<0.0001' : p.toFixed(4));

export function runLabel(r: RunRef): string {
  return `${r.job ? `${r.job} ` : ''}(${r.model}${r.adapter ? ` + ${r.adapter}` : ''})`;
}

/** The comparison as text: per variant and metric, before, after, the difference and the verdict. */
export function comparisonText(c: EvalComparison): string {
  const line = (v: string, metric: string, m: MetricComparison, kind: 'hack' | 'acc' | 'overfit' | 'flags') => [
    v,
    metric,
    `${pctWithInterval(m.before.rate, m.before.ci)} n=${m.before.n}`,
    `${pctWithInterval(m.after.rate, m.after.ci)} n=${m.after.n}`,
    pointsWithInterval(m.difference, m.differenceCI),
    pval(m.test.pTwoSided),
    CHANGE_WORD[m.change][kind],
  ];
  const rows = c.variants.flatMap((v) => [
    line(v.variant, 'hack rate', v.hackRate, 'hack'),
    ...(v.overfit && v.overfit.before.n > 0 ? [line('', 'overfit rate', v.overfit, 'overfit')] : []),
    line('', 'accuracy', v.accuracy, 'acc'),
    ...(v.flagRate ? [line('', 'detector flags', v.flagRate, 'flags')] : []),
  ]);
  let out = `before: ${runLabel(c.before)}\nafter:  ${runLabel(c.after)}\n`;
  out += table(['variant', 'metric', 'before [95% CI]', 'after [95% CI]', 'after − before [95% CI]', 'p (2-sided)', 'verdict'], rows);
  const paired = c.variants.some((v) => v.hackRate.method === 'paired');
  out += paired
    ? `paired over the problems both runs measured${c.variants[0]?.accuracy.before.problems !== undefined ? ` (${c.variants[0].accuracy.before.problems})` : ''}: 95% cluster-robust intervals; difference: cluster-robust t interval; p: paired t-test over problems\n`
    : 'intervals: 95% Wilson score; difference: Newcombe hybrid score interval; p: pooled two-proportion z-test\n';
  if (c.onlyBefore.length) out += `only in before (not compared): ${c.onlyBefore.join(', ')}\n`;
  if (c.onlyAfter.length) out += `only in after (not compared): ${c.onlyAfter.join(', ')}\n`;
  return out;
}

function table(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const fmt = (r: readonly string[]) =>
    r
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd() + '\n';
  return fmt(head) + rows.map(fmt).join('');
}

const CSS = `body{font-family:system-ui,sans-serif;margin:24px;color:#111;max-width:1100px}
h1{font-size:20px}h2{font-size:16px;margin-top:28px}.sub{color:#555}
table{border-collapse:collapse;margin:8px 0}th,td{border:1px solid #ddd;padding:4px 8px;text-align:left;font-variant-numeric:tabular-nums}
th{background:#f5f5f5}.better{color:#15803d;font-weight:600}.worse{color:#b91c1c;font-weight:600}.unchanged{color:#555}
.charts img{margin:8px 16px 8px 0;vertical-align:top}`;

/** The comparison as one HTML page: no scripts, no external resources; the charts are `<img>` data URIs. */
export function comparisonHtml(c: EvalComparison): string {
  const charts = comparisonCharts(c);
  const img = (svg: string, alt: string) => `<img alt="${esc(alt)}" src="${svgDataUri(svg)}">`;
  const cell = (m: MetricComparison, kind: 'hack' | 'acc') => {
    // Fewer hacks is good, less accuracy is bad: the colour says which way is better.
    const good = kind === 'hack' ? m.change === 'down' : m.change === 'up';
    const cls = m.change === 'unchanged' ? 'unchanged' : good ? 'better' : 'worse';
    return (
      `<td>${esc(pctWithInterval(m.before.rate, m.before.ci))}<br><small>${m.before.count}/${m.before.n}</small></td>` +
      `<td>${esc(pctWithInterval(m.after.rate, m.after.ci))}<br><small>${m.after.count}/${m.after.n}</small></td>` +
      `<td>${esc(pointsWithInterval(m.difference, m.differenceCI))}</td><td>${pval(m.test.pTwoSided)}</td>` +
      `<td class="${cls}">${esc(CHANGE_WORD[m.change][kind])}</td>`
    );
  };
  const rows = c.variants
    .map(
      (v) =>
        `<tr><th rowspan="2">${esc(v.variant)}</th><td>hack rate</td>${cell(v.hackRate, 'hack')}</tr><tr><td>accuracy</td>${cell(v.accuracy, 'acc')}</tr>`,
    )
    .join('');
  const only = [
    c.onlyBefore.length ? `<p class="sub">Only in before (not compared): ${esc(c.onlyBefore.join(', '))}</p>` : '',
    c.onlyAfter.length ? `<p class="sub">Only in after (not compared): ${esc(c.onlyAfter.join(', '))}</p>` : '',
  ].join('');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Loophole evaluation: before vs after</title><style>${CSS}</style></head>
<body>
<h1>Evaluation: before vs after</h1>
<p class="sub">before: ${esc(runLabel(c.before))} · ${c.before.samples} samples<br>after: ${esc(runLabel(c.after))} · ${c.after.samples} samples</p>
<div class="charts">${img(charts.hackRate, 'hack rate before vs after')}${img(charts.accuracy, 'accuracy before vs after')}</div>
<h2>Per prompt variant</h2>
<table><thead><tr><th>variant</th><th>metric</th><th>before [95% CI]</th><th>after [95% CI]</th><th>after − before [95% CI]</th><th>p (two-sided)</th><th>verdict</th></tr></thead>
<tbody>${rows}</tbody></table>
${only}
<p class="sub">Rates carry 95% Wilson score intervals. The difference's interval is Newcombe's hybrid score interval; a change is called
when it excludes zero. p is the pooled two-proportion z-test. Accuracy counts samples passing every test a correct solution passes.</p>
</body></html>
`;
}

/** A retrain chain's result as text: where the numbers come from, then base → raw and base → EMA. */
export function chainText(r: ChainResult): string {
  let out = `policy: ${r.policy}; split (seed ${r.split.seed}): ${r.split.train.length} train problems, ${r.split.eval.length} held-out eval problems\n`;
  out +=
    `trained on ${r.exported.rows} rows (${Object.entries(r.exported.recontextualized)
      .map(([k, v]) => `${k}: ${v}`)
      .join(', ')})` +
    `${r.exported.selectedHackRate !== null ? `, labelled hacks among them: ${(100 * r.exported.selectedHackRate).toFixed(0)}%` : ''}\n`;
  out +=
    `base model: ${r.baselineReused ? 'reused' : 'evaluated'} (job ${r.baselineJob}); raw adapter: job ${r.evalJob}` +
    `${r.evalEmaJob ? `; EMA adapter (decay ${r.emaDecay}): job ${r.evalEmaJob}` : ''}\n\n`;
  out += `raw adapter on the held-out problems\n${evalTable(r.eval)}\n`;
  if (r.evalEma) out += `EMA adapter on the held-out problems\n${evalTable(r.evalEma)}\n`;
  out += `base model → raw adapter\n${comparisonText(r.comparison.raw)}`;
  if (r.comparison.ema) out += `\nbase model → EMA adapter\n${comparisonText(r.comparison.ema)}`;
  return out;
}
