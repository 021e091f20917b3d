import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { workerInterpreter, workerPythonPath } from '../../../server/src/jobs/python';
import { FIXTURES, requireTorch, tempDir, tinyModel, trainData } from './env';

describe('jobs: multi-process training (two gloo processes on the CPU)', function () {
  this.timeout(600_000);
  before(function () {
    requireTorch(this);
  });

  it('a rank with no micro-batch left still runs its backward pass, and the loss is one token mean over all ranks', () => {
    // 5 usable rows, one per micro-batch, two ranks: the third step has a micro-batch for rank 0 only.
    const r = spawnSync(workerInterpreter(), [path.join(FIXTURES, 'ddp_check.py'), tinyModel(), trainData(), tempDir('loophole-ddp-')], {
      env: { ...process.env, PYTHONPATH: workerPythonPath() },
      encoding: 'utf8',
      timeout: 540_000,
    });
    assert.equal(
      r.status,
      0,
      `the two processes did not finish together (a rank waiting on the other hangs): ${r.error ?? ''} ${r.stderr.slice(-2000)}`,
    );
    const out = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as {
      ddp_losses: number[];
      one_losses: number[];
      ddp_steps: number;
      one_steps: number;
      max_diff: number;
      scale: number;
      rows: { used: number };
    };
    assert.equal(out.rows.used, 5);
    assert.equal(out.ddp_steps, 3);
    assert.equal(out.one_steps, 3);
    // two ranks × one micro-batch = one process × two accumulated micro-batches: same losses, same weights
    out.ddp_losses.forEach((l, i) => assert.ok(Math.abs(l - out.one_losses[i]!) < 1e-5, `step ${i + 1}: ${l} vs ${out.one_losses[i]}`));
    assert.ok(out.scale > 0);
    assert.ok(out.max_diff <= 1e-5 * out.scale, `adapters differ by ${out.max_diff}`);
  });
});
