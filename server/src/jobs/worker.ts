/**
 * One run of the Python worker: spawn, handshake, stream messages, cancel, and one outcome.
 *
 * `done` resolves with the command's result or rejects with a `WorkerFailure` whose `kind` is the
 * worker's own error kind, or one seen from outside: `crashed` (exited or was killed without a
 * result), `hung` (no heartbeat within `heartbeatTimeoutMs`), `protocol` (an incompatible worker),
 * `no_python` (the interpreter cannot be started).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { workerInterpreter, workerPythonPath } from './python';
import {
  parseWorkerLine,
  WORKER_PROTOCOL_VERSION,
  type CommandConfigs,
  type CommandResults,
  type DebugConfig,
  type ServerMessage,
  type WorkerCommand,
  type WorkerErrorKind,
  type WorkerMessage,
} from './workerProtocol';

export type FailureKind = WorkerErrorKind | 'crashed' | 'hung' | 'protocol' | 'no_python' | 'cancelled';

export class WorkerFailure extends Error {
  override readonly name = 'WorkerFailure';
  constructor(
    readonly kind: FailureKind,
    message: string,
    readonly suggestion?: string,
  ) {
    super(message);
  }
}

export interface WorkerRunOptions {
  readonly python?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /** Aborting sends `cancel`: the worker stops at its next step and still sends a result. */
  readonly signal?: AbortSignal;
  /** No message for this long means the worker hangs; it is killed (default 120 s: model loading can be slow). */
  readonly heartbeatTimeoutMs?: number;
  readonly onMessage?: (m: WorkerMessage) => void;
  /** Each stderr line (tracebacks, library warnings, progress bars). */
  readonly onStderr?: (line: string) => void;
}

export class WorkerRun<C extends WorkerCommand> {
  readonly done: Promise<CommandResults[C]>;
  private readonly child: ChildProcess;
  private cancelSent = false;

  constructor(command: C, config: CommandConfigs[C] & DebugConfig, opts: WorkerRunOptions = {}) {
    const pythonPath = workerPythonPath();
    const env = {
      ...process.env,
      ...opts.env,
      PYTHONPATH: [pythonPath, process.env.PYTHONPATH].filter(Boolean).join(':'),
      PYTHONUNBUFFERED: '1',
    };
    this.child = spawn(workerInterpreter(opts.python), ['-m', 'loophole_worker'], {
      cwd: opts.cwd ?? pythonPath,
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.done = this.drive(command, config, opts);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Asks the worker to stop at its next step; it still answers with a result. */
  cancel(): void {
    if (this.cancelSent) return;
    this.cancelSent = true;
    this.send({ type: 'cancel' });
  }

  /** A request to a serving command (`judge`, `probe-serve`); its `reply` arrives through `onMessage`. */
  post(m: ServerMessage): void {
    this.send(m);
  }

  /** Closes the worker's stdin: a serving command finishes its requests, answers `result` and exits. */
  endInput(): void {
    this.child.stdin?.end();
  }

  /** Ends the worker now (SIGKILL); `done` rejects with `crashed`. */
  kill(): void {
    this.child.kill('SIGKILL');
  }

  private send(m: ServerMessage): void {
    if (this.child.stdin?.writable) this.child.stdin.write(JSON.stringify(m) + '\n');
  }

  private drive(command: C, config: CommandConfigs[C] & DebugConfig, opts: WorkerRunOptions): Promise<CommandResults[C]> {
    return new Promise((resolve, reject) => {
      let outcome: { ok: true; data: CommandResults[C] } | { ok: false; failure: WorkerFailure } | undefined;
      let started = false;
      const timeoutMs = opts.heartbeatTimeoutMs ?? 120_000;
      let timer: NodeJS.Timeout | undefined;
      const arm = () => {
        if (timer) clearTimeout(timer);
        timer = setTimeout(() => {
          outcome ??= {
            ok: false,
            failure: new WorkerFailure('hung', `the worker sent nothing for ${Math.round(timeoutMs / 1000)} s and was stopped`),
          };
          this.child.kill('SIGKILL');
        }, timeoutMs);
      };
      arm();
      const onAbort = () => this.cancel();
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      if (opts.signal?.aborted) onAbort();

      this.child.stdin?.on('error', () => undefined); // EPIPE after the worker exits
      createInterface({ input: this.child.stderr! }).on('line', (l) => opts.onStderr?.(l));
      createInterface({ input: this.child.stdout! }).on('line', (line) => {
        arm();
        const m = parseWorkerLine(line);
        if (!m) {
          opts.onStderr?.(line);
          return;
        }
        if (m.type === 'hello') {
          if (m.protocol !== WORKER_PROTOCOL_VERSION) {
            outcome = {
              ok: false,
              failure: new WorkerFailure(
                'protocol',
                `the worker speaks protocol ${m.protocol}, the server ${WORKER_PROTOCOL_VERSION}`,
                'reinstall Loophole so that both come from one version',
              ),
            };
            this.child.kill('SIGKILL');
            return;
          }
          if (!started) {
            started = true;
            this.send({ type: 'start', command, config } as ServerMessage);
            if (this.cancelSent) this.send({ type: 'cancel' });
          }
        } else if (m.type === 'result') {
          outcome ??= { ok: true, data: m.data as CommandResults[C] };
        } else if (m.type === 'error') {
          outcome ??= { ok: false, failure: new WorkerFailure(m.kind, m.message, m.suggestion ?? undefined) };
        }
        opts.onMessage?.(m);
      });
      this.child.on('error', (err: NodeJS.ErrnoException) => {
        outcome ??= {
          ok: false,
          failure: new WorkerFailure(
            'no_python',
            `cannot start the worker's Python '${workerInterpreter(opts.python)}': ${err.message}`,
            'set LOOPHOLE_WORKER_PYTHON or --python to an interpreter with torch installed',
          ),
        };
      });
      this.child.on('close', (code, sig) => {
        if (timer) clearTimeout(timer);
        opts.signal?.removeEventListener('abort', onAbort);
        if (outcome?.ok) resolve(outcome.data);
        else if (outcome) reject(outcome.failure);
        else
          reject(
            new WorkerFailure(
              'crashed',
              `the worker ended without a result (${sig ? `signal ${sig}` : `exit code ${code}`}); see the job log`,
            ),
          );
      });
    });
  }
}

export function runWorker<C extends WorkerCommand>(
  command: C,
  config: CommandConfigs[C] & DebugConfig,
  opts?: WorkerRunOptions,
): WorkerRun<C> {
  return new WorkerRun(command, config, opts);
}
