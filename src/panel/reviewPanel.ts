import * as vscode from 'vscode';
import { webviewHtml } from './webviewHtml';
import { AgreementRequest, PickRequest, ProblemPanelRequest, SetVerdictRequest } from '../../server/src/lsp/protocol';
import {
  type AgreementState,
  isWebviewToHost,
  PanelViewType,
  type HostToWebview,
  type PanelState,
  type WebviewToHost,
} from '../../webview/protocol';
import { problemTitle } from '../../server/src/lsp/wording';
import { describe, type Session } from '../client/session';
import { showCandidate } from '../editor/documents';

/**
 * One review panel per problem: all its candidates side by side, the test matrix, diffs, each scorer's
 * score and "pick as best". The panel owns its webview's lifetime: after `dispose()` nothing is posted,
 * and replies that arrive after a newer load are dropped.
 */
export class ReviewPanel implements vscode.Disposable {
  private static readonly open = new Map<string, ReviewPanel>();

  static show(context: vscode.ExtensionContext, session: Session, problemId: string): ReviewPanel {
    const existing = ReviewPanel.open.get(problemId);
    if (existing) {
      existing.panel.reveal();
      return existing;
    }
    const panel = new ReviewPanel(context, session, problemId);
    ReviewPanel.open.set(problemId, panel);
    return panel;
  }

  /** Panels still open, for tests of the host and for a restart to refresh. */
  static all(): ReviewPanel[] {
    return [...ReviewPanel.open.values()];
  }

  private readonly panel: vscode.WebviewPanel;
  private disposed = false;
  private ready = false;
  private loadTicket = 0;
  private agreementTicket = 0;
  private state: PanelState;
  private agreement: AgreementState = { status: 'loading' };
  private readonly disposables: vscode.Disposable[] = [];

  private constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly session: Session,
    readonly problemId: string,
  ) {
    this.state = { status: 'loading', problemId };
    this.panel = vscode.window.createWebviewPanel(PanelViewType, `Review: ${problemId}`, vscode.ViewColumn.Active, {
      enableScripts: true,
      retainContextWhenHidden: false,
      localResourceRoots: [vscode.Uri.joinPath(context.extensionUri, 'dist'), vscode.Uri.joinPath(context.extensionUri, 'media')],
    });
    this.panel.iconPath = vscode.Uri.joinPath(context.extensionUri, 'media', 'loophole.svg');
    this.panel.webview.html = this.html();
    this.disposables.push(
      this.panel.onDidDispose(() => this.dispose()),
      this.panel.webview.onDidReceiveMessage((m: unknown) => {
        if (isWebviewToHost(m)) void this.receive(m);
      }),
      session.onDidChange((p) => {
        const ids = new Set(this.state.status === 'error' ? [] : (this.state.data?.candidates.map((c) => c.id) ?? []));
        if (p.all || p.candidateIds?.some((id) => ids.has(id))) void this.load();
        // A verdict on any problem changes the set-wide agreement.
        else void this.loadAgreement();
      }),
      session.onDidChangeState((s) => {
        if (s === 'running') void this.load();
      }),
    );
    void this.load();
  }

  private async receive(m: WebviewToHost): Promise<void> {
    switch (m.type) {
      case 'webview/ready':
        this.ready = true;
        this.post({ type: 'panel/state', state: this.state });
        this.post({ type: 'panel/agreement', state: this.agreement });
        return;
      case 'refresh':
        await this.load();
        return;
      case 'openCandidate':
        try {
          await showCandidate(this.session, m.candidateId, { pinned: true, ...this.uriOf(m.candidateId) });
        } catch (err) {
          this.session.log.error(`Opening ${m.candidateId}: ${describe(err)}`);
        }
        return;
      case 'pick':
        await this.answer(m.id, () => this.session.request(PickRequest, { problemId: this.problemId, candidateId: m.candidateId }));
        await this.load();
        return;
      case 'verdict':
        await this.answer(m.id, () => this.session.request(SetVerdictRequest, { candidateId: m.candidateId, label: m.label }));
        return;
    }
  }

  private async answer(id: number, work: () => Promise<unknown>): Promise<void> {
    try {
      await work();
      this.post({ type: 'reply', id, ok: true });
    } catch (err) {
      this.session.log.error(`Review panel ${this.problemId}: ${describe(err)}`);
      this.post({ type: 'reply', id, ok: false, error: describe(err) });
    }
  }

  async load(): Promise<void> {
    if (this.disposed) return;
    void this.loadAgreement();
    const ticket = ++this.loadTicket;
    const previous = this.state.status === 'error' ? undefined : this.state.data;
    this.setState({ status: 'loading', problemId: this.problemId, ...(previous ? { data: previous } : {}) });
    try {
      const data = await this.session.request(ProblemPanelRequest, { problemId: this.problemId });
      if (ticket !== this.loadTicket) return;
      this.panel.title = `Review: ${problemTitle(data.problem.statement, this.problemId, 40)}`;
      this.setState({ status: 'ready', problemId: this.problemId, data });
    } catch (err) {
      if (ticket !== this.loadTicket) return;
      this.setState({ status: 'error', problemId: this.problemId, message: describe(err) });
    }
  }

  private async loadAgreement(): Promise<void> {
    if (this.disposed) return;
    const ticket = ++this.agreementTicket;
    const previous = this.agreement.status === 'error' ? undefined : this.agreement.data;
    this.setAgreement({ status: 'loading', ...(previous ? { data: previous } : {}) });
    try {
      const data = await this.session.request(AgreementRequest, {});
      if (ticket === this.agreementTicket) this.setAgreement({ status: 'ready', data });
    } catch (err) {
      if (ticket === this.agreementTicket) this.setAgreement({ status: 'error', message: describe(err) });
    }
  }

  private setAgreement(state: AgreementState): void {
    this.agreement = state;
    this.post({ type: 'panel/agreement', state });
  }

  /** The candidate's document URI as last shown in the panel, when it is there. */
  private uriOf(candidateId: string): { uri?: string } {
    const uri = this.state.status === 'error' ? undefined : this.state.data?.candidates.find((c) => c.id === candidateId)?.uri;
    return uri ? { uri } : {};
  }

  private setState(state: PanelState): void {
    this.state = state;
    this.post({ type: 'panel/state', state });
  }

  private post(m: HostToWebview): void {
    if (this.disposed || !this.ready) return;
    void this.panel.webview.postMessage(m);
  }

  private html(): string {
    return webviewHtml(this.panel.webview, this.context.extensionUri, {
      script: 'webview.js',
      title: `Review ${this.problemId}`,
      style: { media: 'panel.css' },
      data: { problem: this.problemId },
    });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    ReviewPanel.open.delete(this.problemId);
    for (const d of this.disposables) d.dispose();
    this.panel.dispose();
  }
}
