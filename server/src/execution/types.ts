/**
 * The public shape of sandboxed execution: limits applied to every test process, per-run options, and
 * the raw-call API other code builds on.
 *
 * Candidate code is untrusted; it only ever runs in the forked, limited Python processes these describe.
 * It never sees what a test expects: a function test `assert f(2, 3) == 5` is split (by the oracle, a
 * Python process outside the sandbox that never runs candidate code) into the *call* `f(2, 3)`, which the
 * candidate's process evaluates and answers with a data-only serialised value, and the *check* `… == 5`,
 * which the oracle makes. Stdio programs get their input on stdin and answer with their stdout, which the
 * server compares. A test's set-up statements run in the candidate's process in their place between the
 * calls; a plain assignment (`expected = [1, 2]`) is evaluated by the oracle and sent along only when a
 * call uses the name. Calls reach the sandbox without test ids or roles, in a shuffled order, and
 * identical calls run once. A test that cannot be split (a loop, a helper, an expected value that needs the
 * candidate) runs whole in the test process; its result says so (`TestResult.inProcess`).
 *
 * ## Running extra inputs (`SandboxPool.runCalls`)
 *
 * ```ts
 * const raw = await pool.runCalls('function', code, [{ kind: 'call', exprs: ['add(2, 3)', 'add(3, 2)'] }]);
 * // raw[0].status === 'ok', raw[0].values === ['5', '5'] (Python literals, data only)
 * const same = await pool.sameValues([[raw[0].values![0]!, raw[0].values![1]!]]); // [true]: Python ==
 * const out = await pool.runCalls('stdio', program, [{ kind: 'stdin', input: '3 4\n' }]);
 * // out[0].stdout === '7\n'
 * ```
 * Each call runs in its own fresh process under the pool's isolation and limits; nothing is compared.
 * `values` are written by `loophole_sandbox/serial.py`: Python literal syntax over None, bool, int,
 * float (`float('nan')`), complex, str, bytes, list, tuple, dict, set, frozenset, Fraction, Decimal. They
 * come from the candidate's process, so treat them as claims: `sameValues` reads them without evaluating
 * anything. `tampering` lists what the supervisor saw of a candidate working against the harness.
 */
import type { BoundaryHit, PromptFile } from '../../../contract/domain';
import type { IsolationMode } from '../../../contract/settings';

/** How candidate code is isolated, as asked for. Each name says what it guarantees:
 *  - `auto`: the strongest that works here: `bwrap`, else `namespaces`; if neither works, the pool does
 *    not start (`IsolationUnavailableError`) and analysis runs static-only. Never silently `none`.
 *  - `bwrap`: bubblewrap: a fresh mount, PID, network, IPC and UTS namespace; only the system, the Python
 *    install and the sandbox package visible, read-only; a size-capped private /tmp and /dev/shm.
 *  - `namespaces`: the same guarantees built without bubblewrap: `unshare` (PID, network, mount, IPC, UTS
 *    namespaces; a user namespace when not root) and a pivot into a root made of read-only bind mounts.
 *  - `none`: a plain child process with rlimits, a uid drop when root, and an audit-hook guard that ctypes
 *    or `_posixsubprocess` go around. Not a security boundary: host files, the network, other processes
 *    and the data folder are in reach. Only by explicit choice; every run warns. */
export type IsolationSetting = IsolationMode;

/** What a pool actually uses (decided once, when it starts). */
export type Isolation = 'bwrap' | 'namespaces' | 'none';

export interface SandboxLimits {
  /** Per test, wall clock, from fork to result (default 5000). CPU time is capped at this rounded up + 1 s. */
  readonly timeoutMs: number;
  /** Address-space cap (RLIMIT_AS) per test process (default 512). */
  readonly memoryMb: number;
  /** Cap on captured stdout+stderr per test (default 64 KiB); more ends the test as an `error` saying so. */
  readonly outputBytes: number;
  readonly isolation: IsolationSetting;
}

export const DEFAULT_LIMITS: SandboxLimits = {
  timeoutMs: 5000,
  memoryMb: 512,
  outputBytes: 64 * 1024,
  isolation: 'auto',
};

export interface RunOptions {
  /** Record the candidate lines each test executes (`TestResult.lines`); costs a tracer per test. */
  readonly coverage?: boolean;
  /** Aborting kills the candidate's in-flight tests and rejects with an `AbortError`. */
  readonly signal?: AbortSignal;
  /** Files each call finds, freshly copied, in its working directory (`runCandidate` takes the
   *  problem's own `files` when this is not given). */
  readonly files?: readonly PromptFile[];
}

export interface SandboxPoolOptions {
  /** Worker processes (default `os.cpus().length`). Each runs one test at a time. */
  readonly size?: number;
  /** The Python 3 interpreter (default `python3`); resolved once to its real executable. */
  readonly python?: string;
  readonly limits?: Partial<SandboxLimits>;
  /** Where the pool reports how it isolates (and why it fell back). Default: one line on stderr. */
  readonly log?: (message: string) => void;
  /** Default true. When the server runs as root, test processes switch to `nobody` so rlimits hold and
   *  they cannot signal or write to the worker. `false` only exists to exercise worker-restart paths. */
  readonly dropPrivileges?: boolean;
}

/** One extra input for `SandboxPool.runCalls`. */
export type RawCall =
  /** Function style: the candidate module runs, then each expression is evaluated in its namespace, in
   *  order, in the same process (so `exprs: ['push(1)', 'pop()']` sees state). */
  | { readonly kind: 'call'; readonly exprs: readonly string[] }
  /** Stdio style: the program runs with `input` on stdin. */
  | { readonly kind: 'stdin'; readonly input: string };

export interface RawCallResult {
  /** `ok`: every expression returned (`values`), or the program ended with status 0 (`stdout`).
   *  `raised`: an exception (`message`; `values` holds those evaluated before it). `error`: the process
   *  died, exited, overran a cap, or its result could not be read or serialised (`message`).
   *  `timeout`: the time limit. */
  readonly status: 'ok' | 'raised' | 'error' | 'timeout';
  /** Serialised values, one per expression evaluated (see the module comment). */
  readonly values?: readonly string[];
  /** A stdio program's stdout. */
  readonly stdout?: string;
  readonly message?: string;
  /** What the supervisor saw of the candidate working against the harness (a forged or duplicated result
   *  channel, output after the result, a result type with its own `__eq__`). */
  readonly tampering?: readonly string[];
  readonly durationMs: number;
  /** As `TestResult.lines` / `segments` / `bounds`, when coverage was asked for. */
  readonly lines?: readonly number[];
  readonly segments?: readonly string[];
  readonly bounds?: readonly BoundaryHit[];
}

/** Thrown by `new SandboxPool` under `auto` (or `bwrap` / `namespaces`) when no isolation works here: the
 *  caller runs static-only and says so. */
export class IsolationUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IsolationUnavailableError';
  }
}
