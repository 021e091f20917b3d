/**
 * A pool of warm sandbox workers. Each candidate's tests are split into a few contiguous chunks that
 * go to whichever worker is idle; a worker runs one test at a time, each in a fresh forked process.
 *
 * Isolation between candidates: a candidate's tests only ever share a worker *process* with other
 * candidates, never a test process; if a worker dies, only the test in flight is charged (an `error`
 * result), the worker is restarted, and the rest of its chunk goes back to the head of the queue.
 */
import { rmSync } from 'node:fs';
import os from 'node:os';
import type { Problem, TestResult } from '../core/types';
import { planLaunch, type LaunchPlan } from './launch';
import type { WorkerJob, WorkerTestResult } from './protocol';
import { DEFAULT_LIMITS, type Isolation, type RunOptions, type SandboxLimits, type SandboxPoolOptions } from './types';
import { SandboxWorker, type WorkerEvents } from './worker';

interface Run {
  readonly problem: Problem;
  readonly code: string;
  readonly coverage: boolean;
  readonly results: (TestResult | undefined)[];
  left: number;
  settled: boolean;
  resolve(results: TestResult[]): void;
  reject(err: Error): void;
  cleanup(): void;
}

interface Chunk {
  readonly run: Run;
  /** Indices into `run.problem.tests`. */
  readonly indices: readonly number[];
}

interface Busy {
  readonly chunk: Chunk;
  /** How many tests of the chunk have been answered. */
  answered: number;
}

/** A worker that says nothing for this long past the test's own timeout is killed and restarted. */
const WATCHDOG_SLACK_MS = 10_000;
/** How long `close()` lets idle workers clean up before killing them. */
const CLOSE_GRACE_MS = 5_000;
/** Consecutive workers that die before becoming ready, after which the pool gives up. */
const MAX_START_FAILURES = 3;

export function abortError(): Error {
  return new DOMException('The operation was aborted', 'AbortError');
}

export class SandboxPool {
  /** What is actually in use: bubblewrap, or plain processes (see `SandboxLimits.isolation`). */
  readonly isolation: Isolation;
  /** Why `isolation` is what it is. */
  readonly isolationReason: string;
  readonly size: number;
  private readonly limits: SandboxLimits;
  private readonly plan: LaunchPlan;
  private readonly workers: SandboxWorker[] = [];
  private readonly busy = new Map<SandboxWorker, Busy>();
  private readonly watchdogs = new Map<SandboxWorker, NodeJS.Timeout>();
  private readonly queue: Chunk[] = [];
  private readonly runs = new Set<Run>();
  private readonly readyWaiters: { resolve(): void; reject(err: Error): void }[] = [];
  private closed = false;
  private broken: Error | undefined;
  private startFailures = 0;
  private jobSeq = 0;
  private readonly events: WorkerEvents;

  /** Starts the workers (they warm up in the background; work queues until they are ready). Throws when
   *  the Python cannot be run, or when `isolation: 'bwrap'` was asked for and bubblewrap does not work. */
  constructor(opts: SandboxPoolOptions = {}) {
    this.limits = { ...DEFAULT_LIMITS, ...definedOnly(opts.limits ?? {}) };
    this.size = Math.max(1, Math.floor(opts.size ?? (os.cpus().length || 1)));
    const log = opts.log ?? ((m: string) => process.stderr.write(`[loophole sandbox] ${m}\n`));
    this.plan = planLaunch(opts.python ?? 'python3', this.limits.isolation, opts.dropPrivileges ?? true);
    this.isolation = this.plan.isolation;
    this.isolationReason = this.plan.reason;
    if (opts.log || (this.isolation === 'none' && this.limits.isolation !== 'none')) log(`isolation ${this.isolation}: ${this.plan.reason}`);
    this.events = {
      onReady: () => { this.startFailures = 0; this.flushReadyWaiters(); this.dispatch(); },
      onResult: (w, msg) => this.onResult(w, msg),
      onDone: (w) => { this.busy.delete(w); this.disarm(w); this.dispatch(); },
      onExit: (w, how, expected, stderr) => this.onExit(w, how, expected, stderr),
    };
    for (let slot = 0; slot < this.size; slot++) this.workers.push(new SandboxWorker(slot, this.plan, this.events));
  }

  /** Resolves once every worker has started (so timings can exclude start-up). */
  warmup(): Promise<void> {
    if (this.broken) return Promise.reject(this.broken);
    if (this.workers.every((w) => w.ready)) return Promise.resolve();
    return new Promise((resolve, reject) => this.readyWaiters.push({ resolve, reject }));
  }

  /** Every test of the problem against `code`, each in its own process: a crash, `sys.exit` or timeout
   *  in one does not hide the others. Results in the problem's test order. Never rejects for anything the
   *  candidate does; rejects on abort (`AbortError`), on a closed pool, or when no worker can start. */
  runCandidate(problem: Problem, code: string, opts: RunOptions = {}): Promise<TestResult[]> {
    if (this.closed) return Promise.reject(new Error('the sandbox pool is closed'));
    if (this.broken) return Promise.reject(this.broken);
    if (opts.signal?.aborted) return Promise.reject(abortError());
    const n = problem.tests.length;
    if (n === 0) return Promise.resolve([]);
    return new Promise<TestResult[]>((resolve, reject) => {
      const signal = opts.signal;
      const onAbort = (): void => this.abortRun(run);
      const run: Run = {
        problem, code, coverage: opts.coverage ?? false, results: new Array(n).fill(undefined), left: n, settled: false,
        resolve, reject,
        cleanup: () => signal?.removeEventListener('abort', onAbort),
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.runs.add(run);
      const per = Math.ceil(n / Math.min(this.size, n));
      for (let i = 0; i < n; i += per) {
        this.queue.push({ run, indices: Array.from({ length: Math.min(per, n - i) }, (_, k) => i + k) });
      }
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const err = new Error('the sandbox pool is closed');
    for (const run of [...this.runs]) this.settle(run, err);
    this.queue.length = 0;
    for (const w of this.readyWaiters.splice(0)) w.reject(err);
    // Idle workers finish on end of input and clean up after themselves; busy ones are killed.
    for (const w of this.workers) if (this.busy.has(w) || !w.ready) w.kill(); else w.close();
    for (const t of this.watchdogs.values()) clearTimeout(t);
    this.watchdogs.clear();
    const all = Promise.all(this.workers.map((w) => w.exited));
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => { timer = setTimeout(resolve, CLOSE_GRACE_MS); });
    await Promise.race([all, grace]);
    clearTimeout(timer);
    for (const w of this.workers) w.kill();
    await all;
  }

  private dispatch(): void {
    if (this.closed) return;
    for (const w of this.workers) {
      if (!w.ready || !w.alive || this.busy.has(w)) continue;
      let chunk: Chunk | undefined;
      while ((chunk = this.queue.shift()) && chunk.run.settled) { /* skip chunks of finished runs */ }
      if (!chunk) return;
      const { run, indices } = chunk;
      const job: WorkerJob = {
        id: `j${++this.jobSeq}`,
        code: run.code,
        style: run.problem.style,
        tests: indices.map((i) => run.problem.tests[i]!),
        limits: { timeoutMs: this.limits.timeoutMs, memoryMb: this.limits.memoryMb, outputBytes: this.limits.outputBytes },
        coverage: run.coverage,
      };
      this.busy.set(w, { chunk, answered: 0 });
      this.arm(w);
      w.send(job);
    }
  }

  private onResult(w: SandboxWorker, msg: WorkerTestResult): void {
    const busy = this.busy.get(w);
    if (!busy) return;
    busy.answered = msg.index + 1;
    this.arm(w);
    const index = busy.chunk.indices[msg.index];
    if (index === undefined) return;
    const r = msg.result;
    this.record(busy.chunk.run, index, {
      outcome: r.outcome, durationMs: r.durationMs,
      ...(r.message !== undefined ? { message: r.message } : {}),
      ...(busy.chunk.run.coverage && r.lines ? { lines: r.lines } : {}),
      ...(busy.chunk.run.coverage && r.segments ? { segments: r.segments } : {}),
    });
  }

  private record(run: Run, index: number, result: Omit<TestResult, 'testId'>): void {
    if (run.settled || run.results[index] !== undefined) return;
    run.results[index] = { testId: run.problem.tests[index]!.id, ...result };
    if (--run.left === 0) this.settle(run);
  }

  private settle(run: Run, err?: Error): void {
    if (run.settled) return;
    run.settled = true;
    run.cleanup();
    this.runs.delete(run);
    if (err) run.reject(err);
    else run.resolve(run.results as TestResult[]);
  }

  private abortRun(run: Run): void {
    if (run.settled) return;
    this.settle(run, abortError());
    for (const [w, busy] of this.busy) if (busy.chunk.run === run) w.kill();
  }

  private onExit(w: SandboxWorker, how: string, expected: boolean, stderr: string): void {
    this.disarm(w);
    // A worker killed outright cannot clean up; outside bwrap its scratch directory is on the host.
    if (this.isolation === 'none' && w.tmp) rmSync(w.tmp, { recursive: true, force: true, maxRetries: 2 });
    const busy = this.busy.get(w);
    this.busy.delete(w);
    if (busy && !busy.chunk.run.settled) {
      const { run, indices } = busy.chunk;
      const inFlight = indices[busy.answered];
      if (inFlight !== undefined) {
        const why = w.lastKillReason ?? `the sandbox worker died (${how}) while running this test; it was restarted`;
        this.record(run, inFlight, { outcome: 'error', message: why, durationMs: 0 });
      }
      const rest = indices.slice(busy.answered + 1);
      if (rest.length && !run.settled) this.queue.unshift({ run, indices: rest });
    }
    if (this.closed) return;
    if (!w.ready && !expected) {
      if (++this.startFailures >= MAX_START_FAILURES) {
        this.fail(new Error(`the sandbox worker cannot start (${how})${stderr ? `: ${stderr.slice(-500)}` : ''}`));
        return;
      }
    }
    const i = this.workers.indexOf(w);
    if (i >= 0) this.workers[i] = new SandboxWorker(w.slot, this.plan, this.events);
  }

  private fail(err: Error): void {
    this.broken = err;
    for (const run of [...this.runs]) this.settle(run, err);
    this.queue.length = 0;
    for (const w of this.readyWaiters.splice(0)) w.reject(err);
  }

  private flushReadyWaiters(): void {
    if (!this.workers.every((w) => w.ready)) return;
    for (const w of this.readyWaiters.splice(0)) w.resolve();
  }

  /** (Re)starts the watchdog for a busy worker: one test's timeout plus slack from now. */
  private arm(w: SandboxWorker): void {
    this.disarm(w);
    const t = setTimeout(() => {
      w.lastKillReason = `the sandbox worker stopped answering for ${this.limits.timeoutMs + WATCHDOG_SLACK_MS} ms; it was restarted`;
      w.kill();
    }, this.limits.timeoutMs + WATCHDOG_SLACK_MS);
    t.unref();
    this.watchdogs.set(w, t);
  }

  private disarm(w: SandboxWorker): void {
    const t = this.watchdogs.get(w);
    if (t) clearTimeout(t);
    this.watchdogs.delete(w);
  }
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
