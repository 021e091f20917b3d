/**
 * The oracle process (`loophole_sandbox/oracle.py`): outside the sandbox, started with the server's
 * Python, it never runs candidate code. It splits function tests into calls and checks, and judges the
 * values the sandbox sends back. Requests are answered in order, one JSON line each.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { resolvePython, sandboxPackageDir, workerEnv } from './launch';

/** A split test: the steps its call runs in the candidate's process (set-up `exec`s, value `eval`s). */
export type TestPlan = { readonly steps: readonly (readonly ['exec' | 'eval', string])[] } | { readonly inProcess: string };

export interface JudgeItem {
  readonly test: string;
  readonly values: readonly string[] | null;
  readonly raised: string | null;
}

export interface Verdict {
  readonly outcome: 'pass' | 'fail' | 'error';
  readonly message?: string;
  readonly tampering?: string;
}

interface Pending {
  resolve(value: unknown): void;
  reject(err: Error): void;
}

export class Oracle {
  private proc: ChildProcess | undefined;
  private buffer = '';
  private stderr = '';
  private readonly pending: Pending[] = [];
  private readonly plans = new Map<string, TestPlan>();
  private closed = false;

  constructor(private readonly python: string) {}

  /** The plan of each test (cached: tests recur across candidates). */
  async plan(tests: readonly string[]): Promise<TestPlan[]> {
    const missing = [...new Set(tests.filter((t) => !this.plans.has(t)))];
    if (missing.length) {
      const res = (await this.request({ op: 'plan', tests: missing })) as { plans: TestPlan[] };
      if (this.plans.size > 50_000) this.plans.clear();
      missing.forEach((t, i) => this.plans.set(t, res.plans[i]!));
    }
    return tests.map((t) => this.plans.get(t)!);
  }

  async judge(items: readonly JudgeItem[]): Promise<Verdict[]> {
    if (!items.length) return [];
    return ((await this.request({ op: 'judge', items })) as { verdicts: Verdict[] }).verdicts;
  }

  /** Python `==` between pairs of serialised values; null where a value is not data-only. */
  async equal(pairs: readonly (readonly [string, string])[]): Promise<(boolean | null)[]> {
    if (!pairs.length) return [];
    return ((await this.request({ op: 'equal', pairs })) as { equal: (boolean | null)[] }).equal;
  }

  close(): void {
    this.closed = true;
    this.proc?.stdin?.end();
    this.proc = undefined;
  }

  private request(body: object): Promise<unknown> {
    if (this.closed) return Promise.reject(new Error('the oracle is closed'));
    const proc = this.proc ?? this.start();
    return new Promise((resolve, reject) => {
      this.pending.push({ resolve, reject });
      proc.stdin!.write(JSON.stringify(body) + '\n');
    });
  }

  private start(): ChildProcess {
    const py = resolvePython(this.python);
    const script = path.join(sandboxPackageDir(), 'oracle.py');
    const proc = spawn(py.executable, ['-I', '-S', '-B', script], { stdio: ['pipe', 'pipe', 'pipe'], env: workerEnv() });
    this.proc = proc;
    this.buffer = '';
    proc.stdout!.setEncoding('utf8');
    proc.stdout!.on('data', (chunk: string) => {
      this.buffer += chunk;
      let nl: number;
      while ((nl = this.buffer.indexOf('\n')) >= 0) {
        const line = this.buffer.slice(0, nl);
        this.buffer = this.buffer.slice(nl + 1);
        const p = this.pending.shift();
        if (!p) continue;
        try {
          const msg = JSON.parse(line) as { error?: string };
          if (msg.error) p.reject(new Error(`oracle: ${msg.error}`));
          else p.resolve(msg);
        } catch (err) {
          p.reject(new Error(`oracle: unreadable answer (${(err as Error).message})`));
        }
      }
    });
    proc.stderr!.setEncoding('utf8');
    proc.stderr!.on('data', (chunk: string) => {
      this.stderr = (this.stderr + chunk).slice(-2000);
    });
    proc.stdin!.on('error', () => {
      /* reported on exit */
    });
    const fail = (why: string): void => {
      if (this.proc === proc) this.proc = undefined;
      const err = new Error(`the test oracle stopped (${why})${this.stderr ? `: ${this.stderr.trim().slice(-500)}` : ''}`);
      for (const p of this.pending.splice(0)) p.reject(err);
    };
    proc.on('error', (err) => fail(err.message));
    proc.on('exit', (code, signal) => fail(signal ? `killed by ${signal}` : `exit ${code}`));
    return proc;
  }
}
