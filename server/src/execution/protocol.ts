/**
 * The server ↔ sandbox worker contract (`server/python/loophole_sandbox/worker.py`), JSON lines over the
 * worker's stdin/stdout. The worker runs the tests of a job one at a time, each in its own forked,
 * limited process, and answers one line per test *in order* followed by a `done` line, so that when a
 * worker dies the pool knows exactly which test was in flight (the first one not answered).
 */
import type { ProblemStyle, Test, TestOutcome } from '../core/types';

/** Server → worker: run `tests` against `code`. */
export interface WorkerJob {
  /** Unique per job within one worker's life. */
  readonly id: string;
  readonly code: string;
  readonly style: ProblemStyle;
  readonly tests: readonly Test[];
  readonly limits: { readonly timeoutMs: number; readonly memoryMb: number; readonly outputBytes: number };
  readonly coverage: boolean;
}

/** Worker → server, once at start-up: it is ready for jobs. `uid` is who tests run as (null: unchanged). */
export interface WorkerReady {
  readonly ready: true;
  readonly pid: number;
  readonly uid: number | null;
  readonly guard: boolean;
  /** The worker's directory for test working directories, as the worker sees it (inside bwrap: its
   *  private tmpfs). The worker removes it when it ends normally. */
  readonly tmp: string;
}

/** Worker → server: the result of `job.tests[index]`. */
export interface WorkerTestResult {
  readonly id: string;
  readonly index: number;
  readonly result: {
    readonly outcome: TestOutcome;
    readonly message?: string;
    readonly durationMs: number;
    /** 1-based candidate lines executed, when the job asked for coverage. */
    readonly lines?: readonly number[];
    /** `line:column` of inline statements executed (see `TestResult.segments`), when asked for coverage. */
    readonly segments?: readonly string[];
  };
}

/** Worker → server: every test of the job has been answered. */
export interface WorkerJobDone {
  readonly id: string;
  readonly done: true;
}

export type WorkerMessage = WorkerReady | WorkerTestResult | WorkerJobDone;

/** `worker.py --probe` prints one of these and exits. */
export interface WorkerProbe {
  readonly ok: boolean;
  readonly uid: number | null;
  readonly result?: { readonly outcome: string; readonly message?: string };
}
