/**
 * Work-done progress for long requests (analysis, export): on the client's token when it sent one,
 * else on a token the server creates (when the client supports that), else nowhere. The token is
 * registered with the job's abort, so `window/workDoneProgress/cancel` stops the job.
 */
import { randomUUID } from 'node:crypto';
import { type Connection, type ProgressToken, WorkDoneProgress, WorkDoneProgressCreateRequest } from 'vscode-languageserver/node';
import { stackOf } from './errors';

export interface Progress {
  report(percentage: number, message: string): void;
  end(message: string): void;
}

export interface ProgressHost {
  readonly conn: Connection;
  /** Work-done progress tokens of running jobs → their abort (cancel notifications look here). */
  readonly progressJobs: Map<ProgressToken, AbortController>;
  /** Whether the client accepts `window/workDoneProgress/create`. */
  clientProgress(): boolean;
}

export async function beginProgress(
  host: ProgressHost,
  title: string,
  clientToken: ProgressToken | undefined,
  abort: AbortController,
): Promise<Progress> {
  let token = clientToken;
  if (token === undefined && host.clientProgress()) {
    const created = randomUUID();
    try {
      await host.conn.sendRequest(WorkDoneProgressCreateRequest.type, { token: created });
      token = created;
    } catch (e) {
      host.conn.console.warn(`work-done progress unavailable: ${stackOf(e)}`);
    }
  }
  if (token === undefined) return { report: () => undefined, end: () => undefined };
  const t = token;
  host.progressJobs.set(t, abort);
  void host.conn.sendProgress(WorkDoneProgress.type, t, { kind: 'begin', title, cancellable: true, percentage: 0 });
  return {
    report: (percentage, message) => void host.conn.sendProgress(WorkDoneProgress.type, t, { kind: 'report', percentage, message }),
    end: (message) => {
      host.progressJobs.delete(t);
      void host.conn.sendProgress(WorkDoneProgress.type, t, { kind: 'end', message });
    },
  };
}
