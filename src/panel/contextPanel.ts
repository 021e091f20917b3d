import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { CandidateDetail } from '../../contract/lsp';
import { problemTitle } from '../../contract/wording';
import { candidateIdOfUri, type CurrentCandidate } from '../review/current';
import { ContextCss, esc, renderContextBody } from './contextView';

export const ContextViewType = 'loophole.context';

/**
 * "Statement & Reasoning": one webview beside the code that follows the current candidate, showing the
 * problem's title and statement, the reasoning in full with its flagged passages highlighted, and the
 * evidence. It stays open across verdicts and candidates; its content is only replaced when what it
 * shows changed (a verdict alone leaves it, and its scroll position, as it was).
 * Opened by its command, and by opening a candidate while `loophole.review.contextBeside` is on, unless
 * the reviewer closed it in this window.
 */
export class ContextPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private shown = '';
  private closedByReviewer = false;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly current: CurrentCandidate) {
    this.disposables.push(
      current.onDidChange((d) => {
        // A candidate on screen: open the view beside it (once; the setting and a close are respected).
        if (d && vscode.window.visibleTextEditors.some((e) => candidateIdOfUri(e.document.uri) === d.candidate.id))
          this.show({ auto: true });
        this.render(d);
      }),
      vscode.window.onDidChangeVisibleTextEditors((editors) => {
        const d = this.current.detail;
        if (d && editors.some((e) => candidateIdOfUri(e.document.uri) === d.candidate.id)) this.show({ auto: true });
      }),
    );
  }

  /** The column the view is in, while it is open: candidates are not opened over it. */
  get column(): vscode.ViewColumn | undefined {
    return this.panel?.viewColumn;
  }

  /** Opens (or reveals) the view beside the active editor; `auto` respects the setting and a close. */
  show(opts: { auto?: boolean } = {}): void {
    if (opts.auto) {
      const on = vscode.workspace.getConfiguration('loophole.review').get<boolean>('contextBeside', true);
      if (!on || this.closedByReviewer || this.panel) return;
    }
    if (!opts.auto) this.closedByReviewer = false;
    if (this.panel) {
      this.panel.reveal(this.panel.viewColumn, true);
      return;
    }
    const panel = vscode.window.createWebviewPanel(
      ContextViewType,
      'Statement & Reasoning',
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      { enableScripts: true, enableFindWidget: true, retainContextWhenHidden: true, localResourceRoots: [] },
    );
    this.panel = panel;
    this.shown = '';
    panel.onDidDispose(() => {
      if (this.panel === panel) {
        this.panel = undefined;
        this.closedByReviewer = true;
      }
    });
    this.render(this.current.detail);
  }

  private render(d: CandidateDetail | undefined): void {
    const panel = this.panel;
    if (!panel) return;
    const body = d ? renderContextBody(d) : '<p class="meta">Open a candidate to see its problem statement and reasoning here.</p>';
    if (body === this.shown) return;
    this.shown = body;
    panel.title = d ? `Statement: ${problemTitle(d.problem.statement, d.problem.id, 40)}` : 'Statement & Reasoning';
    const nonce = randomBytes(16).toString('base64');
    const csp = `default-src 'none'; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}'`;
    // The first flagged passage is scrolled into the middle of the reasoning box.
    panel.webview.html = `<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<style nonce="${nonce}">${ContextCss}</style><title>${esc(panel.title)}</title></head>
<body>${body}
<script nonce="${nonce}">const m = document.querySelector('mark'); const box = document.querySelector('pre.reasoning');
if (m && box) box.scrollTop = Math.max(0, m.offsetTop - box.offsetTop - box.clientHeight / 3);</script>
</body></html>`;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    this.panel?.dispose();
  }
}
