/**
 * The curation panel's script. It owns the form (kept in the webview state across reloads); counts and
 * the preview are asked for, debounced, after each change, and only the reply to the latest request is
 * shown. The host does every server call.
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-progress-bar/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import { html, nothing, render } from 'lit';
import type { CurationCountsResult, CurationPreviewResult } from '../../contract/lsp';
import { Controls } from './controls';
import {
  DEFAULT_FORM,
  isForm,
  type ContextMessage,
  type CurationForm,
  type ExportState,
  type HostToWebview,
  type WebviewToHost,
} from '../../contract/webview/curation';
import { renderCounts, renderExport, renderPreview, type Slot } from './view';

interface VsCodeApi {
  postMessage(message: WebviewToHost): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

/** Quiet time after the last change before counts are asked for. */
const DEBOUNCE_MS = 250;

const vscode = acquireVsCodeApi();
const app = document.getElementById('app')!;
const saved = (vscode.getState() as { form?: unknown } | undefined)?.form;
let form: CurationForm = isForm(saved) ? saved : DEFAULT_FORM;
let context: ContextMessage | undefined;
let counts: Slot<CurationCountsResult> = { status: 'idle' };
let preview: Slot<CurationPreviewResult> = { status: 'idle' };
let exportState: ExportState = { status: 'idle' };
let nextId = 1;
/** The id of the latest counts / preview request: replies to older ones are stale. */
let countsId = 0;
let previewId = 0;
let timer: ReturnType<typeof setTimeout> | undefined;

const controls = new Controls(() => form, {
  onChange(patch) {
    form = { ...form, ...patch };
    vscode.setState({ form });
    schedule();
  },
  onExport: () => startExport(false),
  onCancel: () => vscode.postMessage({ type: 'export/cancel' }),
  onRedraw: () => draw(),
});

function usable(): boolean {
  return context?.server === 'running' && context.reviewSet !== null;
}

function schedule(): void {
  if (timer !== undefined) clearTimeout(timer);
  timer = setTimeout(ask, DEBOUNCE_MS);
}

function ask(): void {
  timer = undefined;
  if (!usable()) return;
  countsId = nextId++;
  previewId = nextId++;
  counts = { status: 'loading', ...(lastOf(counts) ? { last: lastOf(counts)! } : {}) };
  preview = { status: 'loading', ...(lastOf(preview) ? { last: lastOf(preview)! } : {}) };
  vscode.postMessage({ type: 'counts', id: countsId, form });
  vscode.postMessage({ type: 'preview', id: previewId, form });
  draw();
}

function lastOf<T>(slot: Slot<T>): T | undefined {
  return slot.status === 'ready' ? slot.value : slot.status === 'loading' ? slot.last : undefined;
}

function startExport(force: boolean): void {
  if (!usable() || exportState.status === 'running') return;
  vscode.postMessage({ type: 'export', form, force });
}

function header() {
  const rs = context?.reviewSet;
  const why =
    !context || context.server === 'starting'
      ? 'Waiting for the Loophole server…'
      : context.server === 'stopped'
        ? 'The Loophole server is not running. Run “Loophole: Restart Server”.'
        : !rs
          ? 'No review set is open. Run “Loophole: Open Review Set…” first.'
          : rs.analysed < rs.candidates
            ? `${rs.candidates - rs.analysed} candidates are not analysed yet; they are kept only on a clean verdict.`
            : undefined;
  const meta = rs
    ? `${rs.path} · ${rs.problems} problems · ${rs.candidates} candidates · ${rs.hacks} called hacks · ${rs.reviewed} reviewed`
    : '';
  return html`<header>
    <h1>Curate &amp; Recontextualize</h1>
    ${rs ? html`<p class="meta" data-testid="review-set">${meta}</p>` : nothing}
    ${why ? html`<p class=${rs ? 'warning' : 'status'} role="status">${why}</p>` : nothing}
  </header>`;
}

/** The whole page; lit updates only what changed, so a field being typed in is left alone. */
function draw(): void {
  controls.setExporting(exportState.status === 'running', usable());
  const hooks = {
    open: (path: string) => vscode.postMessage({ type: 'openFile', path }),
    overwrite: () => startExport(true),
  };
  render(
    html`${header()}
      <div class="layout">
        ${controls.view()}
        <div class="results">${renderExport(exportState, hooks)} ${renderCounts(counts)} ${renderPreview(preview)}</div>
      </div>`,
    app,
  );
}

window.addEventListener('message', (e: MessageEvent<HostToWebview>) => {
  const m = e.data;
  switch (m?.type) {
    case 'curation/context': {
      const before = usable() ? context?.reviewSet?.path : undefined;
      context = m;
      draw();
      if (usable() && context.reviewSet?.path !== before) schedule();
      break;
    }
    case 'curation/invalidate':
      schedule();
      break;
    case 'counts':
      if (m.id !== countsId) break;
      counts = m.ok ? { status: 'ready', value: m.result } : { status: 'error', message: m.error };
      if (m.ok) controls.setScorers(m.result.scorers);
      draw();
      break;
    case 'preview':
      if (m.id !== previewId) break;
      preview = m.ok ? { status: 'ready', value: m.result } : { status: 'error', message: m.error };
      draw();
      break;
    case 'export/state':
      exportState = m.state;
      draw();
      break;
  }
});

app.replaceChildren(); // the shell's placeholder; lit owns the element from here on
draw();
vscode.postMessage({ type: 'webview/ready' });
