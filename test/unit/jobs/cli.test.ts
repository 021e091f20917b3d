import assert from 'node:assert/strict';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import type { CliContext } from '../../../server/src/cli/command';
import { jobsCommand } from '../../../server/src/cli/commands/jobs';
import { trainCommand } from '../../../server/src/cli/commands/train';
import { createJobQueue } from '../../../server/src/jobs';
import type { JobEvent } from '../../../contract/jobs';
import { fixtureStore, requireTorch, tinyModel, trainData, WORKER_ENV } from './env';

function cli(cwd: string) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += d));
  stderr.on('data', (d) => (err += d));
  const ctx: CliContext = {
    stdout,
    stderr,
    cwd,
    signal: new AbortController().signal,
    progress: () => ({ total: () => undefined, update: () => undefined, done: () => undefined }),
  };
  return { ctx, out: () => out, err: () => err };
}

describe('jobs: CLI', function () {
  const saved = process.env.LOOPHOLE_HEARTBEAT_S;
  before(function () {
    requireTorch(this);
    process.env.LOOPHOLE_HEARTBEAT_S = WORKER_ENV.LOOPHOLE_HEARTBEAT_S; // the CLI spawns workers with the process env
  });
  after(() => {
    if (saved === undefined) delete process.env.LOOPHOLE_HEARTBEAT_S;
    else process.env.LOOPHOLE_HEARTBEAT_S = saved;
  });

  it("trains from the command line, then lists, shows and prints the job's metrics and logs", async () => {
    const { dir, store } = await fixtureStore();
    store.close();
    const t = cli(dir);
    const code = await trainCommand.run(
      [
        '--model',
        tinyModel(),
        '--data',
        trainData(),
        '--max-steps',
        '2',
        '--grad-accum',
        '1',
        '--max-length',
        '96',
        '--ema',
        '0.9',
        '--device',
        'cpu',
        '--json',
      ],
      t.ctx,
    );
    assert.equal(code, 0, t.err());
    const job = JSON.parse(t.out()) as {
      id: string;
      status: { state: string; result: { step: number; rows: { dropped_overlong: number; truncated: number } } };
    };
    assert.equal(job.status.state, 'succeeded');
    assert.equal(job.status.result.step, 2);
    assert.equal(job.status.result.rows.truncated, 1);

    const list = cli(dir);
    assert.equal(await jobsCommand.run(['list'], list.ctx), 0);
    assert.match(list.out(), new RegExp(`^${job.id}\\s+train\\s+succeeded\\s+cpu`, 'm'));
    const metrics = cli(dir);
    assert.equal(await jobsCommand.run(['metrics', job.id], metrics.ctx), 0);
    assert.deepEqual(
      metrics
        .out()
        .trim()
        .split('\n')
        .map((l) => l.split('\t')[0]),
      ['step', '1', '2'],
    );
    const logs = cli(dir);
    assert.equal(await jobsCommand.run(['logs', job.id], logs.ctx), 0);
    assert.match(logs.out(), /worker info {2}training rows: 6 used of 7 \(1 truncated/);
    const show = cli(dir);
    assert.equal(await jobsCommand.run(['show', job.id], show.ctx), 0);
    assert.ok((JSON.parse(show.out()) as { artifacts: { kind: string }[] }).artifacts.some((a) => a.kind === 'ema_adapter'));
    const bad = cli(dir);
    await assert.rejects(jobsCommand.run(['resume', job.id], bad.ctx), /only an interrupted, failed or cancelled job can be resumed/);
  });

  it('`jobs cancel` from another process stops a running training job at its next step', async () => {
    const { dir, store } = await fixtureStore();
    try {
      const q = createJobQueue(store, { devices: ['cpu'], worker: { env: WORKER_ENV } });
      const job = q.submit('train', 'long', {
        model: tinyModel(),
        data: trainData(),
        device: 'cpu',
        epochs: 100,
        max_steps: 200,
        batch_size: 2,
        grad_accum: 1,
        max_length: 96,
        checkpoint_every: 1000,
      });
      await new Promise<void>((resolve) => {
        const on = (e: JobEvent) => e.type === 'metric' && e.jobId === job.id && (q.off('event', on), resolve());
        q.on('event', on);
      });
      // `loophole jobs cancel` opens the same store file with its own connection, as another process would
      const c = cli(dir);
      assert.equal(await jobsCommand.run(['cancel', job.id, '--review-set', path.join(dir, 'review.loophole.jsonl')], c.ctx), 0);
      const done = await q.wait(job.id);
      assert.equal(done.status.state, 'cancelled');
      const r = (done.status as { result: { step: number; checkpoint: string } }).result;
      assert.ok(r.step < 200);
      assert.match(r.checkpoint, new RegExp(`step-${String(r.step).padStart(7, '0')}$`));
      await q.close();
    } finally {
      store.close();
    }
  });
});
