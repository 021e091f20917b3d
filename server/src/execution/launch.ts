/**
 * How a sandbox worker process is started: which Python, where the worker script is, and the bubblewrap
 * command line around it. Decided once per (python, isolation, privileges) and cached: the probe costs
 * a couple of process starts.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, lstatSync, readlinkSync, realpathSync } from 'node:fs';
import path from 'node:path';
import type { Isolation, SandboxLimits } from './types';
import type { WorkerProbe } from './protocol';

export interface PythonInstall {
  /** The real interpreter (a pyenv shim or venv link resolved). */
  readonly executable: string;
  /** Directories the interpreter needs to read: its prefixes. */
  readonly roots: readonly string[];
}

export interface LaunchPlan {
  readonly isolation: Isolation;
  /** Why isolation is what it is, for the log. */
  readonly reason: string;
  readonly command: string;
  readonly args: readonly string[];
}

/** Where `loophole_sandbox/` is: beside the bundle in `dist/python/`, or in the source tree. */
export function sandboxPackageDir(): string {
  const candidates = [
    path.join(__dirname, 'python', 'loophole_sandbox'),
    path.join(__dirname, '..', 'python', 'loophole_sandbox'),
    path.join(__dirname, '..', '..', 'python', 'loophole_sandbox'),
  ];
  const found = candidates.find((d) => existsSync(path.join(d, 'worker.py')));
  if (!found) throw new Error(`sandbox worker not found (looked in ${candidates.join(', ')})`);
  return found;
}

const pythonCache = new Map<string, PythonInstall>();

export function resolvePython(python: string): PythonInstall {
  const cached = pythonCache.get(python);
  if (cached) return cached;
  const script = 'import sys, json; print(json.dumps([sys.executable, sys.prefix, sys.base_prefix, list(sys.version_info[:2])]))';
  const r = spawnSync(python, ['-I', '-S', '-c', script], { encoding: 'utf8', timeout: 30_000 });
  if (r.status !== 0 || !r.stdout) {
    throw new Error(`cannot run Python '${python}': ${r.error?.message ?? r.stderr?.trim() ?? `exit ${r.status}`}`);
  }
  const [exe, prefix, basePrefix, version] = JSON.parse(r.stdout.trim().split('\n').pop()!) as [string, string, string, number[]];
  if (version[0] !== 3 || (version[1] ?? 0) < 9) throw new Error(`Python ${version.join('.')} is too old; the sandbox needs 3.9+`);
  const executable = realpathSync(exe);
  const roots = [...new Set([prefix, basePrefix, path.dirname(path.dirname(executable))].map((p) => realpathSync(p)))];
  const install = { executable, roots };
  pythonCache.set(python, install);
  return install;
}

// -I: ignore PYTHON* variables and the user site. -S: no .pth side effects (worker.py puts site-packages
// back on sys.path, so candidates that need numpy and the like still import them).
const WORKER_FLAGS = ['-I', '-S', '-B'];
const TMPFS_BYTES = 256 * 1024 * 1024;
const SANDBOX_DIR = '/opt/loophole/loophole_sandbox';

/** Top-level system directories bound read-only (or recreated as the same symlink) inside bwrap. */
const SYSTEM_DIRS = ['/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32', '/etc'];

/** The bubblewrap arguments that run `worker.py` with no network, a private /tmp and /proc, the system
 *  and the Python install read-only, and nothing else of the host (no home, no workspace). */
export function bwrapArgs(py: PythonInstall, pkgDir: string, asRoot: boolean, tmpfsSize = false): string[] {
  const args = [
    // Not --unshare-user: as root a user namespace would leave `nobody` unmapped and the uid drop impossible.
    ...(asRoot ? ['--unshare-ipc', '--unshare-pid', '--unshare-net', '--unshare-uts', '--unshare-cgroup-try'] : ['--unshare-all']),
    '--die-with-parent', '--new-session',
  ];
  const bound: string[] = [];
  for (const dir of SYSTEM_DIRS) {
    if (!existsSync(dir)) continue;
    const st = lstatSync(dir);
    if (st.isSymbolicLink()) args.push('--symlink', readlinkSync(dir), dir);
    else if (st.isDirectory()) { args.push('--ro-bind', dir, dir); bound.push(dir); }
  }
  const made = new Set<string>();
  for (const root of py.roots) {
    if (bound.some((b) => root === b || root.startsWith(b + '/'))) continue;
    // Parents of the install are created traversable (a bind under /root would otherwise be unreachable).
    const parts = root.split('/').filter(Boolean);
    for (let i = 1; i < parts.length; i++) {
      const dir = '/' + parts.slice(0, i).join('/');
      if (made.has(dir) || bound.includes(dir)) continue;
      made.add(dir);
      args.push('--perms', '0755', '--dir', dir);
    }
    args.push('--ro-bind', root, root);
    bound.push(root);
  }
  args.push('--ro-bind', pkgDir, SANDBOX_DIR, '--proc', '/proc', '--dev', '/dev');
  // Test working directories live on this tmpfs; its size bounds what files can take of the host's memory.
  if (tmpfsSize) args.push('--size', String(TMPFS_BYTES));
  args.push('--tmpfs', '/tmp', '--chdir', '/tmp');
  if (asRoot) {
    args.push('--cap-drop', 'ALL');
    for (const cap of ['CAP_SETUID', 'CAP_SETGID', 'CAP_KILL', 'CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_FOWNER']) args.push('--cap-add', cap);
  }
  args.push(py.executable, ...WORKER_FLAGS, `${SANDBOX_DIR}/worker.py`, '--tmp', '/tmp');
  return args;
}

/** The environment a worker starts with: nothing of the server's. */
export function workerEnv(): NodeJS.ProcessEnv {
  return { PATH: '/usr/bin:/bin', LANG: 'C.UTF-8', PYTHONDONTWRITEBYTECODE: '1' };
}

function noneTmp(): string | undefined {
  try {
    accessSync('/dev/shm', constants.W_OK); // a tmpfs keeps per-test directories cheap
    return '/dev/shm';
  } catch {
    return undefined; // the system temporary directory
  }
}

const planCache = new Map<string, LaunchPlan>();

/** Decides how workers start. For `auto` and `bwrap`, runs `worker.py --probe` inside bubblewrap once.
 *  Under `auto` a failure falls back to `none` with the reason; under `bwrap` it throws, since plain
 *  processes are not what was asked for. Throws too when the Python cannot be run. */
export function planLaunch(python: string, isolation: SandboxLimits['isolation'], dropPrivileges: boolean): LaunchPlan {
  const key = JSON.stringify([python, isolation, dropPrivileges]);
  const cached = planCache.get(key);
  if (cached) return cached;
  const py = resolvePython(python);
  const pkgDir = sandboxPackageDir();
  const asRoot = process.getuid?.() === 0;
  const extra = dropPrivileges ? [] : ['--keep-root'];
  const tmp = noneTmp();
  const none = (reason: string): LaunchPlan => ({
    isolation: 'none', reason, command: py.executable,
    args: [...WORKER_FLAGS, path.join(pkgDir, 'worker.py'), '--guard', ...(tmp ? ['--tmp', tmp] : []), ...extra],
  });
  let plan: LaunchPlan;
  if (isolation === 'none' || (isolation as string) === 'process') {
    plan = none('isolation "none" was asked for');
  } else if (process.platform !== 'linux') {
    plan = none(`bubblewrap needs Linux (this is ${process.platform})`);
  } else {
    const args = [...bwrapArgs(py, pkgDir, asRoot, bwrapHas('--size')), ...extra];
    const failure = probe('bwrap', args);
    if (failure !== undefined && isolation === 'bwrap') {
      throw new Error(`isolation "bwrap" was asked for, but bubblewrap is not usable here: ${failure}`);
    }
    plan = failure === undefined
      ? { isolation: 'bwrap', reason: 'bubblewrap works here', command: 'bwrap', args }
      : none(`bubblewrap is not usable here (${failure}); falling back to rlimits, a uid drop and an audit-hook guard`);
  }
  planCache.set(key, plan);
  return plan;
}

/** Whether this bubblewrap knows an option (older ones lack `--size`). */
function bwrapHas(option: string): boolean {
  const r = spawnSync('bwrap', ['--help'], { encoding: 'utf8', timeout: 10_000 });
  return `${r.stdout ?? ''}${r.stderr ?? ''}`.includes(option);
}

/** Undefined when a probe worker started, forked a test process and dropped privileges; else why not. */
function probe(command: string, args: readonly string[]): string | undefined {
  const r = spawnSync(command, [...args, '--probe'], { encoding: 'utf8', timeout: 30_000, env: workerEnv() });
  if (r.error) return (r.error as NodeJS.ErrnoException).code === 'ENOENT' ? `${command} is not installed` : r.error.message;
  const line = r.stdout?.trim().split('\n').pop();
  try {
    const res = JSON.parse(line ?? '') as WorkerProbe;
    if (res.ok) return undefined;
    return `probe test ${res.result?.outcome ?? 'failed'}: ${res.result?.message ?? ''}`.trim();
  } catch {
    return (r.stderr?.trim().split('\n').pop() ?? `exit ${r.status}`).slice(0, 300);
  }
}
