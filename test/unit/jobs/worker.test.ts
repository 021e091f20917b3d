import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { runWorker, WorkerFailure } from '../../../server/src/jobs/worker';
import type { MetricMessage, WorkerMessage, WorkerSample } from '../../../server/src/jobs/workerProtocol';
import { requireTorch, tempDir, tinyModel, trainData, WORKER_ENV } from './env';

const opts = { env: WORKER_ENV };

async function failure(p: Promise<unknown>): Promise<WorkerFailure> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof WorkerFailure, `expected a WorkerFailure, got ${String(e)}`);
    return e;
  }
  assert.fail('expected the worker to fail');
}

describe('jobs: Python worker over the JSON-lines protocol', function () {
  before(function () {
    requireTorch(this);
  });

  it('says hello first, then probes the devices (the CPU at least) and package versions', async () => {
    const seen: WorkerMessage[] = [];
    const r = await runWorker('probe', {}, { ...opts, onMessage: (m) => seen.push(m) }).done;
    assert.equal(seen[0]?.type, 'hello');
    assert.ok(r.devices.some((d) => d.id === 'cpu'));
    assert.ok(r.packages.torch && r.packages.transformers && r.packages.peft);
    assert.deepEqual(r.missing, []);
  });

  it('reports a missing model folder as bad input, with what to pass instead', async () => {
    const f = await failure(
      runWorker(
        'generate',
        { model: '/nonexistent/model', prompts: [{ id: 'p', messages: [{ role: 'user', content: 'hi' }] }], out_dir: tempDir() },
        opts,
      ).done,
    );
    assert.equal(f.kind, 'bad_input');
    assert.match(f.message, /model not found: \/nonexistent\/model/);
    assert.match(f.suggestion ?? '', /config\.json/);
  });

  it('reports a missing Python package with the pip command that installs it', async () => {
    const f = await failure(
      runWorker('train', { model: tinyModel(), data: trainData(), out_dir: tempDir(), debug_hide_packages: ['peft'] }, opts).done,
    );
    assert.equal(f.kind, 'missing_package');
    assert.match(f.message, /'peft' is not installed/);
    assert.match(f.suggestion ?? '', /pip install peft/);
    assert.match(f.suggestion ?? '', /requirements-worker\.txt/);
  });

  it('says clearly when CUDA is asked for on a machine without it', async function () {
    const probe = await runWorker('probe', {}, opts).done;
    if (probe.devices.some((d) => d.id.startsWith('cuda'))) this.skip();
    const f = await failure(
      runWorker('train', { model: tinyModel(), data: trainData(), out_dir: tempDir(), device: 'cuda:0', max_steps: 1 }, opts).done,
    );
    assert.equal(f.kind, 'no_cuda');
    assert.match(f.suggestion ?? '', /set device to cpu/);
  });

  it('trains LoRA with EMA: metrics per step, checkpoints, both adapters, over-long and bad rows counted', async () => {
    const out = tempDir();
    const metrics: MetricMessage[] = [];
    const r = await runWorker(
      'train',
      {
        model: tinyModel(),
        data: trainData(),
        out_dir: out,
        device: 'cpu',
        max_steps: 3,
        epochs: 3,
        batch_size: 2,
        grad_accum: 1,
        lr: 1e-3,
        max_length: 96,
        overlong: 'drop',
        checkpoint_every: 2,
        keep_checkpoints: 5,
        ema: { decay: 0.9 },
      },
      { ...opts, onMessage: (m) => m.type === 'metric' && metrics.push(m) },
    ).done;
    assert.equal(r.status, 'completed');
    assert.equal(r.step, 3);
    assert.deepEqual(r.rows, { rows: 7, used: 5, truncated: 0, dropped_overlong: 1, bad: 1 });
    assert.deepEqual(
      metrics.map((m) => m.step),
      [1, 2, 3],
    );
    for (const m of metrics) assert.ok(Number.isFinite(m.loss) && m.tokens_per_s > 0 && m.lr > 0);
    assert.deepEqual(readdirSync(path.join(out, 'checkpoints')).sort(), ['step-0000002', 'step-0000003']);
    assert.ok(existsSync(path.join(r.adapter!, 'adapter_model.safetensors')));
    assert.ok(existsSync(path.join(r.ema_adapter!, 'adapter_model.safetensors')));
    assert.ok(Number.isFinite(r.eval_loss?.raw) && Number.isFinite(r.eval_loss?.ema));
    // the EMA lags the raw weights, so the two adapters differ
    assert.notDeepEqual(
      readFileSync(path.join(r.adapter!, 'adapter_model.safetensors')),
      readFileSync(path.join(r.ema_adapter!, 'adapter_model.safetensors')),
    );
  });

  it('truncates over-long rows when asked, and counts them', async () => {
    const r = await runWorker(
      'train',
      { model: tinyModel(), data: trainData(), out_dir: tempDir(), device: 'cpu', max_steps: 1, max_length: 96, overlong: 'truncate' },
      opts,
    ).done;
    assert.equal(r.rows.truncated, 1);
    assert.equal(r.rows.dropped_overlong, 0);
    assert.equal(r.rows.used, 6);
  });

  it('stops on a NaN loss with a clear message, keeping the last good checkpoint as the newest', async () => {
    const out = tempDir();
    const f = await failure(
      runWorker(
        'train',
        {
          model: tinyModel(),
          data: trainData(),
          out_dir: out,
          device: 'cpu',
          max_steps: 5,
          batch_size: 2,
          grad_accum: 1,
          checkpoint_every: 1,
          max_length: 96,
          debug_nan_at_step: 3,
        },
        opts,
      ).done,
    );
    assert.equal(f.kind, 'nan_loss');
    assert.match(f.message, /step 3/);
    assert.match(f.message, /step-0000002/);
    assert.match(f.suggestion ?? '', /learning rate/);
    assert.deepEqual(readdirSync(path.join(out, 'checkpoints')).sort(), ['step-0000001', 'step-0000002']);
  });

  it('generates n samples per prompt into samples.jsonl, reproducibly for a seed', async () => {
    const run = async () => {
      const out = tempDir();
      const r = await runWorker(
        'generate',
        {
          model: tinyModel(),
          prompts: [
            { id: 'a', messages: [{ role: 'user', content: 'Write add.' }], meta: { problemId: 'add' } },
            { id: 'b', messages: [{ role: 'user', content: 'Write mul.' }] },
          ],
          n: 3,
          temperature: 0.8,
          max_new_tokens: 8,
          seed: 7,
          out_dir: out,
          device: 'cpu',
        },
        opts,
      ).done;
      return {
        r,
        rows: readFileSync(r.samples, 'utf8')
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l) as WorkerSample),
      };
    };
    const first = await run();
    assert.equal(first.r.count, 6);
    assert.deepEqual(
      first.rows.map((s) => `${s.prompt_id}${s.sample_index}`),
      ['a0', 'a1', 'a2', 'b0', 'b1', 'b2'],
    );
    assert.deepEqual(first.rows[0]!.meta, { problemId: 'add' });
    assert.ok(first.rows.every((s) => s.tokens > 0 && s.tokens <= 8));
    const again = await run();
    assert.deepEqual(
      again.rows.map((s) => s.completion),
      first.rows.map((s) => s.completion),
    );
  });
});
