import * as vscode from 'vscode';
import { webviewHtml } from '../panel/webviewHtml';
import type { JobEvent } from '../../contract/jobs';
import { baselineFor, policyCounterpart } from '../../contract/evaluation';
import type { JobRecord } from '../../contract/jobs';
import { JobCancelRequest, JobRequest, JobResumeRequest, JobsRequest, type JobDetail } from '../../contract/lsp';
import { isWebviewToHost, JobPanelViewType, type HostToWebview, type WebviewToHost } from '../../contract/webview/jobs';
import { describe, type Session } from '../client/session';
import type { JobEvents } from './jobEvents';
import { JOB_CSS } from './jobStyles';

/** Log lines the panel asks for when it (re)loads. */
const LOG_TAIL = 300;

/**
 * One job's panel (one per job; showing it again reveals it). The host reads `loophole/job` after the
 * webview's ready message and after a server restart, then forwards the events of this job and of its
 * steps. Nothing is posted before ready or after dispose; a detail fetched for a panel that closed
 * meanwhile is dropped.
 */
export class JobPanel implements vscode.Disposable {
  private static readonly open = new Map<string, JobPanel>();

  static show(context: vscode.ExtensionContext, session: Session, events: JobEvents, jobId: string, name: string): JobPanel {
    const existing = JobPanel.open.get(jobId);
    if (existing) {
      existing.panel.reveal();
      return existing;
    }
    const p = new JobPanel(context, session, events, jobId, name);
    JobPanel.open.set(jobId, p);
    return p;
  }

  private readonly panel: vscode.WebviewPanel;
  private disposed = false;
  private ready = false;
  /** This job and its steps: the events the panel wants. */
  private readonly family = new Set<string>();
  /** Artifact paths the job reported: the only ones `job/reveal` opens. */
  private readonly artifacts = new Set<string>();
  private readonly disposables: vscode.Disposable[] = [];
  private loadSeq = 0;

  private constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly session: Session,
    events: JobEvents,
    private readonly jobId: string,
    name: string,
  ) {
    this.family.add(jobId);
    this.panel = vscode.window.createWebviewPanel(JobPanelViewType, `Job: ${name}`, vscode.ViewColumn.Active, {
      enableScripts: true,
      retainContextWhenHidden: true,
      localResourceRoots: [vscode.Uri.joinPath(context.extensionUri, 'dist')],
    });
    this.panel.iconPath = vscode.Uri.joinPath(context.extensionUri, 'media', 'loophole.svg');
    this.panel.webview.html = this.html();
    this.disposables.push(
      this.panel.onDidDispose(() => this.dispose()),
      this.panel.webview.onDidReceiveMessage((m: unknown) => {
        if (isWebviewToHost(m)) void this.receive(m);
      }),
      events.onDidReceive((evs) => this.forward(evs)),
      session.onDidChangeState((s) => {
        if (s === 'running') void this.load();
      }),
    );
    // Feedback at once: the webview starts and the server reads the job (seconds on a busy worker).
    void vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Loophole: opening job ${name}…` },
      () => this.firstLoad,
    );
  }

  private loadedOnce!: () => void;
  /** Settles when the panel first shows the job (or an error), or is closed before. */
  private readonly firstLoad = new Promise<void>((resolve) => {
    this.loadedOnce = resolve;
  });

  private forward(evs: readonly JobEvent[]): void {
    const mine = evs.filter((e) => {
      if (e.type === 'status') {
        if (e.job.parent === this.jobId) this.family.add(e.job.id);
        return this.family.has(e.job.id);
      }
      return this.family.has(e.jobId);
    });
    for (const e of mine) if (e.type === 'artifact') this.artifacts.add(e.artifact.path);
    if (mine.length) this.post({ type: 'job/events', events: mine });
  }

  private async receive(m: WebviewToHost): Promise<void> {
    try {
      switch (m.type) {
        case 'webview/ready':
          this.ready = true;
          return await this.load();
        case 'job/refresh':
          return await this.load();
        case 'job/cancel':
          await this.session.request(JobCancelRequest, { id: this.jobId });
          return;
        case 'job/resume':
          await this.session.request(JobResumeRequest, { id: this.jobId });
          return await this.load();
        case 'job/copy':
          await vscode.env.clipboard.writeText(m.text);
          void vscode.window.showInformationMessage(`Copied: ${m.text}`);
          return;
        case 'job/reveal':
          if (this.artifacts.has(m.path)) await vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(m.path));
          return;
      }
    } catch (err) {
      void vscode.window.showErrorMessage(`Loophole job: ${describe(err)}`);
    }
  }

  private async load(): Promise<void> {
    if (!this.ready || this.disposed) return;
    const seq = ++this.loadSeq;
    let detail: JobDetail;
    try {
      detail = await this.session.request(JobRequest, { id: this.jobId, logTail: LOG_TAIL });
    } catch (err) {
      if (seq === this.loadSeq) this.post({ type: 'job/error', message: `The job could not be read: ${describe(err)}` });
      this.loadedOnce();
      return;
    }
    if (seq !== this.loadSeq) return;
    const related = detail.job.kind === 'chain' ? await this.relatedOf(detail.job) : {};
    if (seq !== this.loadSeq) return;
    for (const c of detail.children) this.family.add(c.id);
    for (const a of detail.artifacts) this.artifacts.add(a.path);
    this.panel.title = `Job: ${detail.job.name}`;
    this.post({ type: 'job/detail', detail, ...related });
    this.loadedOnce();
  }

  /** The base model's evaluation a chain is compared with, and the same retrain under the other
   *  selection policy; none when the list cannot be read. */
  private async relatedOf(chain: JobRecord): Promise<{ baseline?: JobRecord; counterpart?: JobRecord }> {
    try {
      const jobs = (await this.session.request(JobsRequest, { state: 'succeeded' })).jobs;
      const baseline = baselineFor(chain, jobs);
      const counterpart = policyCounterpart(chain, jobs);
      return { ...(baseline ? { baseline } : {}), ...(counterpart ? { counterpart } : {}) };
    } catch {
      return {};
    }
  }

  private post(m: HostToWebview): void {
    if (this.disposed || !this.ready) return;
    void this.panel.webview.postMessage(m);
  }

  private html(): string {
    return webviewHtml(this.panel.webview, this.context.extensionUri, {
      script: 'jobs.js',
      title: 'Loophole job',
      style: { inline: JOB_CSS },
    });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.loadedOnce();
    if (JobPanel.open.get(this.jobId) === this) JobPanel.open.delete(this.jobId);
    for (const d of this.disposables) d.dispose();
    this.panel.dispose();
  }
}
