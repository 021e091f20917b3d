import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { JobQueue, type JobContext } from '../../../server/src/jobs/queue';
import { createJobQueue } from '../../../server/src/jobs';
import type { JobEvent, JobRecord } from '../../../contract/jobs';
import type { TrainResult } from '../../../server/src/jobs/workerProtocol';
import { Store } from '../../../server/src/store/store';
import { requireTorch, tempDir, tinyModel, trainData, WORKER_ENV } from './env';

/** A runner that records when it starts and finishes only when the test releases it. */
function gate() {
  const started: string[] = [];
  const release = new Map<string, () => void>();
  const onStart: ((id: string) => void)[] = [];
  const runner = (ctx: JobContext) =>
    new Promise<unknown>((resolve) => {
      started.push(ctx.job.id);
      release.set(ctx.job.id, () => resolve({ device: ctx.device }));
      ctx.signal.addEventListener('abort', () => resolve({ stopped: true }));
      for (const f of onStart.splice(0)) f(ctx.job.id);
    });
  const nextStart = () => new Promise<string>((r) => onStart.push(r));
  return { started, release, runner, nextStart };
}

describe('jobs: queue, records and scheduling', () => {
  it('runs one job per device at a time, in submission order, and records each state', async () => {
    const store = Store.open(tempDir());
    const g = gate();
    const q = new JobQueue({ db: store.db, jobsDir: tempDir(), runners: { train: g.runner }, devices: ['cpu', 'cuda:0'] });
    const firstStart = g.nextStart();
    const a = q.submit('train', 'a', { device: 'cuda:0' });
    await firstStart;
    const b = q.submit('train', 'b', { device: 'cuda:0' });
    const cStart = g.nextStart();
    const c = q.submit('train', 'c', { device: 'cpu' });
    await cStart;
    assert.deepEqual(g.started, [a.id, c.id]); // b waits for cuda:0, c runs beside a
    assert.equal(q.jobs.get(b.id)!.status.state, 'queued');
    assert.equal(q.jobs.get(a.id)!.status.state, 'running');
    const bStart = g.nextStart();
    g.release.get(a.id)!();
    assert.equal((await q.wait(a.id)).status.state, 'succeeded');
    assert.equal(await bStart, b.id);
    g.release.get(b.id)!();
    g.release.get(c.id)!();
    const done = await q.wait(b.id);
    assert.deepEqual(done.status.state === 'succeeded' && done.status.result, { device: 'cuda:0' });
    assert.equal(done.device, 'cuda:0');
    store.close();
  });

  it('cancels a queued job at once and a running one through its signal', async () => {
    const store = Store.open(tempDir());
    const g = gate();
    const q = new JobQueue({ db: store.db, jobsDir: tempDir(), runners: { train: g.runner }, devices: ['cpu'] });
    const s = g.nextStart();
    const a = q.submit('train', 'a', { device: 'cpu' });
    await s;
    const b = q.submit('train', 'b', { device: 'cpu' });
    q.cancel(b.id);
    assert.equal(q.jobs.get(b.id)!.status.state, 'cancelled');
    q.cancel(a.id);
    const done = await q.wait(a.id);
    assert.equal(done.status.state, 'cancelled');
    assert.ok(q.jobs.logs(a.id).some((l) => l.message === 'cancelled'));
    store.close();
  });

  it('marks jobs a dead server left running as interrupted, keeping their logs, and resumes them', async () => {
    const dir = tempDir();
    const store = Store.open(dir);
    const g = gate();
    const q1 = new JobQueue({ db: store.db, jobsDir: tempDir(), runners: { train: g.runner }, devices: ['cpu'] });
    const s = g.nextStart();
    const a = q1.submit('train', 'a', { device: 'cpu', lr: 1e-5 });
    await s;
    q1.jobs.log(a.id, 'worker', 'info', 'step 1 done');
    // while its owner lives, another process opening the store leaves the job alone
    const peek = Store.open(dir);
    assert.equal(new JobQueue({ db: peek.db, jobsDir: tempDir(), runners: {}, devices: ['cpu'] }).jobs.get(a.id)!.status.state, 'running');
    peek.close();
    // the owner dies (a pid that has exited; here its queue stops, freeing the device this process
    // shares between queues and monitors), and a new server opens the same file
    await q1.close();
    const deadPid = spawnSync('true').pid!;
    q1.jobs.setStatus(a.id, { state: 'running', startedAt: new Date().toISOString(), owner: deadPid });
    const store2 = Store.open(dir);
    const g2 = gate();
    const q2 = new JobQueue({ db: store2.db, jobsDir: tempDir(), runners: { train: g2.runner }, devices: ['cpu'] });
    const j = q2.jobs.get(a.id)!;
    assert.equal(j.status.state, 'interrupted');
    assert.ok(j.status.state === 'interrupted' && j.status.resumable);
    assert.ok(q2.jobs.logs(a.id).some((l) => l.message === 'step 1 done'));
    const s2 = g2.nextStart();
    const resumed = q2.resume(a.id);
    assert.deepEqual(resumed.config, { device: 'cpu', lr: 1e-5, resume: true });
    assert.equal(resumed.attempt, 2);
    await s2;
    g2.release.get(a.id)!();
    assert.equal((await q2.wait(a.id)).status.state, 'succeeded');
    store.close();
    store2.close();
  });

  it('refuses to resume a job that succeeded', async () => {
    const store = Store.open(tempDir());
    const q = new JobQueue({ db: store.db, jobsDir: tempDir(), runners: { train: async () => 1 }, devices: ['cpu'] });
    const a = q.submit('train', 'a', {});
    await q.wait(a.id);
    assert.throws(() => q.resume(a.id), /succeeded; only an interrupted, failed or cancelled job can be resumed/);
    store.close();
  });
});

describe('jobs: training through the queue (cancel, kill, resume)', function () {
  // Real training/sampling on the CPU: minutes on a busy 2-core machine. A hang guard, not a speed bound.
  this.timeout(300_000);
  before(function () {
    requireTorch(this);
  });

  const config = (extra: object = {}) => ({
    model: tinyModel(),
    data: trainData(),
    device: 'cpu',
    epochs: 20,
    max_steps: 8,
    batch_size: 2,
    grad_accum: 1,
    lr: 1e-3,
    max_length: 96,
    checkpoint_every: 1,
    keep_checkpoints: 3,
    ema: { decay: 0.9 },
    ...extra,
  });
  const firstMetric = (q: JobQueue, id: string) =>
    new Promise<void>((resolve) => {
      const on = (e: JobEvent) => {
        if (e.type === 'metric' && e.jobId === id) {
          q.off('event', on);
          resolve();
        }
      };
      q.on('event', on);
    });

  const firstCheckpoint = (q: JobQueue, id: string) =>
    new Promise<void>((resolve) => {
      const on = (e: JobEvent) => {
        if (e.type === 'artifact' && e.jobId === id && e.artifact.kind === 'checkpoint') {
          q.off('event', on);
          resolve();
        }
      };
      q.on('event', on);
    });

  it('cancel stops at the next step and saves; resume continues from that checkpoint to the end', async () => {
    const store = Store.open(tempDir());
    const q = createJobQueue(store, { devices: ['cpu'], worker: { env: WORKER_ENV } });
    const job = q.submit('train', 'cancel me', config());
    await firstMetric(q, job.id);
    q.cancel(job.id);
    const cancelled = await q.wait(job.id);
    assert.equal(cancelled.status.state, 'cancelled');
    const partial = (cancelled.status as { result: TrainResult }).result;
    assert.equal(partial.status, 'cancelled');
    assert.ok(partial.step >= 1 && partial.step < 8, `stopped at step ${partial.step}`);
    assert.ok(partial.checkpoint && existsSync(partial.checkpoint));
    assert.ok(q.jobs.artifacts(job.id).some((a) => a.kind === 'checkpoint' && a.step === partial.step));

    q.resume(job.id);
    const done: JobRecord = await q.wait(job.id);
    assert.equal(done.status.state, 'succeeded');
    const r = (done.status as { result: TrainResult }).result;
    assert.equal(r.step, 8);
    assert.ok(q.jobs.artifacts(job.id).some((a) => a.kind === 'resumed' && a.step === partial.step));
    assert.deepEqual(
      q.jobs.metrics(job.id).map((m) => m.step),
      [1, 2, 3, 4, 5, 6, 7, 8],
    );
    assert.ok(r.ema_adapter && existsSync(r.ema_adapter));
    await q.close();
    store.close();
  });

  it('a worker killed mid-training leaves the job interrupted with its log; resume finishes it', async () => {
    const store = Store.open(tempDir());
    const q = createJobQueue(store, { devices: ['cpu'], worker: { env: WORKER_ENV } });
    const job = q.submit('train', 'kill me', config({ max_steps: 6 }));
    await firstCheckpoint(q, job.id);
    const running = q.jobs.get(job.id)!.status;
    assert.ok(running.state === 'running' && running.pid);
    process.kill(running.pid, 'SIGKILL');
    const dead = await q.wait(job.id);
    assert.equal(dead.status.state, 'interrupted');
    assert.match(dead.status.state === 'interrupted' ? dead.status.reason : '', /ended without a result \(signal SIGKILL\)/);
    const logs = q.jobs.logs(job.id);
    assert.ok(logs.some((l) => l.source === 'worker' && /training rows/.test(l.message)));
    const ckpts = readdirSync(path.join(path.dirname(store.dbPath), 'jobs', job.id, 'run', 'checkpoints'));
    assert.ok(ckpts.length >= 1);

    q.resume(job.id);
    const done = await q.wait(job.id);
    assert.equal(done.status.state, 'succeeded', JSON.stringify(done.status));
    assert.equal((done.status as { result: TrainResult }).result.step, 6);
    await q.close();
    store.close();
  });

  it('a worker that stops answering (no heartbeat) is killed and the job ends interrupted', async () => {
    const store = Store.open(tempDir());
    const q = createJobQueue(store, { devices: ['cpu'], worker: { env: WORKER_ENV, heartbeatTimeoutMs: 3000 } });
    const job = q.submit('train', 'hang', config({ max_steps: 50 }));
    await firstMetric(q, job.id);
    const running = q.jobs.get(job.id)!.status;
    assert.ok(running.state === 'running' && running.pid);
    process.kill(running.pid, 'SIGSTOP');
    const done = await q.wait(job.id);
    assert.equal(done.status.state, 'interrupted');
    assert.match(done.status.state === 'interrupted' ? done.status.reason : '', /sent nothing for 3 s/);
    await q.close();
    store.close();
  });

  it('a missing training file fails the job as bad input without starting the worker', async () => {
    const store = Store.open(tempDir());
    const q = createJobQueue(store, { devices: ['cpu'] });
    const job = q.submit('train', 'no data', { model: tinyModel(), data: '/nonexistent.jsonl' });
    const done = await q.wait(job.id);
    assert.equal(done.status.state, 'failed');
    assert.ok(
      done.status.state === 'failed' &&
        done.status.error.kind === 'bad_input' &&
        /loophole export/.test(done.status.error.suggestion ?? ''),
    );
    store.close();
  });
});
