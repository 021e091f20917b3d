/**
 * One lock per device for jobs and local monitors: a monitor (the judge's or the probe's serving worker,
 * which holds its device from request to reply) and a job on the same device take turns; on different
 * devices they run side by side. Everything waits on promises and events.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { deviceBusy, holdDevice, otherProcessHolder, tryTakeDevice } from '../../../server/src/jobs/deviceLock';
import type { JobEvent } from '../../../contract/jobs';
import { type JobContext, JobQueue } from '../../../server/src/jobs/queue';
import { WorkerFailure } from '../../../server/src/jobs/worker';
import { ServingWorker } from '../../../server/src/scoring/local/serving';
import { Store } from '../../../server/src/store/store';
import { requireTorch, tempDir, WORKER_ENV } from './env';

function deferred<T = void>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** A runner whose jobs report their start and finish only when the test releases them. */
function gatedRunner() {
  const started = new Map<string, ReturnType<typeof deferred<void>>>();
  const release = new Map<string, () => void>();
  const startOf = (name: string) => {
    if (!started.has(name)) started.set(name, deferred());
    return started.get(name)!.promise;
  };
  const runner = (ctx: JobContext) =>
    new Promise<unknown>((resolve) => {
      release.set(ctx.job.name, () => resolve({ device: ctx.device }));
      ctx.signal.addEventListener('abort', () => resolve({ stopped: true }));
      startOf(ctx.job.name);
      started.get(ctx.job.name)!.resolve();
    });
  return { runner, startOf, release };
}

describe('jobs: one device lock for jobs and local monitors', () => {
  it('a job waits while a monitor computes on its device, and starts when the monitor is done; another device runs at once', async () => {
    const store = Store.open(tempDir());
    const g = gatedRunner();
    const q = new JobQueue({ db: store.db, jobsDir: tempDir(), runners: { train: g.runner }, devices: ['cpu', 'cuda:0'] });
    try {
      const monitor = {};
      const judging = deferred();
      const monitorDone = holdDevice('cuda:0', monitor, () => judging.promise);
      const order: string[] = [];
      const same = q.submit('train', 'same device', { device: 'cuda:0' });
      const other = q.submit('train', 'other device', { device: 'cpu' });
      // The queue looks at jobs oldest first: once the later job has started, the earlier one was passed over.
      await g.startOf('other device');
      order.push('other device started');
      assert.equal(q.jobs.get(same.id)!.status.state, 'queued', 'the job on the monitor’s device waits');
      assert.equal(q.jobs.get(other.id)!.status.state, 'running');
      const sameStarted = g.startOf('same device').then(() => order.push('same device started'));
      judging.resolve();
      await monitorDone;
      order.push('monitor done');
      await sameStarted;
      assert.deepEqual(order, ['other device started', 'monitor done', 'same device started']);
      g.release.get('same device')!();
      g.release.get('other device')!();
      assert.equal((await q.wait(same.id)).status.state, 'succeeded');
      assert.equal((await q.wait(other.id)).status.state, 'succeeded');
      assert.equal(deviceBusy('cuda:0'), false);
    } finally {
      await q.close();
      store.close();
    }
  });

  it('a monitor waits while a job runs on its device; on another device it computes at once', async () => {
    const store = Store.open(tempDir());
    const g = gatedRunner();
    const q = new JobQueue({ db: store.db, jobsDir: tempDir(), runners: { train: g.runner }, devices: ['cpu', 'cuda:0'] });
    try {
      const job = q.submit('train', 'training', { device: 'cuda:0' });
      await g.startOf('training');
      const order: string[] = [];
      const same = holdDevice('cuda', {}, async () => void order.push('monitor on cuda:0'));
      await holdDevice('cpu', {}, async () => void order.push('monitor on cpu'));
      assert.deepEqual(order, ['monitor on cpu'], 'the monitor on the job’s device (`cuda` is cuda:0) has not run');
      assert.equal(tryTakeDevice('cuda:0', {}), undefined, 'nobody else takes a held device');
      g.release.get('training')!();
      assert.equal((await q.wait(job.id)).status.state, 'succeeded');
      await same;
      assert.deepEqual(order, ['monitor on cpu', 'monitor on cuda:0']);
    } finally {
      await q.close();
      store.close();
    }
  });

  it('a monitor queued before a job keeps its turn: a freed device goes to the waiter, not to a later job', async () => {
    const store = Store.open(tempDir());
    const g = gatedRunner();
    const q = new JobQueue({ db: store.db, jobsDir: tempDir(), runners: { train: g.runner }, devices: ['cpu'] });
    try {
      const first = q.submit('train', 'first', { device: 'cpu' });
      await g.startOf('first');
      const order: string[] = [];
      const judging = deferred();
      const monitorStarted = deferred();
      const monitor = holdDevice('cpu', {}, async () => {
        order.push('monitor');
        monitorStarted.resolve();
        await judging.promise;
      });
      const second = q.submit('train', 'second', { device: 'cpu' });
      const secondStarted = g.startOf('second').then(() => order.push('second job'));
      g.release.get('first')!();
      await q.wait(first.id);
      await monitorStarted.promise;
      assert.equal(q.jobs.get(second.id)!.status.state, 'queued');
      judging.resolve();
      await monitor;
      await secondStarted;
      assert.deepEqual(order, ['monitor', 'second job']);
      g.release.get('second')!();
      await q.wait(second.id);
    } finally {
      await q.close();
      store.close();
    }
  });
});

describe('jobs: a local judge worker takes its turn on a job’s device', function () {
  this.timeout(120_000);
  before(function () {
    requireTorch(this);
  });

  it('the judge’s request waits for the job on its device, then runs (here: fails on a missing model, after the job)', async () => {
    const store = Store.open(tempDir());
    const g = gatedRunner();
    const q = new JobQueue({ db: store.db, jobsDir: tempDir(), runners: { train: g.runner }, devices: ['cpu'] });
    const waiting = deferred<string>();
    const judge = new ServingWorker('judge', { model: '/nowhere/model.gguf', device: 'cpu' } as never, {
      env: WORKER_ENV,
      log: (l) => {
        if (/busy/.test(l)) waiting.resolve(l);
      },
    });
    try {
      const job = q.submit('train', 'training', { device: 'cpu' });
      await g.startOf('training');
      const order: string[] = [];
      const reply = judge.request({ type: 'chat', messages: [{ role: 'user', content: 'hi' }] }).then(
        () => order.push('judge answered'),
        (e: unknown) => order.push(e instanceof WorkerFailure ? `judge failed: ${e.kind}` : `judge failed: ${String(e)}`),
      );
      assert.match(await waiting.promise, /cpu is busy .* waits its turn/);
      order.push('job released');
      g.release.get('training')!();
      await q.wait(job.id);
      await reply;
      assert.equal(order[0], 'job released');
      assert.match(order[1] ?? '', /^judge failed: (model_not_found|bad_input)/);
    } finally {
      await judge.close();
      await q.close();
      store.close();
    }
  });
});

describe('jobs: one GPU lock across processes', function () {
  this.timeout(60_000);
  const LIB = path.resolve(__dirname, '../../../server/src/jobs/deviceLock.ts');

  /** Another Loophole process that holds `device` (printing `held`) until it is killed or its stdin closes. */
  function holder(device: string): Promise<{ child: ChildProcess }> {
    const child = spawn(
      process.execPath,
      [
        '--require',
        require.resolve('tsx/cjs'),
        '-e',
        `require(${JSON.stringify(LIB)}).holdDevice(${JSON.stringify(device)}, {}, () => new Promise((r) => { process.stdout.write('held\\n'); process.stdin.on('end', r); process.stdin.resume(); }))`,
      ],
      { stdio: ['pipe', 'pipe', 'inherit'], env: process.env },
    );
    return new Promise((resolve, reject) => {
      child.stdout!.on('data', (d: Buffer) => d.toString().includes('held') && resolve({ child }));
      child.once('exit', (code) => reject(new Error(`the holder exited with ${code}`)));
    });
  }
  const exited = (child: ChildProcess) => new Promise((r) => child.once('exit', r));

  it('a GPU another process holds is busy here; a monitor waits for it and computes once that process ends', async () => {
    const { child } = await holder('cuda:5');
    try {
      assert.equal(deviceBusy('cuda:5'), true);
      assert.equal(otherProcessHolder('cuda:5')?.pid, child.pid);
      assert.equal(tryTakeDevice('cuda:5', {}), undefined);
      assert.equal(deviceBusy('cuda:6'), false, 'another GPU is free');
      const order: string[] = [];
      const monitor = holdDevice('cuda:5', {}, async () => void order.push('monitor computes'));
      // a free device would have let the task run within these turns of the event loop
      for (let i = 0; i < 5; i++) await new Promise(setImmediate);
      assert.equal(order.length, 0, 'still waiting while the other process holds the GPU');
      order.push('other process ends');
      child.stdin!.end();
      await exited(child);
      await monitor;
      assert.deepEqual(order, ['other process ends', 'monitor computes']);
      assert.equal(deviceBusy('cuda:5'), false);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('a queued job says which process holds its GPU and starts when that process dies without releasing it', async () => {
    const store = Store.open(tempDir());
    const g = gatedRunner();
    const q = new JobQueue({ db: store.db, jobsDir: tempDir(), runners: { train: g.runner }, devices: ['cpu', 'cuda:5'] });
    const { child } = await holder('cuda:5');
    try {
      const waiting = new Promise<string>((resolve) =>
        q.on('event', (e: JobEvent) => {
          if (e.type === 'log' && e.line.message.startsWith('waiting for')) resolve(e.line.message);
        }),
      );
      const job = q.submit('train', 'training', { device: 'cuda:5' });
      // the job's log (and a log view, through the queue's event) says what it waits for
      assert.match(await waiting, new RegExp(`^waiting for cuda:5: another Loophole process \\(pid ${child.pid}\\)`));
      assert.equal(q.jobs.get(job.id)!.status.state, 'queued');
      child.kill('SIGKILL'); // a crash: the lock folder stays behind, its process is gone
      await exited(child);
      await g.startOf('training');
      g.release.get('training')!();
      assert.equal((await q.wait(job.id)).status.state, 'succeeded');
    } finally {
      child.kill('SIGKILL');
      await q.close();
      store.close();
    }
  });

  it('the CPU is not locked across processes', async () => {
    const { child } = await holder('cpu');
    try {
      assert.equal(deviceBusy('cpu'), false);
      let ran = false;
      await holdDevice('cpu', {}, async () => void (ran = true));
      assert.equal(ran, true);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
