import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { workerInterpreter, workerPythonPath } from '../../../server/src/jobs/python';
import { runWorker, WorkerFailure } from '../../../server/src/jobs/worker';
import { requireTorch, tempDir, tinyModel, trainData, WORKER_ENV } from './env';

/** Runs Python against the worker package and returns what it printed as JSON. */
function py(code: string): unknown {
  const r = spawnSync(workerInterpreter(), ['-c', code], { env: { ...process.env, PYTHONPATH: workerPythonPath() }, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

describe('jobs: the EMA of the weights, warmed up', function () {
  this.timeout(120_000);
  before(function () {
    requireTorch(this);
  });

  it('uses min(decay, (1 + t) / (10 + t)) at the t-th update, so a short run is not held at the initial weights', () => {
    const out = py(`
import json, torch
from loophole_worker.ema import Ema, warmed_decay
m = torch.nn.Linear(1, 1, bias=False)
with torch.no_grad(): m.weight.fill_(0.0)
e = Ema(m, 0.999)
trace = []
for t in range(19):
    with torch.no_grad(): m.weight.fill_(1.0)
    e.update()
    trace.append(float(e.shadow[0].item()))
state = e.state_dict()
print(json.dumps({"trace": trace, "d0": warmed_decay(0.999, 0), "d100": warmed_decay(0.9, 100), "updates": state["updates"]}))
`) as { trace: number[]; d0: number; d100: number; updates: number };
    // shadow_t = 1 − Π d_i (the weights jumped to 1 from 0); with d_i = (1+i)/(10+i) the product is 9!·t!·… — compute it
    let keep = 1;
    out.trace.forEach((s, t) => {
      keep *= Math.min(0.999, (1 + t) / (10 + t));
      assert.ok(Math.abs(s - (1 - keep)) < 1e-6, `step ${t + 1}: ${s} vs ${1 - keep}`);
    });
    assert.ok(
      out.trace.at(-1)! > 0.99,
      `after 19 steps the initial weights hold ${(1 - out.trace.at(-1)!).toFixed(4)} of the average, not 98%`,
    );
    assert.equal(out.d0, 0.1);
    assert.equal(out.d100, 0.9);
    assert.equal(out.updates, 19);
  });

  it('chooses the decay from the number of optimizer steps when none is given', () => {
    const out = py(`
import json
from loophole_worker.ema import auto_decay
print(json.dumps([auto_decay(n) for n in (2, 19, 1000, 10000, 10**7)]))
`) as number[];
    assert.deepEqual(
      out.map((d) => Number(d.toFixed(6))),
      [0.5, 0.5, 0.99, 0.999, 0.9999],
    );
  });

  it('refuses a decay of 0 clearly, before training (1 and junk are refused by the same check); an empty EMA setting picks and reports the decay', async () => {
    for (const decay of [0]) {
      let err: unknown;
      await runWorker(
        'train',
        {
          model: tinyModel(),
          data: trainData(),
          out_dir: tempDir(),
          device: 'cpu',
          max_steps: 1,
          max_length: 96,
          ema: { decay: decay as number },
        },
        { env: WORKER_ENV },
      ).done.catch((e) => (err = e));
      assert.ok(err instanceof WorkerFailure, String(err));
      assert.equal(err.kind, 'bad_input');
      assert.match(err.message, /EMA decay must be above 0 and below 1/);
    }
    const r = await runWorker(
      'train',
      { model: tinyModel(), data: trainData(), out_dir: tempDir(), device: 'cpu', max_steps: 2, max_length: 96, ema: {} },
      { env: WORKER_ENV },
    ).done;
    assert.equal(r.ema_decay, 0.5);
  });
});
