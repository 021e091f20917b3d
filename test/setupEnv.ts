/**
 * Loaded before every mocha suite (package.json `mocha.require`):
 * - every temporary folder of the run (the tests', the sandbox's, the spawned CLIs' and editors') goes
 *   under one folder of this run's own, removed when the run ends, so a run leaves nothing in /tmp;
 * - GPU locks across processes go there too, so the tests (which use `cuda:N` as device names without
 *   a GPU) never wait for, nor block, a real Loophole job on this machine.
 * Child processes the tests spawn inherit both through the environment.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

if (!process.env.LOOPHOLE_TEST_TMP) {
  const root = mkdtempSync(path.join(os.tmpdir(), 'loophole-test-'));
  process.env.LOOPHOLE_TEST_TMP = root;
  process.env.TMPDIR = root;
  process.env.LOOPHOLE_DEVICE_LOCKS = path.join(root, 'device-locks');
  process.once('exit', () => rmSync(root, { recursive: true, force: true }));
}
