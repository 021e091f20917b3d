/**
 * A serving worker (`judge`, `probe-serve`): started on the first request, kept while the analysis
 * runs (the model loads once), ended by `close()`. Requests are matched to `reply` messages by id.
 *
 * One GPU worker computing per device at a time, in the one device lock the training and evaluation
 * jobs take too (`jobs/deviceLock.ts`): a request holds its device from send to reply, so a probe, a
 * judge and a training job on the same GPU take turns instead of competing for its memory; an idle
 * worker holds nothing, so two monitors never wait on each other forever. `auto` is resolved to the
 * device the worker would pick before the lock is taken, and the worker is started on that device.
 */
import { deviceHeldByOther, holdDevice, resolveDevice, workerDevices } from '../../jobs/deviceLock';
import { runWorker, WorkerFailure, type WorkerRun } from '../../jobs/worker';
import type { CommandConfigs, MonitorRequest, ReplyMessage, ServerMessage, WorkerMessage } from '../../jobs/workerProtocol';
import type { MonitorConfigs } from './monitorProtocol';

/** Runs `task` while `owner` holds `device`: the process-wide device lock the job queue shares. */
export const withDevice = holdDevice;

export interface ServingOptions {
  readonly python?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Worker log lines (stderr, `log` messages). */
  readonly log?: (line: string) => void;
}

type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;
/** A `chat` or `score` request without its id. */
export type RequestBody = WithoutId<MonitorRequest>;

type Pending = { resolve: (r: ReplyMessage) => void; reject: (e: Error) => void };

export class ServingWorker<C extends 'judge' | 'probe-serve'> {
  private run: WorkerRun<C> | undefined;
  private ready: Promise<void> | undefined;
  private readonly pending = new Map<string, Pending>();
  private failure: Error | undefined;
  private nextId = 1;
  /** The `ready` message's backend (`vllm` / `transformers`) for the judge. */
  backend: string | undefined;

  constructor(
    private readonly command: C,
    private readonly config: MonitorConfigs[C],
    private readonly opts: ServingOptions = {},
  ) {}

  /** The device as requested (`auto` unless the config names one). */
  get device(): string {
    return (this.config as { device?: string }).device ?? 'auto';
  }

  private resolved: Promise<string> | undefined;
  private waitReported = false;

  /** The concrete device this worker computes on (`auto` resolved as the worker resolves it). */
  resolveDevice(): Promise<string> {
    const opts = { ...(this.opts.python ? { python: this.opts.python } : {}), ...(this.opts.env ? { env: this.opts.env } : {}) };
    this.resolved ??= resolveDevice(this.device, () => workerDevices(opts));
    return this.resolved;
  }

  private start(device: string): Promise<void> {
    this.ready ??= new Promise<void>((resolve, reject) => {
      const onMessage = (m: WorkerMessage) => {
        if (m.type === 'ready') {
          this.backend = m.backend;
          resolve();
        } else if (m.type === 'reply') {
          const p = this.pending.get(String(m.id));
          this.pending.delete(String(m.id));
          p?.resolve(m);
        } else if (m.type === 'log') this.opts.log?.(m.message);
      };
      this.run = runWorker(this.command, { ...this.config, device } as CommandConfigs[C], {
        ...(this.opts.python ? { python: this.opts.python } : {}),
        ...(this.opts.env ? { env: this.opts.env } : {}),
        heartbeatTimeoutMs: 300_000,
        onMessage,
        ...(this.opts.log ? { onStderr: this.opts.log } : {}),
      });
      this.run.done.then(
        () => this.fail(new WorkerFailure('crashed', `the ${this.command} worker ended`)),
        (e: Error) => this.fail(e),
      );
      this.run.done.catch(reject);
    });
    return this.ready;
  }

  private fail(e: Error): void {
    this.failure ??= e;
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }

  /** Sends one request (its `id` is filled in) and waits for its reply; the device is held meanwhile. */
  async request(body: RequestBody, signal?: AbortSignal): Promise<ReplyMessage> {
    const device = await this.resolveDevice();
    if (deviceHeldByOther(device, this) && !this.waitReported) {
      this.waitReported = true;
      this.opts.log?.(
        `${device} is busy (a job, another local monitor or another Loophole process computes on it): the ${this.command} worker waits its turn`,
      );
    }
    return holdDevice(device, this, async () => {
      this.waitReported = false;
      signal?.throwIfAborted();
      await this.start(device);
      if (this.failure) throw this.failure;
      const id = String(this.nextId++);
      const reply = new Promise<ReplyMessage>((resolve, reject) => this.pending.set(id, { resolve, reject }));
      this.run!.post({ ...body, id } as ServerMessage);
      if (!signal) return reply;
      // A cancelled analysis stops waiting; the worker finishes the request and its reply is dropped.
      return await new Promise<ReplyMessage>((resolve, reject) => {
        const onAbort = () => {
          this.pending.delete(id);
          reject(signal.reason);
        };
        signal.addEventListener('abort', onAbort, { once: true });
        reply.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
      });
    });
  }

  /** Ends the worker (it answers what it has, then exits); a no-op when it never started. */
  async close(): Promise<void> {
    if (!this.run) return;
    this.run.endInput();
    await this.run.done.catch(() => undefined);
  }
}
