import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { workerInterpreter } from '../../../server/src/jobs/python';
import { requireTorch, tempDir } from './env';

describe('jobs: the GPU measurement script runs on the CPU with --device cpu (tiny models)', function () {
  this.timeout(600_000); // training, generation, judge and activation phases, twice each, on a shared CPU
  before(function () {
    requireTorch(this);
  });

  it('writes every figure with its same-run baseline (speed is read, not asserted)', () => {
    const out = path.join(tempDir(), 'gpu-bench.json');
    const script = path.join(__dirname, '..', '..', 'bench', 'gpu', 'measure.py');
    const r = spawnSync(workerInterpreter(), [script, '--device', 'cpu', '--steps', '3', '--out', out], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const doc = JSON.parse(readFileSync(out, 'utf8')) as { device: string; rows: { name: string; value: number; baseline?: number }[] };
    assert.equal(doc.device, 'cpu');
    assert.deepEqual(
      doc.rows.map((x) => x.name),
      [
        'SFT tokens/s, worker vs plain loop',
        'generation tokens/s, worker vs plain generate()',
        'SFT tokens/s with EMA vs without',
        'EMA overhead',
        'local judge tokens/s vs plain greedy generate()',
        'activation extraction tokens/s (last layer) vs plain forward',
        'activation extraction tokens/s (middle layer) vs plain forward',
      ],
    );
    for (const row of doc.rows)
      assert.ok(Number.isFinite(row.value) && (row.baseline === undefined || row.baseline > 0), JSON.stringify(row));
  });
});
