/**
 * Jobs: long GPU or network work (generate, train, eval, and chains of them) run by the server's
 * queue, recorded in the store so that state, logs and metrics outlive the process.
 */
import { Type } from 'typebox';
import type { Wire } from './schema';

export type JobKind = 'generate' | 'train' | 'eval' | 'chain';

export interface JobError {
  /** The worker's error kind (`no_cuda`, `oom`, `missing_package`, `nan_loss`, `bad_input`, `disk_full`,
   *  `internal`) or one seen from outside (`crashed`, `hung`, `no_python`, `protocol`, `endpoint`). */
  readonly kind: string;
  readonly message: string;
  /** What to do about it, e.g. the pip command that installs a missing package. */
  readonly suggestion?: string;
}

/** A job's state as a tagged union: each state carries what is true only in it. */
export type JobStatus =
  | { readonly state: 'queued' }
  /** `owner`: the pid of the process running the queue (another process leaves the job alone while it
   *  lives); `pid`: the worker's. */
  | { readonly state: 'running'; readonly startedAt: string; readonly owner: number; readonly pid?: number; readonly device?: string }
  | { readonly state: 'succeeded'; readonly endedAt: string; readonly result: unknown }
  | { readonly state: 'failed'; readonly endedAt: string; readonly error: JobError; readonly resumable: boolean }
  | { readonly state: 'cancelled'; readonly endedAt: string; readonly result?: unknown }
  /** The process running it died (server restart, worker killed): logs are kept; `resume` goes on from
   *  the last checkpoint (train) or the samples written so far (generate, eval). */
  | { readonly state: 'interrupted'; readonly endedAt: string; readonly reason: string; readonly resumable: boolean };

export type JobState = JobStatus['state'];
/** Every state, in a job's order of life. */
export const JOB_STATES = ['queued', 'running', 'succeeded', 'failed', 'cancelled', 'interrupted'] as const satisfies readonly JobState[];
export const TERMINAL_STATES: readonly JobState[] = ['succeeded', 'failed', 'cancelled', 'interrupted'];

export interface JobProgress {
  readonly done: number;
  readonly total: number;
  readonly message?: string;
}

export interface JobRecord {
  readonly id: string;
  readonly kind: JobKind;
  readonly name: string;
  /** `cpu` / `cuda:N` once scheduled; what was asked for (`auto`) before. */
  readonly device?: string;
  readonly config: unknown;
  readonly status: JobStatus;
  /** The chain job this one belongs to. */
  readonly parent?: string;
  /** 1, then 2… after each resume. */
  readonly attempt: number;
  readonly cancelRequested: boolean;
  readonly progress?: JobProgress;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface LogLine {
  readonly seq: number;
  readonly at: string;
  /** `worker`: a protocol `log`; `stderr`: the worker's stderr; `server`: the queue itself. */
  readonly source: 'worker' | 'stderr' | 'server';
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly message: string;
}

export interface MetricPoint {
  readonly step: number;
  readonly loss: number | null;
  readonly lr: number;
  readonly tokensPerS: number;
}

export interface ArtifactRecord {
  readonly kind: string;
  readonly path: string;
  readonly step?: number;
}

/** What the queue emits as `'event'`; a client (LSP notifications, the CLI's progress bar) follows one job by id. */
export type JobEvent =
  | { readonly type: 'status'; readonly job: JobRecord }
  | { readonly type: 'progress'; readonly jobId: string; readonly progress: JobProgress }
  | { readonly type: 'log'; readonly jobId: string; readonly line: LogLine }
  | { readonly type: 'metric'; readonly jobId: string; readonly metric: MetricPoint }
  | { readonly type: 'artifact'; readonly jobId: string; readonly artifact: ArtifactRecord };

/** A device the worker can run on, as its `probe` command reports it. */
export const ProbeDevice = Type.Object({
  /** `cpu` or `cuda:N`. */
  id: Type.String(),
  name: Type.String(),
  memory_bytes: Type.Optional(Type.Number()),
  bf16: Type.Boolean(),
});
export type ProbeDevice = Wire<typeof ProbeDevice>;

/**
 * `perfect-labels`: the best candidate that no label calls a hack (curation's `best` rule, behind
 * every filter). `misspecified-reward`: the best by share of shown tests passed, the incorrect one
 * included, hacks allowed (curation's `reward` rule).
 */
export type SelectionPolicy = 'perfect-labels' | 'misspecified-reward';

/** The named settings of a recontextualization run (`server/src/jobs/presets.ts` defines each). */
export const PRESET_NAMES = ['conservative', 'recontextualization', 'misspecified-reward'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];
