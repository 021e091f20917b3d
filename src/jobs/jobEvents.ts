import * as vscode from 'vscode';
import type { JobEvent } from '../../contract/jobs';
import { JobEventNotification } from '../../contract/lsp';
import type { Session } from '../client/session';

/**
 * The server's `loophole/jobEvent` stream as a VS Code event, one batch at a time (the server already
 * gathers the chatty events). Lives as long as the extension; follows the server across restarts.
 */
export class JobEvents implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<readonly JobEvent[]>();
  readonly onDidReceive = this.emitter.event;
  private readonly sub: vscode.Disposable;

  constructor(session: Session) {
    this.sub = session.onNotification(JobEventNotification, (p) => this.emitter.fire(p.events));
  }

  dispose(): void {
    this.sub.dispose();
    this.emitter.dispose();
  }
}
