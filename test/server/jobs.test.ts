/**
 * The job requests over a real stdio connection, with the real Python worker training a tiny randomly
 * initialised model on the CPU: devices, a train job streaming metrics as `loophole/jobEvent`, cancel,
 * a refusal in an untrusted workspace, and a server killed mid-job whose job the next server lists
 * `interrupted` and resumes from its checkpoint. Skips (saying why) without torch/transformers/peft.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ResponseError } from 'vscode-jsonrpc/node';
import { DidChangeConfigurationNotification, ErrorCodes } from 'vscode-languageserver-protocol';
import type { JobEvent, JobRecord } from '../../contract/jobs';
import {
  DevicesRequest,
  JobCancelRequest,
  JobEventNotification,
  type JobEventParams,
  JobRequest,
  JobResumeRequest,
  JobsRequest,
  JobSubmitRequest,
  OpenRequest,
} from '../../contract/lsp';
import { FIXTURES, requireTorch, tinyModel, WORKER_ENV } from '../unit/jobs/env';
import { ensureBundle, removeDir, ServerProcess } from './harness';

const EVENT = JobEventNotification.method;

/** The first event of a notification batch that `pred` accepts. */
function eventIn(p: JobEventParams, pred: (e: JobEvent) => boolean): JobEvent | undefined {
  return p.events.find(pred);
}
const statusOf = (id: string, state: string) => (e: JobEvent) => e.type === 'status' && e.job.id === id && e.job.status.state === state;
const metricOf = (id: string) => (e: JobEvent) => e.type === 'metric' && e.jobId === id;
const checkpointOf = (id: string) => (e: JobEvent) => e.type === 'artifact' && e.jobId === id && e.artifact.kind === 'checkpoint';

describe('language server: jobs', function () {
  this.timeout(240_000);
  let dir: string;
  let data: string;
  let server: ServerProcess | undefined;
  const savedEnv = process.env.LOOPHOLE_HEARTBEAT_S;

  /** A train job long enough to be stopped: a checkpoint after every step. */
  const trainParams = (name: string) => ({
    kind: 'train' as const,
    device: 'cpu',
    name,
    // enough epochs that max_steps binds: a resumed run still has hundreds of steps to stream and cancel
    config: {
      model: tinyModel(),
      data,
      epochs: 100,
      max_steps: 400,
      warmup_ratio: 0,
      max_length: 128,
      grad_accum: 1,
      checkpoint_every: 1,
      lr: 1e-3,
      ema: null,
    },
  });
  const until = (s: ServerProcess, pred: (e: JobEvent) => boolean) =>
    s.notification<JobEventParams>(EVENT, (p) => eventIn(p, pred) !== undefined);

  before(async function () {
    requireTorch(this);
    ensureBundle();
    // the server's worker inherits this: heartbeats (and so cancel checks) every half second
    process.env.LOOPHOLE_HEARTBEAT_S = WORKER_ENV.LOOPHOLE_HEARTBEAT_S;
    dir = mkdtempSync(path.join(tmpdir(), 'loophole-jobs-lsp-'));
    copyFileSync(path.join(FIXTURES, 'review.loophole.jsonl'), path.join(dir, 'review.loophole.jsonl'));
    copyFileSync(path.join(FIXTURES, 'train.chat.jsonl'), path.join(dir, 'train.chat.jsonl'));
    data = 'train.chat.jsonl'; // relative: resolved against the review set's folder
    server = await ServerProcess.start({ workspaceTrusted: true });
  });

  after(async function () {
    if (savedEnv === undefined) delete process.env.LOOPHOLE_HEARTBEAT_S;
    else process.env.LOOPHOLE_HEARTBEAT_S = savedEnv;
    if (server) await server.shutdown();
    if (dir) removeDir(dir);
  });

  it('lists the worker devices, the CPU at least, without an open set', async function () {
    const r = await server!.conn.sendRequest(DevicesRequest, {});
    assert.ok(
      r.devices.some((d) => d.id === 'cpu'),
      JSON.stringify(r),
    );
    assert.deepEqual(r.missing, []);
    assert.equal(r.error, undefined);
  });

  it('refuses job requests before a set is open', async function () {
    await assert.rejects(server!.conn.sendRequest(JobsRequest, {}), (e: ResponseError<unknown>) => e.code === ErrorCodes.InvalidRequest);
  });

  it("streams a train job's metrics as job events, and cancels it", async function () {
    await server!.conn.sendRequest(OpenRequest, { path: path.join(dir, 'review.loophole.jsonl') });
    const job = await server!.conn.sendRequest(JobSubmitRequest, trainParams('metrics and cancel'));
    assert.equal(job.kind, 'train');
    assert.match((job.config as { data: string }).data, /^\//, 'the relative data path was resolved');
    assert.equal((job.config as { lora?: { r: number } }).lora?.r, 16, 'the conservative preset filled in what config left out');

    const withMetric = await until(server!, metricOf(job.id));
    const m = eventIn(withMetric, metricOf(job.id)) as Extract<JobEvent, { type: 'metric' }>;
    assert.equal(m.metric.step, 1);
    assert.ok(m.metric.loss !== null && Number.isFinite(m.metric.loss) && m.metric.loss > 0);
    assert.ok(m.metric.lr > 0);

    const listed = await server!.conn.sendRequest(JobsRequest, {});
    assert.equal(listed.jobs.find((j) => j.id === job.id)?.status.state, 'running');

    await server!.conn.sendRequest(JobCancelRequest, { id: job.id });
    await until(server!, statusOf(job.id, 'cancelled'));
    const d = await server!.conn.sendRequest(JobRequest, { id: job.id, logTail: 5 });
    assert.equal(d.job.status.state, 'cancelled');
    assert.ok(d.metrics.length >= 1 && d.metrics[0]!.step === 1);
    assert.ok(d.logs.length <= 5 && d.logTotal >= d.logs.length);
    assert.equal(d.logs.at(-1)!.message, 'cancelled');
    assert.ok(
      d.artifacts.some((a) => a.kind === 'checkpoint'),
      'a checkpoint was saved before stopping',
    );
  });

  it('refuses to submit in an untrusted workspace and names bad params', async function () {
    await server!.conn.sendNotification(DidChangeConfigurationNotification.type, { settings: { loophole: { workspaceTrusted: false } } });
    await assert.rejects(
      server!.conn.sendRequest(JobSubmitRequest, trainParams('refused')),
      (e: ResponseError<unknown>) => e.code === ErrorCodes.InvalidRequest && /untrusted/.test(e.message),
    );
    await server!.conn.sendNotification(DidChangeConfigurationNotification.type, { settings: { loophole: { workspaceTrusted: true } } });
    await assert.rejects(
      server!.conn.sendRequest(JobSubmitRequest, { ...trainParams('bad'), device: 'tpu' }),
      (e: ResponseError<unknown>) => e.code === ErrorCodes.InvalidParams && /device/.test(e.message),
    );
    await assert.rejects(
      server!.conn.sendRequest(JobRequest, { id: 'nope' }),
      (e: ResponseError<unknown>) => e.code === ErrorCodes.InvalidParams,
    );
  });

  it('lists a job the killed server was running as interrupted, and resumes it from its checkpoint', async function () {
    const job = await server!.conn.sendRequest(JobSubmitRequest, trainParams('killed mid-job'));
    await until(server!, checkpointOf(job.id));
    await server!.kill();

    server = await ServerProcess.start({ workspaceTrusted: true });
    await server.conn.sendRequest(OpenRequest, { path: path.join(dir, 'review.loophole.jsonl') });
    const { jobs } = await server.conn.sendRequest(JobsRequest, {});
    const found = jobs.find((j) => j.id === job.id) as JobRecord;
    assert.equal(found.status.state, 'interrupted');
    assert.equal(found.status.state === 'interrupted' && found.status.resumable, true);

    const resumed = await server.conn.sendRequest(JobResumeRequest, { id: job.id });
    assert.equal(resumed.attempt, 2);
    await until(server, (e) => e.type === 'artifact' && e.jobId === job.id && e.artifact.kind === 'resumed');
    await until(server, metricOf(job.id));
    await assert.rejects(
      server.conn.sendRequest(JobResumeRequest, { id: job.id }),
      (e: ResponseError<unknown>) => e.code === ErrorCodes.InvalidParams && /only an interrupted/.test(e.message),
    );
    await server.conn.sendRequest(JobCancelRequest, { id: job.id });
    await until(server, statusOf(job.id, 'cancelled'));
    const d = await server.conn.sendRequest(JobRequest, { id: job.id, logTail: 1000 });
    assert.ok(
      d.logs.some((l) => /interrupted/.test(l.message)),
      'the log keeps the interruption',
    );
    assert.ok(d.logs.some((l) => /resumed \(attempt 2\)/.test(l.message)));
  });
});
