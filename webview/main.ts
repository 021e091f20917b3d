/**
 * The review panel's script. It owns no data: the extension host sends a `PanelState`, the script
 * renders it, and every action goes back as a message (requests carry an id the host answers).
 */
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import type { AgreementState, HostToWebview, PanelState, WebviewToHost } from '../contract/webview/review';
import { renderAgreement } from './panel/agreementView';
import { h } from './panel/dom';
import { renderPanel, type Actions, type DiffChoice } from './panel/view';

interface VsCodeApi {
  postMessage(message: WebviewToHost): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const app = document.getElementById('app')!;
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
};

let last: PanelState | undefined;
let agreement: AgreementState | undefined;

function render(state: PanelState): void {
  last = state;
  const banner = notice ? h('p', { class: 'notice', role: 'alert' }, notice) : undefined;
  if (state.status === 'error') {
    const retry = h('vscode-button', {}, 'Retry');
    retry.addEventListener('click', actions.refresh);
    app.replaceChildren(
      h('div', { class: 'error', role: 'alert' }, h('p', {}, `Could not load problem ${state.problemId}: ${state.message}`), retry),
    );
    return;
  }
  if (!state.data) {
    app.replaceChildren(h('p', { class: 'status' }, `Loading problem ${state.problemId}…`));
    return;
  }
  const panel = renderPanel(state.data, actions, diff, state.status === 'loading');
  panel.append(renderAgreement(agreement));
  app.replaceChildren(...[banner, panel].filter((x): x is HTMLElement => !!x));
}

/** Swaps the Agreement section alone, so a verdict elsewhere does not re-render the candidates. */
function renderAgreementOnly(): void {
  app.querySelector('section[data-section="agreement"]')?.replaceWith(renderAgreement(agreement));
}

window.addEventListener('message', (e: MessageEvent<HostToWebview>) => {
  const m = e.data;
  switch (m?.type) {
    case 'panel/state':
      render(m.state);
      break;
    case 'panel/agreement':
      agreement = m.state;
      renderAgreementOnly();
      break;
    case 'reply': {
      const what = pending.get(m.id);
      pending.delete(m.id);
      notice = m.ok ? undefined : `Failed: ${what ?? 'request'} — ${m.error ?? 'unknown error'}`;
      if (last) render(last);
      break;
    }
  }
});

vscode.postMessage({ type: 'webview/ready' });
