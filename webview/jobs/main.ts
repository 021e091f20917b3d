/**
 * The job panel's script: one job's status, its loss and learning-rate curves (inline SVG), metrics,
 * steps (for a chain), artifacts and the log tail. It holds the `JobDetail` the host sent and applies
 * the job events forwarded after it; a new `job/detail` replaces everything.
 */
import { html, nothing, render as litRender, type TemplateResult } from 'lit';
import { ref } from 'lit/directives/ref.js';
import type { ArtifactRecord, JobEvent, JobRecord, LogLine, MetricPoint } from '../../contract/jobs';
import { lineChart } from './chart';
import { describeJobError } from '../../contract/jobErrors';
import { evaluationSection } from './evaluation';
import type { HostToWebview, WebviewToHost } from '../../contract/webview/jobs';

interface VsCodeApi {
  postMessage(message: WebviewToHost): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

/** Log lines kept and shown. */
const LOG_KEEP = 400;

/** `JobDetail` as the panel holds it: events grow its lists in place. */
interface Detail {
  job: JobRecord;
  logs: LogLine[];
  logTotal: number;
  metrics: MetricPoint[];
  metricsJob?: string;
  artifacts: ArtifactRecord[];
  children: JobRecord[];
  baseline?: JobRecord;
  counterpart?: JobRecord;
}
type View =
  | { readonly status: 'loading' }
  | { readonly status: 'error'; readonly message: string }
  | { readonly status: 'ready'; readonly detail: Detail };

const vscode = acquireVsCodeApi();
const app = document.getElementById('app')!;
app.replaceChildren(); // the shell's placeholder; lit owns the element from here on
let view: View = { status: 'loading' };
let scheduled = false;

window.addEventListener('message', (e: MessageEvent<HostToWebview>) => {
  const m = e.data;
  switch (m.type) {
    case 'job/detail':
      view = {
        status: 'ready',
        detail: {
          ...m.detail,
          logs: [...m.detail.logs],
          metrics: [...m.detail.metrics],
          artifacts: [...m.detail.artifacts],
          children: [...m.detail.children],
          ...(m.baseline ? { baseline: m.baseline } : {}),
          ...(m.counterpart ? { counterpart: m.counterpart } : {}),
        },
      };
      break;
    case 'job/error':
      view = { status: 'error', message: m.message };
      break;
    case 'job/events':
      if (view.status === 'ready') for (const ev of m.events) apply(view.detail, ev);
      break;
  }
  schedule();
});
vscode.postMessage({ type: 'webview/ready' });
render();

function apply(d: Detail, e: JobEvent): void {
  switch (e.type) {
    case 'status':
      if (e.job.id === d.job.id) d.job = e.job;
      else if (e.job.parent === d.job.id) {
        const i = d.children.findIndex((c) => c.id === e.job.id);
        if (i >= 0) d.children[i] = e.job;
        else d.children.push(e.job);
        if (e.job.kind === 'train' && d.metricsJob !== e.job.id) {
          d.metricsJob = e.job.id;
          d.metrics = [];
        }
      }
      return;
    case 'progress':
      if (e.jobId === d.job.id) d.job = { ...d.job, progress: e.progress };
      else updateChild(d, e.jobId, (c) => ({ ...c, progress: e.progress }));
      return;
    case 'metric':
      if (e.jobId !== d.metricsJob) return;
      d.metrics = [...d.metrics.filter((m) => m.step !== e.metric.step), e.metric].sort((a, b) => a.step - b.step);
      return;
    case 'log':
      if (e.jobId !== d.job.id && !d.children.some((c) => c.id === e.jobId)) return;
      d.logs.push(e.line);
      d.logTotal++;
      if (d.logs.length > LOG_KEEP) d.logs.splice(0, d.logs.length - LOG_KEEP);
      return;
    case 'artifact':
      d.artifacts.push(e.artifact);
      return;
  }
}

function updateChild(d: Detail, id: string, f: (c: JobRecord) => JobRecord): void {
  const i = d.children.findIndex((c) => c.id === id);
  if (i >= 0) d.children[i] = f(d.children[i]!);
}

/** Events arrive in bursts: one render per animation frame. */
function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  requestAnimationFrame(() => {
    scheduled = false;
    render();
  });
}

function render(): void {
  litRender(page(), app);
  const log = app.querySelector<HTMLElement>('[data-testid=log]');
  if (log) log.scrollTop = log.scrollHeight;
}

function page(): TemplateResult {
  if (view.status === 'loading') return html`<p class="status" data-testid="loading">Loading the job…</p>`;
  if (view.status === 'error') {
    return html`<p class="error" data-testid="load-error">${view.message}</p>
      ${button('Retry', () => vscode.postMessage({ type: 'job/refresh' }))}`;
  }
  const d = view.detail;
  return html`${header(d.job)} ${errorBox(d.job)} ${progressOf(d.job)} ${steps(d)} ${evaluationSection(d.job, d.baseline, d.counterpart)}
    ${curves(d.metrics)} ${metricsTable(d.metrics)} ${artifacts(d)}
    <h2>Log (last ${d.logs.length} of ${d.logTotal} lines)</h2>
    <pre class="log" data-testid="log">${d.logs.map(logLine)}</pre>`;
}

type Part = TemplateResult | typeof nothing;

function header(job: JobRecord): TemplateResult {
  const state = job.status.state;
  const cancel = state === 'running' || state === 'queued';
  const resume =
    ((state === 'interrupted' || state === 'failed') && job.status.resumable) || (state === 'cancelled' && job.kind !== 'chain');
  const meta = ` · ${job.kind}${job.device ? ` on ${job.device}` : ''} · attempt ${job.attempt} · ${job.id}`;
  return html`<header>
    <h1>${job.name}</h1>
    <p class="meta"><span class=${`state state-${state}`} data-testid="state" data-state=${state}>${state}</span>${meta}</p>
    <span class="actions"
      >${cancel ? button('Cancel', () => vscode.postMessage({ type: 'job/cancel' }), 'cancel') : nothing}${
        resume ? button('Resume', () => vscode.postMessage({ type: 'job/resume' }), 'resume') : nothing
      }</span
    >
  </header>`;
}

function errorBox(job: JobRecord): Part {
  const s = job.status;
  if (s.state === 'interrupted') {
    const text = `Interrupted: ${s.reason}.${s.resumable ? ' Resume goes on from the last checkpoint.' : ''}`;
    return html`<p class="warning" data-testid="interrupted">${text}</p>`;
  }
  if (s.state !== 'failed') return nothing;
  const t = describeJobError(s.error);
  return html`<div class="error" data-testid="job-error" data-kind=${s.error.kind}>
    <strong>${t.title}</strong>
    <p>${t.advice}</p>
    ${
      t.command
        ? html`<p>
          <code data-testid="command">${t.command}</code> ${button('Copy command', () => vscode.postMessage({ type: 'job/copy', text: t.command! }), 'copy')}
        </p>`
        : nothing
    }
  </div>`;
}

function progressOf(job: JobRecord): Part {
  const p = job.progress;
  if (!p || job.status.state !== 'running') return nothing;
  const pct = p.total > 0 ? Math.round((100 * p.done) / p.total) : 0;
  // The width goes through the CSSOM: the CSP refuses style attributes.
  const width = ref((el) => {
    if (el) (el as HTMLElement).style.width = `${pct}%`;
  });
  return html`<div class="progress" data-testid="progress">
    <div class="bar" ${width}></div>
    <span>${p.done}/${p.total}${p.message ? ` ${p.message}` : ''} (${pct}%)</span>
  </div>`;
}

function steps(d: Detail): Part {
  if (d.job.kind !== 'chain') return nothing;
  // A step's role from its name (`<chain>: eval EMA` …): the base model's and the EMA adapter's
  // evaluations are steps of their own beside the raw adapter's.
  const role = (c: JobRecord) => {
    const suffix = c.name.slice(c.name.lastIndexOf(': ') + 2);
    return suffix === 'eval base model' ? 'eval-base' : suffix === 'eval EMA' ? 'eval-ema' : c.kind;
  };
  const byRole = new Map(d.children.map((c) => [role(c), c]));
  const names: readonly [string, string][] = [
    ...(byRole.has('generate') ? [['generate', 'generate best-of-n (train problems)'] as [string, string]] : []),
    ['curate', 'analyse → curate → recontextualize → export'],
    ['train', 'train'],
    ['eval-base', 'eval base model (held-out problems)'],
    ['eval', 'eval raw adapter'],
    ...((d.job.config as { train?: { ema?: unknown } } | undefined)?.train?.ema === null
      ? []
      : [['eval-ema', 'eval EMA adapter'] as [string, string]]),
  ];
  const rows = names.map(([key, label], i) => {
    const child = key === 'curate' ? undefined : byRole.get(key);
    const state =
      key === 'curate'
        ? byRole.has('train')
          ? 'succeeded'
          : d.job.status.state === 'running'
            ? 'running'
            : d.job.status.state
        : (child?.status.state ??
          (key === 'eval-base' && (d.job.status as { result?: { baselineReused?: boolean } }).result?.baselineReused
            ? 'reused'
            : 'waiting'));
    const progress = child?.progress ? ` · ${child.progress.done}/${child.progress.total}` : '';
    return html`<li data-step=${key} class=${`state-${state}`}><span class="step">${i + 1}. ${label}</span> ${state}${progress}</li>`;
  });
  return html`<ol class="steps" data-testid="steps">
    ${rows}
  </ol>`;
}

function curves(metrics: readonly MetricPoint[]): TemplateResult {
  const loss = metrics.filter((m) => m.loss !== null).map((m) => ({ x: m.step, y: m.loss! }));
  const lr = metrics.map((m) => ({ x: m.step, y: m.lr }));
  return html`<section class="charts">
    ${lineChart({ title: 'Loss', testId: 'loss-chart', points: loss, format: (y) => y.toFixed(3) })}
    ${lineChart({ title: 'Learning rate', testId: 'lr-chart', points: lr, format: (y) => y.toExponential(1) })}
  </section>`;
}

function metricsTable(metrics: readonly MetricPoint[]): Part {
  if (metrics.length === 0) return nothing;
  const last = metrics.at(-1)!;
  const finite = metrics.filter((m) => m.loss !== null).map((m) => m.loss!);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const cells: [string, string][] = [
    ['step', String(last.step)],
    ['loss', last.loss === null ? 'NaN' : last.loss.toFixed(4)],
    ['best loss', finite.length ? Math.min(...finite).toFixed(4) : '–'],
    ['learning rate', last.lr.toExponential(2)],
    ['tokens/s (last 10 steps)', mean(metrics.slice(-10).map((m) => m.tokensPerS)).toFixed(0)],
  ];
  return html`<dl class="metrics" data-testid="metrics">${cells.map(([k, v]) => html`<dt>${k}</dt><dd>${v}</dd>`)}</dl>`;
}

function artifacts(d: Detail): Part {
  if (d.artifacts.length === 0) return nothing;
  const latest = new Map(d.artifacts.map((a) => [`${a.kind}:${a.path}`, a]));
  return html`<section>
    <h2>Artifacts</h2>
    <ul class="artifacts" data-testid="artifacts">
      ${[...latest.values()]
        .slice(-12)
        .map(
          (a) =>
            html`<li><span class="kind">${a.kind}</span>${a.step !== undefined ? ` (step ${a.step}) ` : ' '}${link(a.path, () =>
              vscode.postMessage({ type: 'job/reveal', path: a.path }),
            )}</li>`,
        )}
    </ul>
  </section>`;
}

function logLine(l: LogLine): TemplateResult {
  return html`<span class=${`line level-${l.level}`}>${`${l.at.slice(11, 19)} ${l.source.padEnd(6)} ${l.message}\n`}</span>`;
}

function button(label: string, onClick: () => void, testId?: string): TemplateResult {
  return html`<button type="button" data-testid=${testId ?? nothing} @click=${onClick}>${label}</button>`;
}

function link(text: string, onClick: () => void): TemplateResult {
  const clicked = (e: Event) => {
    e.preventDefault();
    onClick();
  };
  return html`<a href="#" class="file" @click=${clicked}>${text}</a>`;
}
