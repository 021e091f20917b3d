import * as vscode from 'vscode';
import { TERMINAL_STATES, type JobRecord, type JobState } from '../../contract/jobs';
import { JobsRequest } from '../../contract/lsp';
import { describe, type Session } from '../client/session';
import type { JobEvents } from './jobEvents';

const ICONS: Record<JobState, [string, string?]> = {
  queued: ['clock'],
  running: ['sync~spin', 'progressBar.background'],
  succeeded: ['pass', 'testing.iconPassed'],
  failed: ['error', 'testing.iconFailed'],
  cancelled: ['circle-slash'],
  interrupted: ['debug-pause', 'list.warningForeground'],
};

/** What the context menu needs to know: `job:<state>[:resumable]`. */
export function contextValueOf(job: JobRecord): string {
  const s = job.status;
  const resumable = s.state === 'interrupted' || s.state === 'failed' ? s.resumable : s.state === 'cancelled' && job.kind !== 'chain';
  return `job:${s.state}${resumable ? ':resumable' : ''}`;
}

/** The row's description: state, then progress or the end. */
export function descriptionOf(job: JobRecord): string {
  const s = job.status;
  const parts: string[] = [s.state];
  if (s.state === 'running' && job.progress && job.progress.total > 0) {
    parts.push(
      `${Math.round((100 * job.progress.done) / job.progress.total)}% (${job.progress.done}/${job.progress.total}${job.progress.message ? ` ${job.progress.message}` : ''})`,
    );
  }
  if (s.state === 'failed') parts.push(s.error.kind);
  if (job.device) parts.push(job.device);
  return parts.join(' · ');
}

/**
 * The Jobs view: every job of the open set, newest first, a chain's steps under it. The list is
 * refetched on status events (cheap: one request); progress events only repaint the row they name.
 */
export class JobsTree implements vscode.TreeDataProvider<JobRecord>, vscode.Disposable {
  private jobs: JobRecord[] = [];
  private loaded = false;
  private readonly changeEmitter = new vscode.EventEmitter<JobRecord | undefined>();
  readonly onDidChangeTreeData = this.changeEmitter.event;
  private readonly disposables: vscode.Disposable[];
  private fetching: Promise<void> | undefined;
  private again = false;

  constructor(
    private readonly session: Session,
    events: JobEvents,
  ) {
    this.disposables = [
      this.changeEmitter,
      session.onDidChangeReviewSet(() => this.refresh()),
      session.onDidChangeState(() => this.refresh()),
      events.onDidReceive((evs) => {
        if (evs.some((e) => e.type === 'status')) return this.refresh();
        for (const e of evs) {
          if (e.type !== 'progress') continue;
          const i = this.jobs.findIndex((j) => j.id === e.jobId);
          if (i >= 0) {
            this.jobs[i] = { ...this.jobs[i]!, progress: e.progress };
            this.changeEmitter.fire(undefined);
          }
        }
      }),
    ];
  }

  /** The jobs as last fetched (newest first). */
  get all(): readonly JobRecord[] {
    return this.jobs;
  }

  refresh(): void {
    if (this.fetching) {
      this.again = true;
      return;
    }
    this.fetching = this.fetch().finally(() => {
      this.fetching = undefined;
      if (this.again) {
        this.again = false;
        this.refresh();
      }
    });
  }

  private async fetch(): Promise<void> {
    if (this.session.state !== 'running' || !this.session.reviewSet) {
      this.jobs = [];
    } else {
      try {
        this.jobs = [...(await this.session.request(JobsRequest, {})).jobs];
      } catch (err) {
        this.session.log.warn(`loophole/jobs: ${describe(err)}`);
      }
    }
    this.loaded = true;
    void vscode.commands.executeCommand(
      'setContext',
      'loophole.jobsRunning',
      this.jobs.some((j) => !TERMINAL_STATES.includes(j.status.state)),
    );
    this.changeEmitter.fire(undefined);
  }

  getChildren(parent?: JobRecord): JobRecord[] {
    if (!this.loaded) this.refresh();
    return this.jobs.filter((j) => (parent ? j.parent === parent.id : j.parent === undefined || !this.jobs.some((p) => p.id === j.parent)));
  }

  getParent(job: JobRecord): JobRecord | undefined {
    return job.parent ? this.jobs.find((j) => j.id === job.parent) : undefined;
  }

  getTreeItem(job: JobRecord): vscode.TreeItem {
    const hasChildren = this.jobs.some((j) => j.parent === job.id);
    // a chain's steps are named by their kind under it; the full name stays in the tooltip
    const label = job.parent && this.jobs.some((p) => p.id === job.parent) ? `${job.kind} step` : job.name;
    const item = new vscode.TreeItem(label, hasChildren ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
    item.id = job.id;
    item.description = descriptionOf(job);
    const [icon, color] = ICONS[job.status.state];
    item.iconPath = new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
    item.contextValue = contextValueOf(job);
    item.tooltip = new vscode.MarkdownString(
      `**${job.name}**\n\n${job.kind} · ${job.id}\n\ncreated ${job.createdAt}, attempt ${job.attempt}`,
    );
    item.command = { command: 'loophole.jobs.open', title: 'Open Job', arguments: [job] };
    return item;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
