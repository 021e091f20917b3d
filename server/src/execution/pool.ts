/**
 * A pool of warm sandbox workers, and the supervisor that judges what they send back. A candidate's tests
 * become calls (see `types.ts`): planned by the oracle, deduplicated, shuffled, and split into a few
 * chunks that go to whichever worker is idle; a worker runs one call at a time, each in a fresh forked
 * process, and answers with raw values or output. The pool (stdio) and the oracle (function calls)
 * compare those with what the tests expect, which never leaves this side.
 *
 * Isolation between candidates: a candidate's tests only ever share a worker *process* with other
 * candidates, never a test process; if a worker dies, only the test in flight is charged (an `error`
 * result), the worker is restarted, and the rest of its chunk goes back to the head of the queue.
 */
import { randomInt } from 'node:crypto';
import { rmSync } from 'node:fs';
import os from 'node:os';
import type { BoundaryHit, Problem, ProblemStyle, PromptFile, TestResult } from '../../../contract/domain';
import { planLaunch, type LaunchPlan } from './launch';
import { Oracle, type JudgeItem } from './oracle';
import type { WorkerCall, WorkerCallResult, WorkerJob, WorkerRawResult } from './protocol';
import {
  DEFAULT_LIMITS,
  type Isolation,
  type RawCall,
  type RawCallResult,
  type RunOptions,
  type SandboxLimits,
  type SandboxPoolOptions,
} from './types';
import { SandboxWorker, type WorkerEvents } from './worker';

interface Run {
  readonly style: ProblemStyle;
  readonly code: string;
  readonly files: readonly PromptFile[];
  readonly calls: readonly WorkerCall[];
  readonly coverage: boolean;
  readonly results: (WorkerRawResult | undefined)[];
  left: number;
  settled: boolean;
  resolve(results: WorkerRawResult[]): void;
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
  /** What is actually in use (see `IsolationSetting` for what each guarantees). */
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
  private readonly oracle: Oracle;

  /** Starts the workers (they warm up in the background; work queues until they are ready). Throws when
   *  the Python cannot be run, or when `isolation: 'bwrap'` was asked for and bubblewrap does not work. */
  constructor(opts: SandboxPoolOptions = {}) {
    this.limits = { ...DEFAULT_LIMITS, ...definedOnly(opts.limits ?? {}) };
    this.size = Math.max(1, Math.floor(opts.size ?? (os.cpus().length || 1)));
    const log = opts.log ?? ((m: string) => process.stderr.write(`[loophole sandbox] ${m}\n`));
    this.plan = planLaunch(opts.python ?? 'python3', this.limits.isolation, opts.dropPrivileges ?? true);
    this.isolation = this.plan.isolation;
    this.isolationReason = this.plan.reason;
    // `none` warns on every pool start: it is no security boundary, and must stay a conscious choice.
    if (this.isolation === 'none') log(`WARNING: isolation none: candidate code runs unisolated (${this.plan.reason})`);
    else if (opts.log) log(`isolation ${this.isolation}: ${this.plan.reason}`);
    this.oracle = new Oracle(opts.python ?? 'python3');
    this.events = {
      onReady: () => {
        this.startFailures = 0;
        this.flushReadyWaiters();
        this.dispatch();
      },
      onResult: (w, msg) => this.onResult(w, msg),
      onDone: (w) => {
        this.busy.delete(w);
        this.disarm(w);
        this.dispatch();
      },
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

  /** Every test of the problem against `code`, each call in its own process: a crash, `sys.exit` or
   *  timeout in one does not hide the others. Results in the problem's test order. Never rejects for
   *  anything the candidate does; rejects on abort (`AbortError`), on a closed pool, or when no worker
   *  (or the oracle) can start. */
  async runCandidate(problem: Problem, code: string, opts: RunOptions = {}): Promise<TestResult[]> {
    this.check(opts.signal);
    const tests = problem.tests;
    if (tests.length === 0) return [];
    const plans = await this.oracle.plan(tests.map((t) => (t.kind === 'assert' ? t.code : '')));
    // Identical calls run once (they would answer alike, and a repeat would hint at a test's twin), and
    // the order is shuffled, so neither position nor repetition tells a test's role.
    const unique = new Map<string, number>();
    const calls: WorkerCall[] = [];
    const callOf = tests.map((t, i) => {
      const plan = plans[i]!;
      const call: WorkerCall = t.kind === 'stdio' ? { stdin: t.input } : 'steps' in plan ? { steps: plan.steps } : { assert: t.code };
      const key = JSON.stringify(call);
      let at = unique.get(key);
      if (at === undefined) {
        at = calls.length;
        unique.set(key, at);
        calls.push(call);
      }
      return at;
    });
    const order = shuffle(calls.map((_, i) => i));
    const shuffled = await this.execute(
      problem.style,
      code,
      order.map((i) => calls[i]!),
      opts.coverage ?? false,
      opts.signal,
      opts.files ?? problem.files ?? [],
    );
    const raw: WorkerRawResult[] = [];
    order.forEach((i, k) => {
      raw[i] = shuffled[k]!;
    });

    const results: TestResult[] = [];
    const toJudge: { at: number; item: JudgeItem }[] = [];
    tests.forEach((test, i) => {
      const r = raw[callOf[i]!]!;
      const evidence = [...(r.tampering ?? [])];
      const base = {
        testId: test.id,
        durationMs: r.durationMs,
        ...(opts.coverage && r.lines ? { lines: r.lines } : {}),
        ...(opts.coverage && r.segments ? { segments: r.segments } : {}),
        ...(opts.coverage && r.bounds?.length ? { bounds: boundaryHits(r.bounds) } : {}),
      };
      const plan = plans[i]!;
      const inProcess = test.kind === 'assert' && 'inProcess' in plan;
      let outcome: TestResult['outcome'];
      let message: string | undefined = r.message;
      if (r.status === 'timeout') outcome = 'timeout';
      else if (r.status === 'error') outcome = 'error';
      else if (test.kind === 'stdio') {
        if (r.status === 'ok') ({ outcome, message } = compareStdout(test.expectedOutput, r.stdout ?? ''));
        else if (r.status === 'raised') outcome = 'error';
        else {
          outcome = 'error';
          message = 'the result channel carried an assert result for a program: tampering';
          evidence.push(message);
        }
      } else if (inProcess) {
        if (r.status === 'assert') outcome = r.outcome === 'pass' ? 'pass' : 'fail';
        else if (r.status === 'raised') outcome = 'error';
        else {
          outcome = 'error';
          message = 'the result channel carried values for a test that runs in-process: tampering';
          evidence.push(message);
        }
      } else if (r.status === 'assert') {
        outcome = 'error';
        message = 'the result channel carried an assert result for a call: tampering';
        evidence.push(message);
      } else {
        const holes = 'steps' in plan ? plan.steps.filter(([kind]) => kind === 'eval').length : 0;
        const values = r.values ?? [];
        if (values.length > holes || (r.status === 'ok' && values.length !== holes)) {
          outcome = 'error';
          message = `the result channel carried ${values.length} values for ${holes} calls: tampering`;
          evidence.push(message);
        } else {
          outcome = 'pass'; // replaced by the oracle's verdict below
          toJudge.push({ at: i, item: { test: test.code, values, raised: r.status === 'raised' ? (r.message ?? 'an exception') : null } });
        }
      }
      results.push({
        ...base,
        outcome,
        ...(message !== undefined ? { message } : {}),
        ...(inProcess ? { inProcess: true } : {}),
        ...(evidence.length ? { evidence } : {}),
      });
    });
    if (toJudge.length) {
      const verdicts = await this.oracle.judge(toJudge.map((j) => j.item));
      toJudge.forEach(({ at }, k) => {
        const v = verdicts[k]!;
        const prev = results[at]!;
        const evidence = [...(prev.evidence ?? []), ...(v.tampering ? [v.tampering] : [])];
        const { message: _m, evidence: _e, ...rest } = prev;
        results[at] = {
          ...rest,
          outcome: v.outcome,
          ...(v.message !== undefined ? { message: v.message } : {}),
          ...(evidence.length ? { evidence } : {}),
        };
      });
    }
    return results;
  }

  /** Runs extra inputs against `code` and returns what each produced, uncompared (see `types.ts`). */
  async runCalls(style: ProblemStyle, code: string, calls: readonly RawCall[], opts: RunOptions = {}): Promise<RawCallResult[]> {
    this.check(opts.signal);
    if (calls.length === 0) return [];
    const raw = await this.execute(
      style,
      code,
      calls.map((c) => (c.kind === 'stdin' ? { stdin: c.input } : { holes: c.exprs })),
      opts.coverage ?? false,
      opts.signal,
      opts.files ?? [],
    );
    return raw.map((r) => {
      const evidence = [...(r.tampering ?? [])];
      let status: RawCallResult['status'];
      let message = r.message;
      if (r.status === 'assert') {
        status = 'error';
        message = 'the result channel carried an assert result for a call: tampering';
        evidence.push(message);
      } else status = r.status;
      return {
        status,
        durationMs: r.durationMs,
        ...(r.values ? { values: r.values } : {}),
        ...(style === 'stdio' && r.status === 'ok' ? { stdout: r.stdout ?? '' } : {}),
        ...(message !== undefined ? { message } : {}),
        ...(evidence.length ? { tampering: evidence } : {}),
        ...(opts.coverage && r.lines ? { lines: r.lines } : {}),
        ...(opts.coverage && r.segments ? { segments: r.segments } : {}),
        ...(opts.coverage && r.bounds?.length ? { bounds: boundaryHits(r.bounds) } : {}),
      };
    });
  }

  /** Python `==` between serialised values (from `runCalls`), read as data: null where one is not. */
  sameValues(pairs: readonly (readonly [string, string])[]): Promise<(boolean | null)[]> {
    return this.oracle.equal(pairs);
  }

  private check(signal: AbortSignal | undefined): void {
    if (this.closed) throw new Error('the sandbox pool is closed');
    if (this.broken) throw this.broken;
    if (signal?.aborted) throw abortError();
  }

  private execute(
    style: ProblemStyle,
    code: string,
    calls: readonly WorkerCall[],
    coverage: boolean,
    signal: AbortSignal | undefined,
    files: readonly PromptFile[] = [],
  ): Promise<WorkerRawResult[]> {
    if (this.closed) return Promise.reject(new Error('the sandbox pool is closed'));
    if (this.broken) return Promise.reject(this.broken);
    if (signal?.aborted) return Promise.reject(abortError());
    const n = calls.length;
    return new Promise<WorkerRawResult[]>((resolve, reject) => {
      const onAbort = (): void => this.abortRun(run);
      const run: Run = {
        style,
        code,
        files,
        calls,
        coverage,
        results: new Array(n).fill(undefined),
        left: n,
        settled: false,
        resolve,
        reject,
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
    this.oracle.close();
    // Idle workers finish on end of input and clean up after themselves; busy ones are killed. One still
    // starting is told to finish too: a bubblewrap killed in the middle of its set-up can leave its
    // namespace's init process behind. The grace period below bounds the wait.
    for (const w of this.workers)
      if (this.busy.has(w)) w.kill();
      else w.close();
    for (const t of this.watchdogs.values()) clearTimeout(t);
    this.watchdogs.clear();
    const all = Promise.all(this.workers.map((w) => w.exited));
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, CLOSE_GRACE_MS);
    });
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
      while ((chunk = this.queue.shift()) && chunk.run.settled) {
        /* skip chunks of finished runs */
      }
      if (!chunk) return;
      const { run, indices } = chunk;
      const job: WorkerJob = {
        id: `j${++this.jobSeq}`,
        code: run.code,
        style: run.style,
        calls: indices.map((i) => run.calls[i]!),
        limits: { timeoutMs: this.limits.timeoutMs, memoryMb: this.limits.memoryMb, outputBytes: this.limits.outputBytes },
        coverage: run.coverage,
        ...(run.files.length ? { files: run.files } : {}),
      };
      this.busy.set(w, { chunk, answered: 0 });
      this.arm(w);
      w.send(job);
    }
  }

  private onResult(w: SandboxWorker, msg: WorkerCallResult): void {
    const busy = this.busy.get(w);
    if (!busy) return;
    busy.answered = msg.index + 1;
    this.arm(w);
    const index = busy.chunk.indices[msg.index];
    if (index === undefined) return;
    this.record(busy.chunk.run, index, msg.result);
  }

  private record(run: Run, index: number, result: WorkerRawResult): void {
    if (run.settled || run.results[index] !== undefined) return;
    run.results[index] = result;
    if (--run.left === 0) this.settle(run);
  }

  private settle(run: Run, err?: Error): void {
    if (run.settled) return;
    run.settled = true;
    run.cleanup();
    this.runs.delete(run);
    if (err) run.reject(err);
    else run.resolve(run.results as WorkerRawResult[]);
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
        this.record(run, inFlight, { status: 'error', message: why, durationMs: 0 });
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

function shuffle<T>(xs: T[]): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [xs[i], xs[j]] = [xs[j]!, xs[i]!];
  }
  return xs;
}

function normaliseOutput(text: string): string[] {
  const lines = text
    .replace(/\r\n/g, '\n')
    .split('\n')
    .map((l) => l.trimEnd());
  while (lines.length && !lines[lines.length - 1]) lines.pop();
  return lines;
}

function clip(text: string, n = 300): string {
  return text.length <= n ? text : `${text.slice(0, n)}…`;
}

/** A program's output against the expected output, line by line, ignoring trailing whitespace and blank
 *  lines at the end. */
export function compareStdout(expected: string, got: string): { outcome: 'pass' | 'fail'; message?: string } {
  const a = normaliseOutput(expected);
  const b = normaliseOutput(got);
  if (a.length === b.length && a.every((l, i) => l === b[i])) return { outcome: 'pass' };
  return { outcome: 'fail', message: `expected ${JSON.stringify(clip(expected))}, got ${JSON.stringify(clip(got))}` };
}

/** The worker's `[line, column, endColumn, constant, evaluations, equal, other]` rows as objects. */
function boundaryHits(rows: NonNullable<WorkerRawResult['bounds']>): BoundaryHit[] {
  return rows.map(([line, column, endColumn, constant, evaluations, equal, other]) => ({
    line,
    column,
    ...(endColumn >= 0 ? { endColumn } : {}),
    ...(constant !== null ? { constant, other: other ?? 0 } : {}),
    evaluations,
    equal,
  }));
}
