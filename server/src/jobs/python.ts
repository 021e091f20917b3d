/**
 * Where the worker's Python package is and which interpreter runs it.
 *
 * `loophole_worker/` sits in `dist/python/` beside the bundle, or in `server/python/` in the source
 * tree. The interpreter is, in order: the caller's choice, `LOOPHOLE_WORKER_PYTHON`, `python3`. It may
 * differ from the sandbox's interpreter: the worker needs torch, candidate code does not.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';

export function workerPythonPath(): string {
  const candidates = [path.join(__dirname, 'python'), path.join(__dirname, '..', 'python'), path.join(__dirname, '..', '..', 'python')];
  for (const dir of candidates) if (existsSync(path.join(dir, 'loophole_worker', '__main__.py'))) return dir;
  throw new Error(`cannot find the Python worker (loophole_worker) near ${__dirname}`);
}

export function workerInterpreter(explicit?: string): string {
  return explicit || process.env.LOOPHOLE_WORKER_PYTHON || 'python3';
}

/** The pip command that installs the worker's packages, for error messages. */
export function pipInstallHint(python?: string): string {
  return `${workerInterpreter(python)} -m pip install -r ${path.join(workerPythonPath(), 'requirements-worker.txt')}`;
}
