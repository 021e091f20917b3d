import * as vscode from 'vscode';
import { AnalyzeRequest, type AnalyzeResult } from '../../contract/lsp';
import { describe, ServerDownError, type Session } from '../client/session';
import { clientSettings } from '../client/settings';
import type { StatusItem } from './statusItem';

/**
 * Runs `loophole/analyze` with a cancellable notification and the status item both showing the
 * server's work-done progress. One analysis at a time; the status item's cancel command and the
 * notification's cancel button stop the same request.
 */
export class Analysis implements vscode.Disposable {
  private running: vscode.CancellationTokenSource | undefined;
  private seq = 0;

  constructor(
    private readonly session: Session,
    private readonly status: StatusItem,
  ) {}

  get isRunning(): boolean {
    return this.running !== undefined;
  }

  cancel(): void {
    this.running?.cancel();
  }

  async run(): Promise<AnalyzeResult | undefined> {
    if (this.running) {
      void vscode.window.showInformationMessage('Loophole is already analysing; cancel it from the status bar first.');
      return undefined;
    }
    if (this.session.state !== 'running') throw new ServerDownError();
    const execute = clientSettings().execute && vscode.workspace.isTrusted;
    const cts = new vscode.CancellationTokenSource();
    this.running = cts;
    void vscode.commands.executeCommand('setContext', 'loophole.analysing', true);
    const token = `loophole-analyse-${process.pid}-${++this.seq}`;
    try {
      return await vscode.window.withProgress(
        {
          location: vscode.ProgressLocation.Notification,
          title: execute ? 'Loophole: analysing' : 'Loophole: analysing (static only, no code is run)',
          cancellable: true,
        },
        async (progress, notificationToken) => {
          const sub = notificationToken.onCancellationRequested(() => cts.cancel());
          let last = 0;
          this.status.set({ kind: 'analysing', done: 0, total: 0 });
          const listener = this.session.onWorkDoneProgress(token, (p) => {
            if (p.kind === 'end') return;
            const counts = /(\d+)\s*\/\s*(\d+)/.exec(p.message ?? '');
            const done = counts ? Number(counts[1]) : 0;
            const total = counts ? Number(counts[2]) : 0;
            const pct = p.percentage ?? (total ? (100 * done) / total : undefined);
            const message = p.message !== undefined ? { message: p.message } : {};
            if (pct !== undefined && pct > last) {
              progress.report({ increment: pct - last, ...message });
              last = pct;
            } else if (p.message) progress.report({ message: p.message });
            this.status.set({ kind: 'analysing', done, total, ...message });
          });
          try {
            const result = await this.session.request(AnalyzeRequest, { execute, workDoneToken: token }, cts.token);
            this.session.log.info(
              `analysed ${result.analysed}, skipped ${result.skipped}, ${result.hacks} hacks, ${result.errors} errors, executed: ${result.executed}`,
            );
            this.status.setSandbox(
              result.staticOnlyReason
                ? { text: 'static-only', tooltip: `Candidate code was not run: ${result.staticOnlyReason}` }
                : result.executed && result.isolation === 'none'
                  ? { text: 'unisolated', tooltip: 'Candidate code ran WITHOUT isolation (loophole.sandbox.isolation is "none")' }
                  : undefined,
            );
            this.status.set({ kind: 'idle' });
            if (result.errors > 0) this.status.error('Analysis', `${result.errors} candidates could not be analysed`);
            return result;
          } finally {
            listener.dispose();
            sub.dispose();
          }
        },
      );
    } catch (err) {
      if (cts.token.isCancellationRequested) {
        this.session.log.info('Analysis cancelled; finished candidates are kept.');
        this.status.set({ kind: 'idle' });
        return undefined;
      }
      this.status.error('Analysis', describe(err));
      throw err;
    } finally {
      cts.dispose();
      this.running = undefined;
      void vscode.commands.executeCommand('setContext', 'loophole.analysing', false);
      void this.session.refreshReviewSet();
    }
  }

  dispose(): void {
    this.running?.cancel();
  }
}
