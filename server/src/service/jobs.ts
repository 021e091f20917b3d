/**
 * Jobs of a review set (generate, train, eval, recontextualize-and-retrain chains), for both adapters:
 * `jobQueueFor` is the one way to start a set's queue (jobs a dead process left running become
 * `interrupted`); `JobService` answers the language server's `loophole/job*` requests over it;
 * `finishedEvaluation` reads an evaluation back for `loophole eval --compare`.
 *
 * Errors: an unknown job id is `NotFound`; the queue's refusals (`JobFailure`, e.g. resuming a running
 * job) and a bad job request are `badInput`; a closed queue is `Unavailable`.
 */
import path from 'node:path';
import { recontextualizeAndRetrain, type ChainSettings } from '../jobs/chain';
import { evalResultOf, withIntervals } from '../../../contract/evaluation';
import { JobStore } from '../jobs/jobStore';
import { PRESETS } from '../jobs/presets';
import { pipInstallHint } from '../jobs/python';
import type { JobQueue } from '../jobs/queue';
import { createJobQueue } from '../jobs';
import type { EvalResult } from '../../../contract/evaluation';
import type { JobKind, JobRecord } from '../../../contract/jobs';
import { runWorker } from '../jobs/worker';
import type { DevicesResult, JobDetail, JobParams, JobsParams, JobsResult, JobSubmitParams } from '../../../contract/lsp';
import type { Store } from '../store/store';
import { dataDirOfStore } from './dataFolder';
import { BadInput, NotFound, Unavailable } from './errors';

export type { JobQueue } from '../jobs/queue';
export type { JobEvent, JobRecord, JobState } from '../../../contract/jobs';

const LIST_CAP = 500;
const LOG_TAIL_DEFAULT = 200;
const LOG_TAIL_CAP = 5000;

/** The job queue of a review set's store; `python` runs the worker (default: the environment's). */
export function jobQueueFor(store: Store, opts: { python?: string } = {}): JobQueue {
  return createJobQueue(store, opts.python ? { worker: { python: opts.python } } : {});
}

/** The `loophole/job*` requests over one open set's queue. */
export class JobService {
  private queue: JobQueue | undefined;
  private readonly store: Store;
  private readonly dataDir: string;

  /** Starts the queue of an open set (a `ReviewSession`, or a store the CLI opened). */
  constructor(set: { readonly store: Store }) {
    this.store = set.store;
    this.queue = jobQueueFor(set.store);
    this.events = this.queue;
    this.dataDir = dataDirOfStore(set.store);
  }

  /** The queue's event source (status changes, progress, metrics, log lines, artifacts); its last
   *  events come while `close` runs. */
  readonly events: Pick<JobQueue, 'on' | 'off'>;

  /** Stops running jobs (they save first) and closes the queue. Call before the store closes. */
  async close(): Promise<void> {
    const q = this.queue;
    this.queue = undefined;
    await q?.close();
  }

  list(p: JobsParams): JobsResult {
    return {
      jobs: this.need().jobs.list({
        ...(p.state ? { state: p.state } : {}),
        ...(p.parent ? { parent: p.parent } : {}),
        limit: Math.min(p.limit ?? LIST_CAP, LIST_CAP),
      }),
    };
  }

  detail(p: JobParams): JobDetail {
    const q = this.need();
    const job = this.job(p.id);
    const tail = Math.min(p.logTail ?? LOG_TAIL_DEFAULT, LOG_TAIL_CAP);
    const logTotal = this.logCount(job.id);
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

  /** Submits a job; relative paths in its config are read from the data folder. */
  submit(p: JobSubmitParams): JobRecord {
    const q = this.need();
    const preset = PRESETS[p.preset ?? 'conservative'];
    const c = this.resolvePaths(p.config);
    const device = p.device ?? (typeof c.device === 'string' ? c.device : undefined);
    const model = typeof c.model === 'string' ? c.model : undefined;
    if (!model) throw new BadInput(`'config.model' is required (a model folder, a .gguf file or builtin:smollm2-135m)`);
    const modelName = path.basename(model.replace(/\/+$/, ''));
    const withDevice = device ? { device } : {};
    switch (p.kind) {
      case 'train': {
        if (typeof c.data !== 'string') throw new BadInput(`a train job needs 'config.data' (a chat JSONL file from an export)`);
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
        return recontextualizeAndRetrain(this.store, settings, q, p.name ?? `recontextualize and retrain ${modelName}`);
      }
    }
  }

  cancel(id: string): JobRecord {
    const q = this.need();
    this.job(id);
    q.cancel(id);
    return q.jobs.get(id)!;
  }

  resume(id: string): JobRecord {
    this.job(id);
    return this.need().resume(id);
  }

  private need(): JobQueue {
    if (!this.queue) throw new Unavailable('the job queue is not running');
    return this.queue;
  }

  private job(id: string): JobRecord {
    const j = this.need().jobs.get(id);
    if (!j) throw new NotFound(`no job '${id}' in this review set`);
    return j;
  }

  private logCount(id: string): number {
    const row = this.need().jobs.db.prepare('SELECT COUNT(*) AS n FROM job_logs WHERE job_id = ?').get(id) as { n: number } | undefined;
    return Number(row?.n ?? 0);
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

/**
 * The worker's devices and packages, probed once (a failed probe is tried again on the next call, as
 * the person may install what was missing). Never rejects: a failure is a CPU-only answer with the
 * error and what to install.
 */
export class DeviceProbe {
  private probe: Promise<DevicesResult> | undefined;

  devices(): Promise<DevicesResult> {
    this.probe ??= runWorker('probe', {}, {}).done.then(
      (r): DevicesResult => ({
        devices: r.devices,
        packages: r.packages,
        missing: r.missing,
        ...(r.missing.length ? { suggestion: safeHint() } : {}),
      }),
      (e: unknown): DevicesResult => {
        this.probe = undefined;
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

/**
 * The evaluation a finished job holds (an eval job's, or a retrain chain's raw or EMA adapter's), with
 * its intervals; `BadInput` names what is wrong with the job. Reads the jobs without starting a queue.
 */
export function finishedEvaluation(store: Store, id: string, which: 'raw' | 'ema' = 'raw'): EvalResult {
  const job = new JobStore(store.db).get(id);
  if (!job) throw new BadInput(`no job ${id} in ${store.dbPath} (list them with: loophole jobs list)`);
  if (job.kind !== 'eval' && job.kind !== 'chain')
    throw new BadInput(`job ${id} is a ${job.kind} job; --compare takes eval jobs or retrain chains`);
  if (job.status.state !== 'succeeded')
    throw new BadInput(`job ${id} has not succeeded (it is ${job.status.state}); only finished evaluations can be compared`);
  const r = evalResultOf(job, job.kind === 'chain' ? which : 'raw');
  if (!r) throw new BadInput(`job ${id} holds no ${which === 'ema' && job.kind === 'chain' ? 'EMA adapter ' : ''}evaluation result`);
  return { ...r, variants: Object.fromEntries(Object.entries(r.variants).map(([v, m]) => [v, withIntervals(m)])) };
}
