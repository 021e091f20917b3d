/**
 * The server ↔ sandbox worker contract (`server/python/loophole_sandbox/worker.py`), JSON lines over the
 * worker's stdin/stdout. The worker runs the calls of a job one at a time, each in its own forked,
 * limited process, and answers one line per call *in order* followed by a `done` line, so that when a
 * worker dies the pool knows exactly which call was in flight (the first one not answered).
 *
 * Nothing in a job says which test a call belongs to, what role that test has or what it expects: the
 * worker and the candidate's processes see code and inputs only. Expected values stay in the server and
 * in the oracle process (`oracle.py`, outside the sandbox), which compares.
 */
import type { ProblemStyle } from '../../../contract/domain';

/** One call, as the worker sees it. */
export type WorkerCall =
  /** Function style: evaluate each expression in the candidate's namespace; answer their values. */
  | { readonly holes: readonly string[] }
  /** The same, with the test's set-up statements (`exec`) run in their place between the calls (`eval`). */
  | { readonly steps: readonly (readonly ['exec' | 'eval', string])[] }
  /** A test that cannot be split into calls and checks: it runs whole in the test process. */
  | { readonly assert: string }
  /** Stdio style: run the program with this on stdin; answer its stdout. */
  | { readonly stdin: string };

/** Server → worker: run `calls` against `code`. */
export interface WorkerJob {
  /** Unique per job within one worker's life. */
  readonly id: string;
  readonly code: string;
  readonly style: ProblemStyle;
  readonly calls: readonly WorkerCall[];
  readonly limits: { readonly timeoutMs: number; readonly memoryMb: number; readonly outputBytes: number };
  readonly coverage: boolean;
  /** Files written, fresh for every call, into the call's working directory (plain names only). */
  readonly files?: readonly { readonly name: string; readonly content: string }[];
}

/** Worker → server, once at start-up: it is ready for jobs. `uid` is who tests run as (null: unchanged). */
export interface WorkerReady {
  readonly ready: true;
  readonly pid: number;
  readonly uid: number | null;
  readonly guard: boolean;
  /** The worker's directory for test working directories, as the worker sees it (inside the sandbox: its
   *  private tmpfs). The worker removes it when it ends normally. */
  readonly tmp: string;
}

/** What the worker reports of one call (see `RawCallResult` for the meaning of each field). */
export interface WorkerRawResult {
  readonly status: 'ok' | 'raised' | 'assert' | 'error' | 'timeout';
  readonly values?: readonly string[];
  readonly stdout?: string;
  readonly message?: string;
  readonly outcome?: 'pass' | 'fail';
  readonly tampering?: readonly string[];
  readonly durationMs: number;
  readonly lines?: readonly number[];
  readonly segments?: readonly string[];
  /** `[line, column, endColumn, constant, evaluations, equal, other]` per ordering comparison that ran
   *  (with coverage; `endColumn` -1 when it spans lines; `constant` and `other` null for a comparison
   *  of two expressions; see `BoundaryHit`). */
  readonly bounds?: readonly (readonly [number, number, number, number | null, number, number, number | null])[];
}

/** Worker → server: the result of `job.calls[index]`. */
export interface WorkerCallResult {
  readonly id: string;
  readonly index: number;
  readonly result: WorkerRawResult;
}

/** Worker → server: every call of the job has been answered. */
export interface WorkerJobDone {
  readonly id: string;
  readonly done: true;
}

export type WorkerMessage = WorkerReady | WorkerCallResult | WorkerJobDone;

/** `worker.py --probe` prints one of these and exits. */
export interface WorkerProbe {
  readonly ok: boolean;
  readonly uid: number | null;
  readonly result?: { readonly outcome: string; readonly message?: string };
}
