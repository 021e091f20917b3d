/**
 * The job requests of the language server (`loophole/jobs`, `loophole/job`, `loophole/jobSubmit`,
 * `loophole/jobCancel`, `loophole/jobResume`, `loophole/devices`) and the `loophole/jobEvent` stream,
 * over the service's `JobService`.
 *
 * `JobsHost` holds the open set's job service: `attach` starts it when a set opens (jobs a dead server
 * left running become `interrupted` there), `detach` closes it before the set's store closes (running
 * jobs stop at their next step and save). Queue events are forwarded as notifications: status changes
 * at once, the chatty rest (progress, metrics, log lines, artifacts) gathered for `FLUSH_MS` so a fast
 * training loop cannot flood the client. Errors are mapped by the server's `handle` (`errors.ts`).
 */
import { type CancellationToken, type Connection, ErrorCodes, ResponseError } from 'vscode-languageserver/node';
import { DeviceProbe, type JobEvent, type JobRecord, JobService, type JobState, type ReviewSession } from '../service';
import { paramsOf } from './params';
import {
  DevicesRequest,
  JobCancelRequest,
  JobEventNotification,
  type JobEventParams,
  JobIdParams,
  JobParams,
  JobRequest,
  JobResumeRequest,
  JobsParams,
  JobsRequest,
  type JobSubmitKind,
  JobSubmitParams,
  JobSubmitRequest,
  type LoopholeSettings,
} from '../../../contract/lsp';

/** How long chatty events are gathered before one notification carries them. */
const FLUSH_MS = 200;
/** Log lines per notification; the rest are counted, and `loophole/job` still has them. */
const MAX_LOGS_PER_FLUSH = 100;
const _SUBMIT_KINDS: readonly JobSubmitKind[] = ['train', 'eval', 'generate', 'retrain'];
const _STATES: readonly JobState[] = ['queued', 'running', 'succeeded', 'failed', 'cancelled', 'interrupted'];

/** What the server lends the job handlers. */
export interface JobsServerHost {
  readonly conn: Connection;
  /** The open session, or a `ResponseError(InvalidRequest)` when none is open. */
  need(): ReviewSession;
  handle<P, R>(type: { readonly method: string }, parse: (raw: unknown) => P, fn: (p: P, token: CancellationToken) => R | Promise<R>): void;
  settings(): LoopholeSettings;
}

export class JobsHost {
  private service: JobService | undefined;
  private unsubscribe: (() => void) | undefined;
  private buffer: JobEvent[] = [];
  private logsDropped = 0;
  private logsInBuffer = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly probe = new DeviceProbe();

  constructor(private readonly host: JobsServerHost) {
    host.handle(JobsRequest, jobsParams, (p) => this.need().list(p));
    host.handle(JobRequest, jobParams, (p) => this.need().detail(p));
    host.handle(JobSubmitRequest, submitParams, (p) => this.submit(p));
    host.handle(JobCancelRequest, idParams('loophole/jobCancel'), (p) => this.need().cancel(p.id));
    host.handle(JobResumeRequest, idParams('loophole/jobResume'), (p) => this.need().resume(p.id));
    host.handle(
      DevicesRequest,
      () => ({}),
      () => this.probe.devices(),
    );
  }

  /** Starts the job service over a freshly opened set. */
  attach(session: ReviewSession): void {
    const service = new JobService(session);
    const listener = (e: JobEvent) => this.onEvent(e);
    service.events.on('event', listener);
    this.service = service;
    this.unsubscribe = () => service.events.off('event', listener);
  }

  /** Stops running jobs (they save first), forwards their last events, and drops the service. Call
   *  before the store closes. */
  async detach(): Promise<void> {
    const service = this.service;
    if (!service) return;
    this.service = undefined;
    const unsubscribe = this.unsubscribe;
    this.unsubscribe = undefined;
    await service.close();
    this.flush();
    unsubscribe?.();
  }

  private submit(p: JobSubmitParams): JobRecord {
    if (this.host.settings().workspaceTrusted !== true) {
      throw new ResponseError(
        ErrorCodes.InvalidRequest,
        'loophole/jobSubmit: jobs do not run in an untrusted workspace (training loads model code, evaluation runs samples); trust the workspace first (other editors: initializationOptions.workspaceTrusted = true)',
      );
    }
    return this.need().submit(p);
  }

  // ───────────── events ─────────────

  private onEvent(e: JobEvent): void {
    if (e.type === 'status') {
      this.buffer.push(e);
      this.flush();
      return;
    }
    if (e.type === 'progress') {
      this.buffer = this.buffer.filter((b) => !(b.type === 'progress' && b.jobId === e.jobId));
    } else if (e.type === 'log') {
      if (this.logsInBuffer >= MAX_LOGS_PER_FLUSH) {
        this.logsDropped++;
        return;
      }
      this.logsInBuffer++;
    }
    this.buffer.push(e);
    this.timer ??= setTimeout(() => this.flush(), FLUSH_MS);
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.buffer.length === 0) return;
    const params: JobEventParams = { events: this.buffer, ...(this.logsDropped ? { logsDropped: this.logsDropped } : {}) };
    this.buffer = [];
    this.logsDropped = 0;
    this.logsInBuffer = 0;
    void this.host.conn.sendNotification(JobEventNotification.method, params);
  }

  // ───────────── plumbing ─────────────

  private need(): JobService {
    this.host.need();
    if (!this.service) throw new ResponseError(ErrorCodes.InvalidRequest, 'the job queue is not running');
    return this.service;
  }
}

// ───────────── params ─────────────

function _invalid(method: string, message: string): ResponseError<void> {
  return new ResponseError(ErrorCodes.InvalidParams, `${method}: ${message}`);
}

export const jobsParams = paramsOf('loophole/jobs', JobsParams, true);
export const jobParams = paramsOf('loophole/job', JobParams);
const idParams = (method: string) => paramsOf(method, JobIdParams);
export const submitParams = paramsOf('loophole/jobSubmit', JobSubmitParams);
