import * as vscode from 'vscode';
import type { ReviewSetInfo } from '../../contract/lsp';
import type { Session } from '../client/session';

/** What the status item shows; one of these at a time, the latest wins. */
export type StatusState =
  | { readonly kind: 'idle' }
  | { readonly kind: 'analysing'; readonly done: number; readonly total: number; readonly message?: string }
  | { readonly kind: 'error'; readonly message: string };

/**
 * The one place internal errors surface (besides the log): the status item turns into an error the
 * reviewer can click to read the log, instead of a pop-up. While analysing it shows progress and
 * cancels on click.
 */
export class StatusItem implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('loophole.status', vscode.StatusBarAlignment.Left, 10);
  private state: StatusState = { kind: 'idle' };
  /** How the last analysis ran candidate code, when that needs saying: static-only, or unisolated. */
  private sandbox: { readonly text: string; readonly tooltip: string } | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly session: Session) {
    this.item.name = 'Loophole';
    this.disposables.push(
      this.item,
      session.onDidChangeState(() => this.render()),
      session.onDidChangeReviewSet(() => this.render()),
    );
    this.render();
    this.item.show();
  }

  set(state: StatusState): void {
    this.state = state;
    this.render();
  }

  /** What the last analysis said about the sandbox (undefined: nothing worth a word). */
  setSandbox(note: { readonly text: string; readonly tooltip: string } | undefined): void {
    this.sandbox = note;
    this.render();
  }

  /** Reports an internal error: status item + log, never a pop-up. */
  error(context: string, message: string): void {
    this.session.log.error(`${context}: ${message}`);
    this.set({ kind: 'error', message: `${context}: ${message}` });
  }

  private render(): void {
    const s = this.state;
    const item = this.item;
    item.backgroundColor = undefined;
    item.accessibilityInformation = undefined;
    if (s.kind === 'analysing') {
      const pct = s.total ? ` ${Math.round((100 * s.done) / s.total)}%` : '';
      item.text = `$(sync~spin) Loophole: analysing ${s.done}/${s.total}${pct}`;
      item.tooltip = `${s.message ?? 'Analysing the review set'} — click to cancel`;
      item.command = 'loophole.analyze.cancel';
      return;
    }
    if (this.session.state === 'stopped') {
      item.text = '$(debug-disconnect) Loophole: server stopped';
      item.tooltip = 'The Loophole server is not running — click to restart it';
      item.command = 'loophole.restartServer';
      item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
      return;
    }
    if (s.kind === 'error') {
      item.text = '$(error) Loophole';
      item.tooltip = `${s.message} — click to show the log`;
      item.command = 'loophole.showLog';
      item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
      return;
    }
    if (this.session.state === 'starting') {
      item.text = '$(loading~spin) Loophole';
      item.tooltip = 'Starting the Loophole server';
      item.command = 'loophole.showLog';
      return;
    }
    const rs = this.session.reviewSet;
    const crash = this.session.lastCrash;
    const crashLine = crash
      ? `The server crashed (${crash.exit}) at ${new Date(crash.at).toLocaleTimeString()} and was restarted`
      : undefined;
    item.text = rs ? `$(shield) Loophole: ${summary(rs)}` : '$(shield) Loophole';
    item.tooltip = [rs ? `${rs.path}\n${rs.analysed}/${rs.candidates} analysed` : 'No review set open', crashLine]
      .filter(Boolean)
      .join('\n');
    // Read out (and findable) without hovering: the state, and that a crash was recovered from.
    if (this.sandbox) {
      item.text += ` · $(warning) ${this.sandbox.text}`;
      item.tooltip += `\n${this.sandbox.tooltip}`;
      item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
    }
    item.accessibilityInformation = {
      label: ['Loophole', rs ? summary(rs) : 'no review set open', this.sandbox?.text, crashLine].filter(Boolean).join(', '),
    };
    item.command = rs ? 'loophole.next' : 'loophole.open';
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

export function summary(rs: ReviewSetInfo): string {
  return `${rs.hacks} ${rs.hacks === 1 ? 'hack' : 'hacks'} · ${rs.reviewed}/${rs.candidates} reviewed`;
}
