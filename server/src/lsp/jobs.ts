/**
 * The job requests of the language server (`loophole/jobs`, `loophole/job`, `loophole/jobSubmit`,
 * `loophole/jobCancel`, `loophole/jobResume`, `loophole/devices`) and the `loophole/jobEvent` stream.
 *
 * `JobsHost` owns the queue of the open review set: `attach` creates it when a set opens (jobs a dead
 * server left running become `interrupted` there), `detach` closes it before the set's store closes
 * (running jobs stop at their next step and save). Queue events are forwarded as notifications:
 * status changes at once, the chatty rest (progress, metrics, log lines, artifacts) gathered for
 * `FLUSH_MS` so a fast training loop cannot flood the client.
 */
import path from 'node:path';
import { type CancellationToken, type Connection, ErrorCodes, ResponseError } from 'vscode-languageserver/node';
import { recontextualizeAndRetrain, type ChainSettings } from '../jobs/chain';
import { PRESETS, PRESET_NAMES, type PresetName } from '../jobs/presets';
import { pipInstallHint } from '../jobs/python';
import { JobFailure, type JobQueue } from '../jobs/queue';
import { createJobQueue } from '../jobs';
import type { JobEvent, JobKind, JobRecord, JobState } from '../jobs/types';
import { runWorker } from '../jobs/worker';
import type { Store } from '../store/store';
import { ParamReader } from './params';
import {
  type DevicesResult,
  DevicesRequest,
  type JobDetail,
  JobCancelRequest,
  JobEventNotification,
  type JobEventParams,
  type JobIdParams,
  type JobParams,
  JobRequest,
  JobResumeRequest,
  type JobsParams,
  JobsRequest,
  type JobsResult,
  type JobSubmitKind,
  type JobSubmitParams,
  JobSubmitRequest,
  type LoopholeSettings,
} from './protocol';
import type { ReviewSession } from './session';

/** How long chatty events are gathered before one notification carries them. */
const FLUSH_MS = 200;
/** Log lines per notification; the rest are counted, and `loophole/job` still has them. */
const MAX_LOGS_PER_FLUSH = 100;
const LIST_CAP = 500;
const LOG_TAIL_DEFAULT = 200;
const LOG_TAIL_CAP = 5000;
const SUBMIT_KINDS: readonly JobSubmitKind[] = ['train', 'eval', 'generate', 'retrain'];
const STATES: readonly JobState[] = ['queued', 'running', 'succeeded', 'failed', 'cancelled', 'interrupted'];

/** What the server lends the job handlers. */
export interface JobsServerHost {
  readonly conn: Connection;
  /** The open session, or a `ResponseError(InvalidRequest)` when none is open. */
  need(): ReviewSession;
  handle<P, R>(type: { readonly method: string }, parse: (raw: unknown) => P, fn: (p: P, token: CancellationToken) => R | Promise<R>): void;
  settings(): LoopholeSettings;
}

export class JobsHost {
  private queue: JobQueue | undefined;
  private unsubscribe: (() => void) | undefined;
  private dataDir = '.';
  private buffer: JobEvent[] = [];
  private logsDropped = 0;
  private logsInBuffer = 0;
  private timer: NodeJS.Timeout | undefined;
  private probe: Promise<DevicesResult> | undefined;

  constructor(private readonly host: JobsServerHost) {
    host.handle(JobsRequest, jobsParams, (p) => this.list(p));
    host.handle(JobRequest, jobParams, (p) => this.detail(p));
    host.handle(JobSubmitRequest, submitParams, (p) => this.submit(p));
    host.handle(JobCancelRequest, idParams('loophole/jobCancel'), (p) =>
      this.wrap(() => {
        const q = this.need();
        this.job(p.id);
        q.cancel(p.id);
        return q.jobs.get(p.id)!;
      }),
    );
    host.handle(JobResumeRequest, idParams('loophole/jobResume'), (p) =>
      this.wrap(() => {
        this.job(p.id);
        return this.need().resume(p.id);
      }),
    );
    host.handle(
      DevicesRequest,
      () => ({}),
      () => this.devices(),
    );
  }

  /** Creates the queue over a freshly opened set's store. */
  attach(store: Store, dataDir: string): void {
    this.dataDir = dataDir;
    const queue = createJobQueue(store);
    const listener = (e: JobEvent) => this.onEvent(e);
    queue.on('event', listener);
    this.queue = queue;
    this.unsubscribe = () => queue.off('event', listener);
  }

  /** Stops running jobs (they save first), forwards their last events, and drops the queue. Call
   *  before the store closes. */
  async detach(): Promise<void> {
    const queue = this.queue;
    if (!queue) return;
    this.queue = undefined;
    await queue.close();
    this.flush();
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }

  // ───────────── handlers ─────────────

  private list(p: JobsParams): JobsResult {
    const q = this.need();
    return {
      jobs: q.jobs.list({
        ...(p.state ? { state: p.state } : {}),
        ...(p.parent ? { parent: p.parent } : {}),
        limit: Math.min(p.limit ?? LIST_CAP, LIST_CAP),
      }),
    };
  }

  private detail(p: JobParams): JobDetail {
    const q = this.need();
    const job = this.job(p.id);
    const tail = Math.min(p.logTail ?? LOG_TAIL_DEFAULT, LOG_TAIL_CAP);
    const logTotal = logCount(q, job.id);
    const logs = q.jobs.logs(job.id, 0, LOG_TAIL_CAP * 4).slice(-tail);
    const children = job.kind === 'chain' ? q.jobs.list({ parent: job.id }).reverse() : [];
    const metricsJob = job.kind === 'chain' ? children.filter((c) => c.kind === 'train').at(-1)?.id : job.id;
    return {
      job,
      logs,
      logTotal,
      metrics: metricsJob ? q.jobs.metrics(metricsJob) : [],
      ...(metricsJob ? { metricsJob } : {}),
      artifacts: [job, ...children].flatMap((j) => q.jobs.artifacts(j.id)),
      children,
    };
  }

  private submit(p: JobSubmitParams): JobRecord {
    if (this.host.settings().workspaceTrusted !== true) {
      throw new ResponseError(
        ErrorCodes.InvalidRequest,
        'loophole/jobSubmit: jobs do not run in an untrusted workspace (training loads model code, evaluation runs samples); trust the workspace first (other editors: initializationOptions.workspaceTrusted = true)',
      );
    }
    const q = this.need();
    const preset = PRESETS[p.preset ?? 'conservative'];
    const c = this.resolvePaths(p.config);
    const device = p.device ?? (typeof c.device === 'string' ? c.device : undefined);
    const model = typeof c.model === 'string' ? c.model : undefined;
    if (!model) throw invalid('loophole/jobSubmit', `'config.model' is required (a model folder, a .gguf file or builtin:smollm2-135m)`);
    const modelName = path.basename(model.replace(/\/+$/, ''));
    const withDevice = device ? { device } : {};
    return this.wrap(() => {
      switch (p.kind) {
        case 'train': {
          if (typeof c.data !== 'string')
            throw invalid('loophole/jobSubmit', `a train job needs 'config.data' (a chat JSONL file from an export)`);
          return q.submit('train', p.name ?? `train ${modelName} on ${path.basename(c.data)}`, { ...preset.train, ...c, ...withDevice });
        }
        case 'generate':
        case 'eval': {
          const g = p.kind === 'generate' ? preset.generate : preset.eval;
          const defaults = { variants: [...g.variants], n: g.n, temperature: g.temperature, maxTokens: g.maxTokens };
          return q.submit(p.kind as JobKind, p.name ?? `${p.kind} ${modelName}`, { ...defaults, ...c, ...withDevice });
        }
        case 'retrain': {
          const settings = { ...c, preset: p.preset ?? 'conservative', ...withDevice } as unknown as ChainSettings;
          return recontextualizeAndRetrain(this.host.need().store, settings, q, p.name ?? `recontextualize and retrain ${modelName}`);
        }
      }
    });
  }

  private devices(): Promise<DevicesResult> {
    this.probe ??= runWorker('probe', {}, {}).done.then(
      (r): DevicesResult => ({
        devices: r.devices,
        packages: r.packages,
        missing: r.missing,
        ...(r.missing.length ? { suggestion: safeHint() } : {}),
      }),
      (e: unknown): DevicesResult => {
        this.probe = undefined; // a later request tries again (the person may install what was missing)
        const err = e as { message?: string; kind?: string; suggestion?: string };
        return {
          devices: [{ id: 'cpu', name: 'CPU', bf16: false }],
          packages: {},
          missing: err.kind === 'missing_package' ? [packageOf(err.message ?? '')].filter(Boolean) : [],
          suggestion: err.suggestion ?? safeHint(),
          error: err.message ?? String(e),
        };
      },
    );
    return this.probe;
  }

  // ───────────── events ─────────────

  private onEvent(e: JobEvent): void {
    if (e.type === 'status') {
      this.buffer.push(e);
      this.flush();
      return;
    }
    if (e.type === 'progress') {
      this.buffer = this.buffer.filter((b) => !(b.type === 'progress' && b.jobId === e.jobId));
    } else if (e.type === 'log') {
      if (this.logsInBuffer >= MAX_LOGS_PER_FLUSH) {
        this.logsDropped++;
        return;
      }
      this.logsInBuffer++;
    }
    this.buffer.push(e);
    this.timer ??= setTimeout(() => this.flush(), FLUSH_MS);
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.buffer.length === 0) return;
    const params: JobEventParams = { events: this.buffer, ...(this.logsDropped ? { logsDropped: this.logsDropped } : {}) };
    this.buffer = [];
    this.logsDropped = 0;
    this.logsInBuffer = 0;
    void this.host.conn.sendNotification(JobEventNotification.method, params);
  }

  // ───────────── plumbing ─────────────

  private need(): JobQueue {
    this.host.need();
    if (!this.queue) throw new ResponseError(ErrorCodes.InvalidRequest, 'the job queue is not running');
    return this.queue;
  }

  private job(id: string): JobRecord {
    const j = this.need().jobs.get(id);
    if (!j) throw new ResponseError(ErrorCodes.InvalidParams, `no job '${id}' in this review set`);
    return j;
  }

  /** The queue's typed refusals (`bad_input`: e.g. resuming a running job) answer as InvalidParams. */
  private wrap<T>(fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      if (e instanceof JobFailure) throw new ResponseError(ErrorCodes.InvalidParams, e.message);
      throw e;
    }
  }

  private resolvePaths(config: Readonly<Record<string, unknown>>): Record<string, unknown> {
    const out: Record<string, unknown> = { ...config };
    for (const k of ['model', 'data', 'validation'] as const) {
      const v = out[k];
      if (typeof v === 'string' && v && !v.startsWith('builtin:') && !path.isAbsolute(v)) out[k] = path.resolve(this.dataDir, v);
    }
    return out;
  }
}

function logCount(q: JobQueue, id: string): number {
  const row = q.jobs.db.prepare('SELECT COUNT(*) AS n FROM job_logs WHERE job_id = ?').get(id) as { n: number } | undefined;
  return Number(row?.n ?? 0);
}

function safeHint(): string {
  try {
    return pipInstallHint();
  } catch {
    return 'pip install -r server/python/requirements-worker.txt';
  }
}

function packageOf(message: string): string {
  return /No module named '([^']+)'/.exec(message)?.[1] ?? /\b(torch|transformers|peft|accelerate)\b/.exec(message)?.[1] ?? '';
}

// ───────────── params ─────────────

function invalid(method: string, message: string): ResponseError<void> {
  return new ResponseError(ErrorCodes.InvalidParams, `${method}: ${message}`);
}

export function jobsParams(p: unknown): JobsParams {
  const r = ParamReader.of('loophole/jobs', p ?? {});
  const state = r.optEnum('state', STATES);
  const parent = r.optString('parent');
  const limit = r.optNumber('limit', 1, 100_000, true);
  return { ...(state ? { state } : {}), ...(parent ? { parent } : {}), ...(limit !== undefined ? { limit } : {}) };
}

export function jobParams(p: unknown): JobParams {
  const r = ParamReader.of('loophole/job', p);
  const logTail = r.optNumber('logTail', 0, 1_000_000, true);
  return { id: r.string('id'), ...(logTail !== undefined ? { logTail } : {}) };
}

function idParams(method: string) {
  return (p: unknown): JobIdParams => ({ id: ParamReader.of(method, p).string('id') });
}

export function submitParams(p: unknown): JobSubmitParams {
  const method = 'loophole/jobSubmit';
  const r = ParamReader.of(method, p);
  const kind = r.optEnum('kind', SUBMIT_KINDS);
  if (!kind) throw invalid(method, `'kind' is required: one of ${SUBMIT_KINDS.join(', ')}`);
  const preset = r.optEnum('preset', PRESET_NAMES as readonly PresetName[]);
  const device = r.optString('device');
  if (device !== undefined && !/^(auto|cpu|cuda(:\d+)?)$/.test(device))
    throw invalid(method, `'device' must be auto, cpu, cuda or cuda:N, got ${JSON.stringify(device)}`);
  const name = r.optString('name');
  const config = r.raw('config');
  if (config === null || typeof config !== 'object' || Array.isArray(config)) throw invalid(method, `'config' must be an object`);
  return {
    kind,
    ...(preset ? { preset } : {}),
    ...(device ? { device } : {}),
    ...(name ? { name } : {}),
    config: config as Record<string, unknown>,
  };
}
