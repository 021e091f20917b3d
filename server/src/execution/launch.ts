/**
 * How a sandbox worker process is started: which Python, where the worker script is, and the bubblewrap
 * command line around it. Decided once per (python, isolation, privileges) and cached: the probe costs
 * a couple of process starts.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, lstatSync, readlinkSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { IsolationUnavailableError, type Isolation, type IsolationSetting } from './types';
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
    '--die-with-parent',
    '--new-session',
  ];
  const bound: string[] = [];
  for (const dir of SYSTEM_DIRS) {
    if (!existsSync(dir)) continue;
    const st = lstatSync(dir);
    if (st.isSymbolicLink()) args.push('--symlink', readlinkSync(dir), dir);
    else if (st.isDirectory()) {
      args.push('--ro-bind', dir, dir);
      bound.push(dir);
    }
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
  // Test working directories live on this tmpfs, and /dev/shm gets one of its own: their sizes bound what
  // files can take of the host's memory (the /dev/shm of `--dev` alone would be unbounded).
  if (tmpfsSize) args.push('--size', String(TMPFS_BYTES));
  args.push('--tmpfs', '/dev/shm');
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

/** The `unshare` command line of isolation `namespaces`: fresh PID, network, mount, IPC and UTS
 *  namespaces (and a user namespace when not root), in which `worker.py --ns-root` pivots into a root made
 *  of read-only bind mounts (see `nsroot.py`). */
export function namespaceArgs(py: PythonInstall, pkgDir: string, asRoot: boolean): string[] {
  const ro: string[] = [];
  const symlinks: [string, string][] = [];
  for (const dir of SYSTEM_DIRS) {
    if (!existsSync(dir)) continue;
    const st = lstatSync(dir);
    if (st.isSymbolicLink()) symlinks.push([readlinkSync(dir), dir]);
    else if (st.isDirectory()) ro.push(dir);
  }
  for (const root of py.roots) if (!ro.some((b) => root === b || root.startsWith(b + '/'))) ro.push(root);
  const spec = { ro, symlinks, pkg: pkgDir, pkgAt: SANDBOX_DIR, tmpBytes: TMPFS_BYTES };
  return [
    ...(asRoot ? [] : ['--user', '--map-root-user']),
    '--pid',
    '--net',
    '--mount',
    '--ipc',
    '--uts',
    '--fork',
    '--kill-child',
    '--',
    py.executable,
    ...WORKER_FLAGS,
    path.join(pkgDir, 'worker.py'),
    '--ns-root',
    JSON.stringify(spec),
    '--tmp',
    '/tmp',
    // As root of a user namespace there is no other uid to drop to.
    ...(asRoot ? [] : ['--keep-root']),
  ];
}

const planCache = new Map<string, LaunchPlan>();

/** Decides how workers start, probing (`worker.py --probe`) each isolation before trusting it.
 *  `auto`: bubblewrap, else namespaces; when neither works it throws `IsolationUnavailableError` (the
 *  caller runs static-only): never a silent fall to `none`. `bwrap` / `namespaces`: that or an error.
 *  `none`: plain processes, by explicit choice only. Throws too when the Python cannot be run. */
export function planLaunch(python: string, isolation: IsolationSetting | 'process', dropPrivileges: boolean): LaunchPlan {
  const key = JSON.stringify([python, isolation, dropPrivileges]);
  const cached = planCache.get(key);
  if (cached) return cached;
  const py = resolvePython(python);
  const pkgDir = sandboxPackageDir();
  const asRoot = process.getuid?.() === 0;
  const extra = dropPrivileges ? [] : ['--keep-root'];
  let plan: LaunchPlan;
  if (isolation === 'none') {
    const tmp = noneTmp();
    plan = {
      isolation: 'none',
      reason: 'isolation "none" was asked for: rlimits, a uid drop and an audit-hook guard only',
      command: py.executable,
      args: [...WORKER_FLAGS, path.join(pkgDir, 'worker.py'), '--guard', ...(tmp ? ['--tmp', tmp] : []), ...extra],
    };
  } else if (isolation === 'process') {
    throw new IsolationUnavailableError(
      'isolation "process" is no longer a mode: it gave no isolation. Use "auto", "bwrap", "namespaces", or "none" to run unisolated on purpose',
    );
  } else if (process.platform !== 'linux') {
    throw new IsolationUnavailableError(
      `no sandbox on ${process.platform}: bubblewrap and namespaces need Linux, so candidate code would run unisolated. Analysis is static-only; choose isolation "none" to execute anyway, unisolated`,
    );
  } else {
    const failures: string[] = [];
    plan = undefined as unknown as LaunchPlan;
    if (isolation === 'auto' || isolation === 'bwrap') {
      const args = [...bwrapArgs(py, pkgDir, asRoot, bwrapHas('--size')), ...extra];
      const failure = probe('bwrap', args);
      if (failure === undefined) plan = { isolation: 'bwrap', reason: 'bubblewrap works here', command: 'bwrap', args };
      else if (isolation === 'bwrap')
        throw new IsolationUnavailableError(`isolation "bwrap" was asked for, but bubblewrap is not usable here: ${failure}`);
      else failures.push(`bubblewrap: ${failure}`);
    }
    if (!plan && (isolation === 'auto' || isolation === 'namespaces')) {
      const args = [...namespaceArgs(py, pkgDir, asRoot), ...extra];
      const failure = probe('unshare', args);
      const why = failures.length ? ` (${failures.join('; ')})` : '';
      if (failure === undefined)
        plan = { isolation: 'namespaces', reason: `namespaces via unshare work here${why}`, command: 'unshare', args };
      else if (isolation === 'namespaces')
        throw new IsolationUnavailableError(`isolation "namespaces" was asked for, but unshare is not usable here: ${failure}`);
      else failures.push(`namespaces: ${failure}`);
    }
    if (!plan) {
      throw new IsolationUnavailableError(
        `no sandbox works here (${failures.join('; ')}). Analysis is static-only; choose isolation "none" to execute unisolated`,
      );
    }
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
