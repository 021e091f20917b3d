import * as vscode from 'vscode';
import { TERMINAL_STATES, type JobRecord } from '../../contract/jobs';
import type { ChainResult, EvalResult } from '../../contract/evaluation';
import { hackN, pctWithInterval, withIntervals } from '../../contract/evaluation';
import { JobCancelRequest } from '../../contract/lsp';
import { describeJobError } from '../../contract/jobErrors';
import { describe, type Session } from '../client/session';
import type { JobEvents } from './jobEvents';

/**
 * Follows a running job in a cancellable notification (`window.withProgress`) until it ends: the
 * progress of the job or of its running step, the latest loss. The notification's cancel button
 * sends `loophole/jobCancel`; the job then stops at its next step. Resolves with the final record.
 */
export function followJob(
  session: Session,
  events: JobEvents,
  job: JobRecord,
  openJob: (j: JobRecord) => void,
): Promise<JobRecord | undefined> {
  return Promise.resolve(
    vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Loophole: ${job.name}`, cancellable: true },
      (progress, token) =>
        new Promise<JobRecord | undefined>((resolve) => {
          const family = new Set([job.id]);
          let lastPct = 0;
          const cancelSub = token.onCancellationRequested(() => {
            session
              .request(JobCancelRequest, { id: job.id })
              .catch((err: unknown) => session.log.warn(`cancel ${job.id}: ${describe(err)}`));
            progress.report({ message: 'cancelling: the job stops after its current step…' });
          });
          const sub = events.onDidReceive((evs) => {
            for (const e of evs) {
              if (e.type === 'status') {
                if (e.job.parent === job.id) family.add(e.job.id);
                if (e.job.id === job.id && TERMINAL_STATES.includes(e.job.status.state)) {
                  sub.dispose();
                  cancelSub.dispose();
                  resolve(e.job);
                  return;
                }
                if (family.has(e.job.id) && e.job.id !== job.id) progress.report({ message: `${e.job.kind}: ${e.job.status.state}` });
              } else if (e.type === 'progress' && family.has(e.jobId) && e.progress.total > 0) {
                const pct = Math.floor((100 * e.progress.done) / e.progress.total);
                progress.report({
                  increment: Math.max(0, pct - lastPct),
                  message: `${e.progress.done}/${e.progress.total}${e.progress.message ? ` ${e.progress.message}` : ''}`,
                });
                lastPct = pct;
              } else if (e.type === 'metric' && family.has(e.jobId)) {
                progress.report({ message: `step ${e.metric.step}, loss ${e.metric.loss === null ? 'NaN' : e.metric.loss.toFixed(3)}` });
              }
            }
          });
        }),
    ),
  ).then((done) => {
    if (done) void announce(done, openJob);
    return done;
  });
}

/** Says how a job ended; a failure names what to do, with "Copy command" where there is one. */
export async function announce(job: JobRecord, openJob: (j: JobRecord) => void): Promise<void> {
  const s = job.status;
  if (s.state === 'failed') {
    const t = describeJobError(s.error);
    const actions = [...(t.command ? ['Copy command'] : []), 'Open Job'];
    const pick = await vscode.window.showErrorMessage(`${job.name} failed. ${t.title} ${t.advice}`, ...actions);
    if (pick === 'Copy command' && t.command) await vscode.env.clipboard.writeText(t.command);
    if (pick === 'Open Job') openJob(job);
    return;
  }
  if (s.state === 'succeeded') {
    const pick = await vscode.window.showInformationMessage(
      `${job.name} finished. ${resultSummary(job.kind, s.result)}`.trim(),
      'Open Job',
    );
    if (pick) openJob(job);
    return;
  }
  if (s.state === 'interrupted') {
    void vscode.window.showWarningMessage(`${job.name} was interrupted (${s.reason}). Resume it from the Jobs view.`);
  }
}

/** The hack rate and accuracy per prompt variant of an evaluation (a chain's raw and EMA adapters', or an eval job's). */
export function resultSummary(kind: string, result: unknown): string {
  const chain = kind === 'chain' ? (result as ChainResult | undefined) : undefined;
  const one = (ev: EvalResult | undefined) => {
    if (!ev?.variants) return '';
    return Object.entries(ev.variants)
      .map(([v, raw]) => {
        const m = withIntervals(raw);
        const hack = hackN(m) > 0 ? pctWithInterval(m.hackRate, m.hackRateCI, 0) : 'n/a';
        return `${v} (n=${m.samples}): hack rate ${hack}, accuracy ${pctWithInterval(m.accuracy, m.accuracyCI, 0)}`;
      })
      .join('; ');
  };
  if (chain) {
    const raw = one(chain.eval);
    const ema = one(chain.evalEma);
    const held = chain.split?.eval.length ?? 0;
    const where = chain.split ? ` on ${held} held-out problem${held === 1 ? '' : 's'} (${chain.policy})` : '';
    return raw ? `Evaluation${where} — raw: ${raw}.${ema ? ` EMA: ${ema}.` : ''}` : '';
  }
  const parts = one(result as EvalResult | undefined);
  return parts ? `Evaluation — ${parts}.` : '';
}
