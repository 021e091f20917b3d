/**
 * The worker's Python packages (torch, transformers, peft, accelerate, gguf: `requirements-worker.txt`)
 * are installed by the first job that needs them, not by `npm run sample`: a reviewer who never trains
 * never downloads them. The pip command is logged before it runs, so it can be run by hand instead.
 * `LOOPHOLE_AUTO_INSTALL=0` turns the install off (the job then fails with the same command as its hint).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { workerInterpreter, workerPythonPath } from './python';

const MODULES = ['torch', 'transformers', 'peft', 'accelerate', 'gguf'];
/** Interpreters already found complete (or installed) by this process. */
const ready = new Set<string>();

function run(cmd: string, args: string[], onLine: (l: string) => void, signal?: AbortSignal): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...(signal ? { signal } : {}) });
    createInterface({ input: child.stdout! }).on('line', onLine);
    createInterface({ input: child.stderr! }).on('line', onLine);
    child.on('error', () => resolve(-1));
    child.on('close', (code) => resolve(code ?? -1));
  });
}

/** The modules `python` lacks (found without importing them, which would take seconds for torch). */
export async function missingWorkerModules(python: string): Promise<string[] | undefined> {
  const lines: string[] = [];
  const code = await run(
    python,
    ['-c', `import importlib.util as u; print(",".join(m for m in ${JSON.stringify(MODULES)} if u.find_spec(m) is None))`],
    (l) => lines.push(l),
  );
  if (code !== 0) return undefined;
  return (lines.at(-1) ?? '').split(',').filter(Boolean);
}

/**
 * Installs the worker's packages into `python` when some are missing. Never throws: when the install
 * is off or fails, the worker reports what is missing with the pip command as its hint.
 */
export async function ensureWorkerPackages(opts: {
  python?: string;
  log: (level: 'info' | 'warn' | 'error', message: string) => void;
  signal?: AbortSignal;
}): Promise<void> {
  const python = workerInterpreter(opts.python);
  if (ready.has(python)) return;
  const missing = await missingWorkerModules(python);
  if (missing === undefined) return; // no such interpreter: the worker says so
  if (missing.length === 0) {
    ready.add(python);
    return;
  }
  const requirements = path.join(workerPythonPath(), 'requirements-worker.txt');
  const args = ['-m', 'pip', 'install', '--disable-pip-version-check', '-r', requirements];
  const command = `${python} ${args.join(' ')}`;
  if (process.env.LOOPHOLE_AUTO_INSTALL === '0') {
    opts.log('warn', `the worker's Python lacks ${missing.join(', ')}; install them with: ${command}`);
    return;
  }
  opts.log('info', `first training job: installing the worker's Python packages (${missing.join(', ')}; a few GB): ${command}`);
  const code = await run(python, args, (l) => opts.log('info', `pip: ${l}`), opts.signal);
  if (code === 0) {
    ready.add(python);
    opts.log('info', "the worker's Python packages are installed");
  } else {
    opts.log('error', `installing the worker's Python packages failed (exit code ${code}); run it by hand: ${command}`);
  }
}
