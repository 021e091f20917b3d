import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureWorkerPackages, missingWorkerModules } from '../../../server/src/jobs/packages';

describe('worker packages, installed by the first job that needs them', function () {
  this.timeout(60_000);
  let dir: string;
  let bare: string;
  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'loophole-venv-'));
    // A real interpreter without the training stack: a fresh virtual environment.
    execFileSync('python3', ['-m', 'venv', '--without-pip', path.join(dir, 'venv')]);
    bare = path.join(dir, 'venv', 'bin', 'python');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('finds what an interpreter lacks without importing it', async () => {
    const missing = await missingWorkerModules(bare);
    assert.ok(missing?.includes('torch') && missing.includes('peft'), String(missing));
    assert.equal(await missingWorkerModules(path.join(dir, 'no-python')), undefined);
  });

  it('with the install turned off, says what is missing and the pip command to run', async () => {
    const lines: [string, string][] = [];
    const before = process.env.LOOPHOLE_AUTO_INSTALL;
    process.env.LOOPHOLE_AUTO_INSTALL = '0';
    try {
      await ensureWorkerPackages({ python: bare, log: (level, message) => lines.push([level, message]) });
    } finally {
      if (before === undefined) delete process.env.LOOPHOLE_AUTO_INSTALL;
      else process.env.LOOPHOLE_AUTO_INSTALL = before;
    }
    assert.equal(lines.length, 1);
    assert.equal(lines[0]![0], 'warn');
    assert.match(
      lines[0]![1],
      /lacks torch.*install them with: .*venv\/bin\/python -m pip install --disable-pip-version-check -r .*requirements-worker\.txt$/,
    );
  });
});
