/**
 * What `generate`, `train`, `eval` and `jobs` share: opening the review set's store, running one job
 * in this process with a progress bar on stderr (Ctrl-C cancels it: the worker stops at its next step
 * and saves), and printing a finished job.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { UsageError, type CliContext } from '../command';
import { createJobQueue } from '../../jobs';
import type { JobQueue } from '../../jobs/queue';
import type { JobEvent, JobRecord } from '../../jobs/types';
import { openReviewSet } from '../../pipeline/analyze';
import { Store, STORE_DIR, STORE_FILE } from '../../store/store';

/** The store for a review set (file or folder, default the working directory); imports the data when
 *  no store exists yet. */
export async function openStoreFor(arg: string | undefined, ctx: CliContext): Promise<Store> {
  const target = path.resolve(ctx.cwd, arg ?? '.');
  if (!existsSync(target)) throw new UsageError(`${arg ?? target}: no such file or folder`);
  const dataDir = statSync(target).isDirectory() ? target : path.dirname(target);
  const db = path.join(dataDir, STORE_DIR, STORE_FILE);
  if (existsSync(db)) return Store.openFile(db);
  if (statSync(target).isDirectory())
    throw new UsageError(`${arg ?? target}: no review set here (no ${path.join(STORE_DIR, STORE_FILE)}); pass the data file`);
  return (await openReviewSet(target)).store;
}

export function queueFor(store: Store, python?: string): JobQueue {
  return createJobQueue(store, python ? { worker: { python } } : {});
}

/** Submits, follows and returns the job; SIGINT/SIGTERM cancel it (it saves and stops at the next step). */
export async function runJob(queue: JobQueue, job: JobRecord, ctx: CliContext, label: string): Promise<JobRecord> {
  const bar = ctx.progress(label);
  const onEvent = (e: JobEvent) => {
    if (e.type === 'progress') {
      bar.total(e.progress.total);
      bar.update(e.progress.done, e.progress.message);
    } else if (e.type === 'metric' && e.metric.loss !== null) {
      bar.update(
        e.metric.step,
        `loss ${e.metric.loss.toFixed(4)} lr ${e.metric.lr.toExponential(2)} ${Math.round(e.metric.tokensPerS)} tok/s`,
      );
    } else if (e.type === 'log' && e.line.level === 'warn' && e.line.source !== 'stderr') {
      ctx.stderr.write(`${e.line.level}: ${e.line.message}\n`);
    }
  };
  queue.on('event', onEvent);
  const onAbort = () => queue.cancel(job.id);
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  try {
    const done = await queue.wait(job.id);
    bar.done(done.status.state);
    return done;
  } finally {
    queue.off('event', onEvent);
    ctx.signal.removeEventListener('abort', onAbort);
  }
}

/** Prints the outcome; returns the exit code (0 only for `succeeded`). */
export function report(job: JobRecord, ctx: CliContext, json: boolean): number {
  if (json) {
    ctx.stdout.write(JSON.stringify(job, null, 2) + '\n');
  } else {
    ctx.stdout.write(describeJob(job) + '\n');
    const s = job.status;
    if (s.state === 'succeeded' || (s.state === 'cancelled' && s.result !== undefined))
      ctx.stdout.write(JSON.stringify((s as { result: unknown }).result, null, 2) + '\n');
  }
  const s = job.status;
  if (s.state === 'failed') {
    ctx.stderr.write(`${s.error.kind}: ${s.error.message}\n`);
    if (s.error.suggestion) ctx.stderr.write(`suggestion: ${s.error.suggestion}\n`);
  }
  if ((s.state === 'failed' && s.resumable) || s.state === 'interrupted' || s.state === 'cancelled') {
    ctx.stderr.write(`resume with: loophole jobs resume ${job.id}\n`);
  }
  return s.state === 'succeeded' ? 0 : 1;
}

export function describeJob(j: JobRecord): string {
  const s = j.status;
  const when = s.state === 'running' ? `since ${s.startedAt}` : 'endedAt' in s ? `at ${s.endedAt}` : `queued ${j.createdAt}`;
  const why = s.state === 'failed' ? ` — ${s.error.kind}: ${s.error.message}` : s.state === 'interrupted' ? ` — ${s.reason}` : '';
  const prog = s.state === 'running' && j.progress ? ` ${j.progress.done}/${j.progress.total}` : '';
  return `${j.id}  ${j.kind.padEnd(8)} ${s.state.padEnd(11)} ${j.device ?? '-'}  ${when}${prog}  ${j.name}${why}`;
}

/** `--set key=value` pairs; values are JSON when they parse as JSON, else strings. */
export function setPairs(specs: readonly string[] | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const spec of specs ?? []) {
    const m = /^([A-Za-z_][A-Za-z0-9_.]*)=(.*)$/s.exec(spec);
    if (!m) throw new UsageError(`--set expects KEY=VALUE, got '${spec}'`);
    let v: unknown;
    try {
      v = JSON.parse(m[2]!);
    } catch {
      v = m[2]!;
    }
    out[m[1]!] = v;
  }
  return out;
}

export const csv = (s: string | undefined) =>
  s === undefined
    ? undefined
    : s
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean);
