/**
 * The review panel's script. It owns no data: the extension host sends a `PanelState`, the script
 * renders it, and every action goes back as a message (requests carry an id the host answers).
 */
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import { html, nothing, render } from 'lit';
import type { AgreementState, HostToWebview, PanelState, WebviewToHost } from '../contract/webview/review';
import { renderAgreement } from './panel/agreementView';
import { renderPanel, type Actions, type DiffChoice } from './panel/view';

interface VsCodeApi {
  postMessage(message: WebviewToHost): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const app = document.getElementById('app')!;
let owned = false;
const diff: DiffChoice = {};
let nextId = 1;
const pending = new Map<number, string>();
let notice: string | undefined;

function request(make: (id: number) => WebviewToHost & { id: number }, what: string): void {
  const msg = make(nextId++);
  pending.set(msg.id, what);
  vscode.postMessage(msg);
}

const actions: Actions = {
  verdict: (candidateId, label) => request((id) => ({ type: 'verdict', id, candidateId, label }), `verdict ${label} on ${candidateId}`),
  pick: (candidateId) => request((id) => ({ type: 'pick', id, candidateId }), candidateId ? `pick ${candidateId}` : 'clear pick'),
  open: (candidateId) => vscode.postMessage({ type: 'openCandidate', candidateId }),
  refresh: () => vscode.postMessage({ type: 'refresh' }),
  redraw: () => draw(),
};

let last: PanelState | undefined;
let agreement: AgreementState | undefined;

function view(state: PanelState) {
  if (state.status === 'error') {
    return html`<div class="error" role="alert">
      <p>Could not load problem ${state.problemId}: ${state.message}</p>
      <vscode-button @click=${actions.refresh}>Retry</vscode-button>
    </div>`;
  }
  if (!state.data) return html`<p class="status">Loading problem ${state.problemId}…</p>`;
  return html`${notice ? html`<p class="notice" role="alert">${notice}</p>` : nothing}${renderPanel(
    state.data,
    actions,
    diff,
    state.status === 'loading',
    renderAgreement(agreement),
  )}`;
}

/** lit updates only what changed, so a verdict or an agreement update leaves the rest of the page as it is. */
function draw(): void {
  if (!last) return;
  if (!owned) app.replaceChildren(); // the shell's placeholder; lit owns the element from here on
  owned = true;
  render(view(last), app);
}

window.addEventListener('message', (e: MessageEvent<HostToWebview>) => {
  const m = e.data;
  switch (m?.type) {
    case 'panel/state':
      last = m.state;
      draw();
      break;
    case 'panel/agreement':
      agreement = m.state;
      draw();
      break;
    case 'reply': {
      const what = pending.get(m.id);
      pending.delete(m.id);
      notice = m.ok ? undefined : `Failed: ${what ?? 'request'} — ${m.error ?? 'unknown error'}`;
      draw();
      break;
    }
  }
});

vscode.postMessage({ type: 'webview/ready' });
