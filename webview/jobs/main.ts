/**
 * The job panel's script: one job's status, its loss and learning-rate curves (inline SVG), metrics,
 * steps (for a chain), artifacts and the log tail. It holds the `JobDetail` the host sent and applies
 * the job events forwarded after it; a new `job/detail` replaces everything.
 */
import type { ArtifactRecord, JobEvent, JobRecord, LogLine, MetricPoint } from '../../contract/jobs';
import { h } from '../panel/dom';
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
  if (view.status === 'loading') {
    app.replaceChildren(h('p', { class: 'status', 'data-testid': 'loading' }, 'Loading the job…'));
    return;
  }
  if (view.status === 'error') {
    app.replaceChildren(
      h('p', { class: 'error', 'data-testid': 'load-error' }, view.message),
      button('Retry', () => vscode.postMessage({ type: 'job/refresh' })),
    );
    return;
  }
  const d = view.detail;
  const logBox = h('pre', { class: 'log', 'data-testid': 'log' }, ...d.logs.map(logLine));
  app.replaceChildren(
    header(d.job),
    errorBox(d.job),
    progressOf(d.job),
    steps(d),
    evaluationSection(d.job, d.baseline, d.counterpart),
    curves(d.metrics),
    metricsTable(d.metrics),
    artifacts(d),
    h('h2', {}, `Log (last ${d.logs.length} of ${d.logTotal} lines)`),
    logBox,
  );
  logBox.scrollTop = logBox.scrollHeight;
}

function header(job: JobRecord): HTMLElement {
  const state = job.status.state;
  const actions = h('span', { class: 'actions' });
  if (state === 'running' || state === 'queued')
    actions.append(button('Cancel', () => vscode.postMessage({ type: 'job/cancel' }), 'cancel'));
  if ((state === 'interrupted' || state === 'failed') && job.status.resumable)
    actions.append(button('Resume', () => vscode.postMessage({ type: 'job/resume' }), 'resume'));
  if (state === 'cancelled' && job.kind !== 'chain')
    actions.append(button('Resume', () => vscode.postMessage({ type: 'job/resume' }), 'resume'));
  return h(
    'header',
    {},
    h('h1', {}, job.name),
    h(
      'p',
      { class: 'meta' },
      h('span', { class: `state state-${state}`, 'data-testid': 'state', 'data-state': state }, state),
      ` · ${job.kind}${job.device ? ` on ${job.device}` : ''} · attempt ${job.attempt} · ${job.id}`,
    ),
    actions,
  );
}

function errorBox(job: JobRecord): HTMLElement | string {
  const s = job.status;
  if (s.state === 'interrupted')
    return h(
      'p',
      { class: 'warning', 'data-testid': 'interrupted' },
      `Interrupted: ${s.reason}.${s.resumable ? ' Resume goes on from the last checkpoint.' : ''}`,
    );
  if (s.state !== 'failed') return '';
  const t = describeJobError(s.error);
  return h(
    'div',
    { class: 'error', 'data-testid': 'job-error', 'data-kind': s.error.kind },
    h('strong', {}, t.title),
    h('p', {}, t.advice),
    t.command
      ? h(
          'p',
          {},
          h('code', { 'data-testid': 'command' }, t.command),
          ' ',
          button('Copy command', () => vscode.postMessage({ type: 'job/copy', text: t.command! }), 'copy'),
        )
      : '',
  );
}

function progressOf(job: JobRecord): HTMLElement | string {
  const p = job.progress;
  if (!p || job.status.state !== 'running') return '';
  const pct = p.total > 0 ? Math.round((100 * p.done) / p.total) : 0;
  const bar = h('div', { class: 'bar' });
  bar.style.width = `${pct}%`; // through the CSSOM: the CSP refuses style attributes
  return h(
    'div',
    { class: 'progress', 'data-testid': 'progress' },
    bar,
    h('span', {}, `${p.done}/${p.total}${p.message ? ` ${p.message}` : ''} (${pct}%)`),
  );
}

function steps(d: Detail): HTMLElement | string {
  if (d.job.kind !== 'chain') return '';
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
    return h(
      'li',
      { 'data-step': key, class: `state-${state}` },
      h('span', { class: 'step' }, `${i + 1}. ${label}`),
      ` ${state}`,
      child?.progress ? ` · ${child.progress.done}/${child.progress.total}` : '',
    );
  });
  return h('ol', { class: 'steps', 'data-testid': 'steps' }, ...rows);
}

function curves(metrics: readonly MetricPoint[]): HTMLElement {
  const loss = metrics.filter((m) => m.loss !== null).map((m) => ({ x: m.step, y: m.loss! }));
  const lr = metrics.map((m) => ({ x: m.step, y: m.lr }));
  return h(
    'section',
    { class: 'charts' },
    lineChart({ title: 'Loss', testId: 'loss-chart', points: loss, format: (y) => y.toFixed(3) }),
    lineChart({ title: 'Learning rate', testId: 'lr-chart', points: lr, format: (y) => y.toExponential(1) }),
  );
}

function metricsTable(metrics: readonly MetricPoint[]): HTMLElement | string {
  if (metrics.length === 0) return '';
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
  return h('dl', { class: 'metrics', 'data-testid': 'metrics' }, ...cells.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
}

function artifacts(d: Detail): HTMLElement | string {
  if (d.artifacts.length === 0) return '';
  const latest = new Map(d.artifacts.map((a) => [`${a.kind}:${a.path}`, a]));
  return h(
    'section',
    {},
    h('h2', {}, 'Artifacts'),
    h(
      'ul',
      { class: 'artifacts', 'data-testid': 'artifacts' },
      ...[...latest.values()].slice(-12).map((a) =>
        h(
          'li',
          {},
          h('span', { class: 'kind' }, a.kind),
          a.step !== undefined ? ` (step ${a.step}) ` : ' ',
          link(a.path, () => vscode.postMessage({ type: 'job/reveal', path: a.path })),
        ),
      ),
    ),
  );
}

function logLine(l: LogLine): HTMLElement {
  return h('span', { class: `line level-${l.level}` }, `${l.at.slice(11, 19)} ${l.source.padEnd(6)} ${l.message}\n`);
}

function button(label: string, onClick: () => void, testId?: string): HTMLButtonElement {
  const b = h('button', { type: 'button', ...(testId ? { 'data-testid': testId } : {}) }, label);
  b.addEventListener('click', onClick);
  return b;
}

function link(text: string, onClick: () => void): HTMLAnchorElement {
  const a = h('a', { href: '#', class: 'file' }, text);
  a.addEventListener('click', (e) => {
    e.preventDefault();
    onClick();
  });
  return a;
}
