/**
 * The job queue: runs jobs from the store's `jobs` table, at most one per device at a time — one
 * lock per device shared with the local judge and the activation probe (`deviceLock.ts`), so a job
 * waits while a monitor computes on its device and the other way round.
 *
 * - `submit` records a job `queued` and starts it as soon as its device is free. Jobs that use the
 *   worker ask for a device (`auto`, `cpu`, `cuda:N`); `auto` takes the first free CUDA device, or
 *   the CPU when the machine has none. Chains and endpoint generation need no device.
 * - `cancel` asks the running job to stop at its next step (it ends `cancelled` with what it saved);
 *   a queued job is cancelled at once. Another process sharing the store can cancel too: the flag
 *   is read at every worker heartbeat.
 * - At construction, jobs a previous server left `running` (its process is gone) become `interrupted`;
 *   a job another live process runs is left alone. `resume` re-queues
 *   an interrupted, failed or cancelled job with `resume: true` so it continues from its checkpoint.
 *
 * Events (`'event'`, a `JobEvent`) report status changes, progress, log lines, metrics and artifacts.
 */
import { EventEmitter } from 'node:events';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { DatabaseSyncInstance } from '@photostructure/sqlite';
import { deviceBusy, onDeviceFree, otherProcessHolder, tryTakeDevice } from './deviceLock';
import { JobStore } from './jobStore';
import { WorkerFailure, runWorker, type WorkerRunOptions } from './worker';
import { ensureWorkerPackages } from './packages';
import type { CommandConfigs, CommandResults, DebugConfig, WorkerCommand } from './workerProtocol';
import {
  TERMINAL_STATES,
  type ArtifactRecord,
  type JobError,
  type JobEvent,
  type JobKind,
  type JobProgress,
  type JobRecord,
  type JobStatus,
  type LogLine,
  type MetricPoint,
} from '../../../contract/jobs';
import type { ProbeDevice } from '../../../contract/jobs';

/** What a runner gets: its job, its device, a signal aborted on cancel, and the ways to report. */
export interface JobContext {
  readonly job: JobRecord;
  /** `cpu` / `cuda:N`; undefined for jobs that need none. */
  readonly device?: string;
  /** The job's own folder for outputs: `<store folder>/jobs/<id>/`. */
  readonly dir: string;
  readonly signal: AbortSignal;
  readonly queue: JobQueue;
  log(level: LogLine['level'], message: string): void;
  progress(p: JobProgress): void;
  /** Runs the worker with the job's device, logging, metrics, artifacts and cancellation wired in. */
  worker<C extends WorkerCommand>(command: C, config: CommandConfigs[C] & DebugConfig): Promise<CommandResults[C]>;
}

/** Returns the job's result (stored in `succeeded`); throw `WorkerFailure` or `JobFailure` for a typed error. A runner
 *  that returns after its signal was aborted ends `cancelled`. */
export type JobRunner = (ctx: JobContext) => Promise<unknown>;

export class JobFailure extends Error {
  override readonly name = 'JobFailure';
  constructor(
    readonly kind: string,
    message: string,
    readonly suggestion?: string,
  ) {
    super(message);
  }
}

export interface JobQueueOptions {
  /** The store's database handle (`Store.db`); the job tables are created in it. */
  readonly db: DatabaseSyncInstance;
  /** Folder for job outputs; default: `jobs/` beside the database. */
  readonly jobsDir: string;
  readonly runners: Partial<Record<JobKind, JobRunner>>;
  /** The devices to schedule on; default: probed once through the worker. */
  readonly devices?: readonly string[];
  /** The worker's interpreter and spawn options. */
  readonly worker?: Omit<WorkerRunOptions, 'signal' | 'onMessage' | 'onStderr'>;
}

/** Configs of device-using jobs carry `device`; endpoint generation carries `endpoint` and needs none. */
function deviceRequest(kind: JobKind, config: unknown): string | undefined {
  if (kind === 'chain') return undefined;
  const c = (config ?? {}) as { device?: string; endpoint?: unknown };
  if (c.endpoint) return undefined;
  return c.device ?? 'auto';
}

export class JobQueue extends EventEmitter {
  readonly jobs: JobStore;
  private readonly running = new Map<string, { controller: AbortController; device?: string; promise: Promise<void> }>();
  /** A device freed by anyone (a job, a monitor) may let a queued job start. A queue whose database
   *  was closed without `close()` stops listening at its first failed pump. */
  private readonly unsubscribe: () => void = onDeviceFree(() => void this.pump().catch(() => this.unsubscribe()));
  private deviceList: Promise<string[]> | undefined;
  private closed = false;
  private readonly waiters = new Map<string, ((j: JobRecord) => void)[]>();

  constructor(private readonly opts: JobQueueOptions) {
    super();
    this.jobs = new JobStore(opts.db);
    this.jobs.recoverInterrupted();
    if (opts.devices) this.deviceList = Promise.resolve([...opts.devices]);
  }

  /** The devices jobs are scheduled on: `cuda:N` for each GPU the worker sees, and `cpu`. */
  async devices(): Promise<ProbeDevice[]> {
    if (this.opts.devices) return this.opts.devices.map((id) => ({ id, name: id, bf16: id.startsWith('cuda') }));
    const r = await runWorker('probe', {}, this.opts.worker ?? {}).done;
    this.deviceList ??= Promise.resolve(r.devices.map((d) => d.id));
    return [...r.devices];
  }

  submit(kind: JobKind, name: string, config: unknown, opts: { parent?: string } = {}): JobRecord {
    if (this.closed) throw new Error('the job queue is closed');
    const job = this.jobs.create(kind, name, config, {
      ...(deviceRequest(kind, config) ? { device: deviceRequest(kind, config)! } : {}),
      ...(opts.parent ? { parent: opts.parent } : {}),
    });
    this.jobs.log(job.id, 'server', 'info', `queued ${kind} job '${name}'`);
    this.emitStatus(job.id);
    void this.pump();
    return this.jobs.get(job.id)!;
  }

  cancel(id: string): void {
    const job = this.jobs.get(id);
    if (!job) throw new JobFailure('bad_input', `no job ${id}`);
    this.jobs.requestCancel(id);
    if (job.status.state === 'queued' && !this.running.has(id)) {
      this.finish(id, { state: 'cancelled', endedAt: new Date().toISOString() });
      return;
    }
    this.running.get(id)?.controller.abort();
    for (const child of this.jobs.list({ parent: id })) if (!TERMINAL_STATES.includes(child.status.state)) this.cancel(child.id);
  }

  /** Re-queues a stopped job to continue from where it stopped (its checkpoint, its samples so far). */
  resume(id: string): JobRecord {
    const job = this.jobs.get(id);
    if (!job) throw new JobFailure('bad_input', `no job ${id}`);
    if (!['interrupted', 'failed', 'cancelled'].includes(job.status.state)) {
      throw new JobFailure('bad_input', `job ${id} is ${job.status.state}; only an interrupted, failed or cancelled job can be resumed`);
    }
    const config = { ...(job.config as object), resume: true };
    this.jobs.requeue(id, config);
    this.jobs.setDevice(id, deviceRequest(job.kind, config));
    this.jobs.log(id, 'server', 'info', `resumed (attempt ${job.attempt + 1})`);
    this.emitStatus(id);
    void this.pump();
    return this.jobs.get(id)!;
  }

  /** Resolves when the job reaches a terminal state. */
  wait(id: string): Promise<JobRecord> {
    const job = this.jobs.get(id);
    if (!job) return Promise.reject(new JobFailure('bad_input', `no job ${id}`));
    if (TERMINAL_STATES.includes(job.status.state) && !this.running.has(id)) return Promise.resolve(job);
    return new Promise((resolve) => this.waiters.set(id, [...(this.waiters.get(id) ?? []), resolve]));
  }

  /** Cancels running jobs and waits for them to stop (they save first). */
  async close(): Promise<void> {
    this.closed = true;
    this.unsubscribe();
    for (const r of this.running.values()) r.controller.abort();
    await Promise.allSettled([...this.running.values()].map((r) => r.promise));
  }

  private emit_(e: JobEvent): void {
    this.emit('event', e);
  }

  private emitStatus(id: string): void {
    const job = this.jobs.get(id);
    if (job) this.emit_({ type: 'status', job });
  }

  private finish(id: string, status: JobStatus): void {
    this.jobs.setStatus(id, status);
    const detail = status.state === 'failed' ? `: ${status.error.message}` : status.state === 'interrupted' ? `: ${status.reason}` : '';
    this.jobs.log(
      id,
      'server',
      status.state === 'succeeded' || status.state === 'cancelled' ? 'info' : 'error',
      `${status.state}${detail}`,
    );
    this.emitStatus(id);
  }

  private async pickDevice(requested: string): Promise<string | undefined> {
    this.deviceList ??= this.devices().then(
      (d) => d.map((x) => x.id),
      () => ['cpu'],
    );
    const list = await this.deviceList;
    if (requested === 'auto') {
      const gpus = list.filter((d) => d.startsWith('cuda'));
      const pool = gpus.length > 0 ? gpus : ['cpu'];
      return pool.find((d) => !deviceBusy(d));
    }
    const want = requested === 'cuda' ? 'cuda:0' : requested;
    return deviceBusy(want) ? undefined : want;
  }

  private pumping = false;
  private repump = false;
  private readonly waitNoted = new Set<string>();

  /** Says once, in the job's log, when its GPU is held by another process (it starts when that ends). */
  private noteWaiting(id: string, requested: string): void {
    if (this.waitNoted.has(id)) return;
    const holder = otherProcessHolder(requested === 'auto' ? 'cuda:0' : requested);
    if (!holder) return;
    this.waitNoted.add(id);
    const line = this.jobs.log(
      id,
      'server',
      'info',
      `waiting for ${requested === 'auto' ? 'a GPU' : requested}: another Loophole process (pid ${holder.pid}) has computed on it since ${holder.since}; this job starts when it is done`,
    );
    // the job's state does not change, so a log view learns of it from this event alone
    this.emit_({ type: 'log', jobId: id, line });
  }

  private async pump(): Promise<void> {
    if (this.pumping) {
      this.repump = true;
      return;
    }
    this.pumping = true;
    try {
      do {
        this.repump = false;
        const queued = this.jobs.list({ state: 'queued' }).reverse(); // oldest first
        for (const job of queued) {
          if (this.closed || this.running.has(job.id)) continue;
          const runner = this.opts.runners[job.kind];
          if (!runner) {
            this.finish(job.id, {
              state: 'failed',
              endedAt: new Date().toISOString(),
              error: { kind: 'internal', message: `no runner for ${job.kind} jobs in this process` },
              resumable: false,
            });
            continue;
          }
          const requested = deviceRequest(job.kind, job.config);
          let device: string | undefined;
          let release: (() => void) | undefined;
          if (requested !== undefined) {
            device = await this.pickDevice(requested);
            if (device === undefined) this.noteWaiting(job.id, requested);
            if (device === undefined || this.closed || this.running.has(job.id)) continue; // its device is busy: it waits for the next pump
            release = tryTakeDevice(device, this.running);
            if (!release) continue;
          }
          this.start(job, runner, device, release);
        }
      } while (this.repump);
    } finally {
      this.pumping = false;
    }
  }

  private start(job: JobRecord, runner: JobRunner, device: string | undefined, releaseDevice?: () => void): void {
    const controller = new AbortController();
    if (device) this.jobs.setDevice(job.id, device);
    this.jobs.setStatus(job.id, {
      state: 'running',
      startedAt: new Date().toISOString(),
      owner: process.pid,
      ...(device ? { device } : {}),
    });
    this.jobs.log(job.id, 'server', 'info', `running${device ? ` on ${device}` : ''} (attempt ${job.attempt})`);
    this.emitStatus(job.id);
    const dir = path.join(this.opts.jobsDir, job.id);
    mkdirSync(dir, { recursive: true });
    const ctx = this.context(this.jobs.get(job.id)!, device, dir, controller);
    const promise = (async () => {
      try {
        const result = await runner(ctx);
        if (controller.signal.aborted)
          this.finish(job.id, { state: 'cancelled', endedAt: new Date().toISOString(), ...(result !== undefined ? { result } : {}) });
        else this.finish(job.id, { state: 'succeeded', endedAt: new Date().toISOString(), result: result ?? null });
      } catch (err) {
        this.finish(job.id, this.failureStatus(job, err, controller.signal.aborted));
      } finally {
        this.running.delete(job.id);
        releaseDevice?.();
        const record = this.jobs.get(job.id)!;
        for (const w of this.waiters.get(job.id) ?? []) w(record);
        this.waiters.delete(job.id);
        void this.pump();
      }
    })();
    this.running.set(job.id, { controller, ...(device ? { device } : {}), promise });
  }

  private failureStatus(job: JobRecord, err: unknown, aborted: boolean): JobStatus {
    const endedAt = new Date().toISOString();
    const resumable = job.kind !== 'chain';
    if (err instanceof WorkerFailure && (err.kind === 'crashed' || err.kind === 'hung')) {
      return { state: 'interrupted', endedAt, reason: err.message, resumable };
    }
    if (aborted && (err as Error)?.name === 'AbortError') return { state: 'cancelled', endedAt };
    const error: JobError =
      err instanceof WorkerFailure || err instanceof JobFailure
        ? { kind: err.kind, message: err.message, ...(err.suggestion ? { suggestion: err.suggestion } : {}) }
        : { kind: 'internal', message: (err as Error)?.message ?? String(err) };
    if (error.suggestion) this.jobs.log(job.id, 'server', 'error', `suggestion: ${error.suggestion}`);
    return { state: 'failed', endedAt, error, resumable: resumable && error.kind !== 'bad_input' && error.kind !== 'no_python' };
  }

  private context(job: JobRecord, device: string | undefined, dir: string, controller: AbortController): JobContext {
    const log = (level: LogLine['level'], message: string, source: LogLine['source'] = 'server') => {
      const line = this.jobs.log(job.id, source, level, message);
      this.emit_({ type: 'log', jobId: job.id, line });
    };
    const progress = (p: JobProgress) => {
      this.jobs.setProgress(job.id, p);
      this.emit_({ type: 'progress', jobId: job.id, progress: p });
    };
    // A cancel requested by another process sharing the store.
    const checkCancel = () => {
      if (!controller.signal.aborted && this.jobs.cancelRequested(job.id)) controller.abort();
    };
    return {
      job,
      ...(device ? { device } : {}),
      dir,
      signal: controller.signal,
      queue: this,
      log: (level, message) => log(level, message),
      progress,
      worker: async <C extends WorkerCommand>(command: C, config: CommandConfigs[C] & DebugConfig) => {
        await ensureWorkerPackages({
          ...(this.opts.worker?.python ? { python: this.opts.worker.python } : {}),
          log: (level, message) => log(level, message),
          signal: controller.signal,
        });
        const run = runWorker(command, { ...config, ...(device ? { device } : {}) } as CommandConfigs[C] & DebugConfig, {
          ...this.opts.worker,
          signal: controller.signal,
          onStderr: (l) => log('info', l, 'stderr'),
          onMessage: (m) => {
            switch (m.type) {
              case 'hello':
                log('info', `worker ${m.worker} (protocol ${m.protocol}, Python ${m.python}, pid ${m.pid}) started`);
                this.jobs.setStatus(job.id, {
                  state: 'running',
                  startedAt: new Date().toISOString(),
                  owner: process.pid,
                  pid: m.pid,
                  ...(device ? { device } : {}),
                });
                break;
              case 'heartbeat':
                checkCancel();
                break;
              case 'log':
                log(m.level, m.message, 'worker');
                break;
              case 'progress':
                progress({ done: m.done, total: m.total, ...(m.message ? { message: m.message } : {}) });
                checkCancel();
                break;
              case 'metric': {
                const metric: MetricPoint = { step: m.step, loss: m.loss, lr: m.lr, tokensPerS: m.tokens_per_s };
                this.jobs.metric(job.id, metric);
                this.emit_({ type: 'metric', jobId: job.id, metric });
                checkCancel();
                break;
              }
              case 'artifact': {
                const a: ArtifactRecord = { kind: m.kind, path: m.path, ...(m.step !== undefined ? { step: m.step } : {}) };
                this.jobs.artifact(job.id, a);
                this.emit_({ type: 'artifact', jobId: job.id, artifact: a });
                break;
              }
              case 'error':
                log('error', `${m.kind}: ${m.message}`, 'worker');
                break;
              default:
                break;
            }
          },
        });
        return run.done;
      },
    };
  }
}
