/**
 * One sandbox worker process seen from the server: start it, send it a job, hear back per test, and
 * learn when it dies. It knows nothing of queues or candidates; the pool decides what to do on death.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { WorkerJob, WorkerMessage, WorkerCallResult } from './protocol';
import { workerEnv, type LaunchPlan } from './launch';

export interface WorkerEvents {
  /** A test of the current job answered. */
  onResult(worker: SandboxWorker, msg: WorkerCallResult): void;
  /** Every test of the current job answered; the worker is idle. */
  onDone(worker: SandboxWorker): void;
  /** The worker became ready for its first job. */
  onReady(worker: SandboxWorker): void;
  /** The process ended. `expected` when it was killed or closed on purpose. */
  onExit(worker: SandboxWorker, how: string, expected: boolean, stderrTail: string): void;
}

const STDERR_KEEP = 4000;

export class SandboxWorker {
  readonly slot: number;
  private readonly proc: ChildProcess;
  private buffer = '';
  private stderr = '';
  private ended = false;
  private stopping = false;
  ready = false;
  /** The worker's scratch directory (see `WorkerReady.tmp`). */
  tmp: string | undefined;
  /** Set before a deliberate kill, to explain the in-flight test's `error`. */
  lastKillReason: string | undefined;
  /** The job in flight, if any. */
  job: WorkerJob | undefined;
  readonly exited: Promise<void>;

  constructor(
    slot: number,
    plan: LaunchPlan,
    private readonly events: WorkerEvents,
  ) {
    this.slot = slot;
    this.proc = spawn(plan.command, [...plan.args], { stdio: ['pipe', 'pipe', 'pipe'], env: workerEnv() });
    this.proc.stdout!.setEncoding('utf8');
    this.proc.stdout!.on('data', (chunk: string) => this.onData(chunk));
    this.proc.stderr!.setEncoding('utf8');
    this.proc.stderr!.on('data', (chunk: string) => {
      this.stderr = (this.stderr + chunk).slice(-STDERR_KEEP);
    });
    this.proc.stdin!.on('error', () => {
      /* the exit handler reports the death */
    });
    this.exited = new Promise((resolve) => {
      const finish = (how: string): void => {
        if (this.ended) return;
        this.ended = true;
        this.events.onExit(this, how, this.stopping, this.stderr.trim());
        resolve();
      };
      this.proc.on('error', (err) => finish(`could not start: ${err.message}`));
      this.proc.on('exit', (code, signal) => finish(signal ? `killed by ${signal}` : `exited with status ${code}`));
    });
  }

  get alive(): boolean {
    return !this.ended;
  }

  send(job: WorkerJob): void {
    this.job = job;
    this.proc.stdin!.write(JSON.stringify(job) + '\n');
  }

  /** Kill the worker (and with it, through bwrap's pid namespace or PDEATHSIG, its test process). */
  kill(): void {
    this.stopping = true;
    if (!this.ended) this.proc.kill('SIGKILL');
    // Killed before it set up its parent-death signal, a sandboxed worker can outlive its launcher and keep
    // the pipes open: let go of them, so that it reads end of input and the server is not held up.
    this.proc.stdin?.destroy();
    this.proc.stdout?.destroy();
    this.proc.stderr?.destroy();
  }

  /** Ask the worker to finish: it exits at end of input after the job in flight. */
  close(): void {
    this.stopping = true;
    this.proc.stdin!.end();
  }

  private onData(chunk: string): void {
    this.buffer += chunk;
    let nl: number;
    while ((nl = this.buffer.indexOf('\n')) >= 0) {
      const line = this.buffer.slice(0, nl);
      this.buffer = this.buffer.slice(nl + 1);
      if (!line.trim()) continue;
      let msg: WorkerMessage;
      try {
        msg = JSON.parse(line) as WorkerMessage;
      } catch {
        this.stderr = (this.stderr + `\nunreadable worker line: ${line.slice(0, 200)}`).slice(-STDERR_KEEP);
        this.kill();
        return;
      }
      if ('ready' in msg) {
        this.ready = true;
        this.tmp = msg.tmp;
        this.events.onReady(this);
      } else if ('done' in msg) {
        this.job = undefined;
        this.events.onDone(this);
      } else if (this.job && msg.id === this.job.id) {
        this.events.onResult(this, msg);
      }
    }
  }
}
