/**
 * The public shape of sandboxed execution: limits applied to every test process, and per-run options.
 * Candidate code is untrusted; it only ever runs in the forked, limited Python processes these describe.
 */

export interface SandboxLimits {
  /** Per test, wall clock, from fork to result (default 5000). CPU time is capped at this rounded up + 1 s. */
  readonly timeoutMs: number;
  /** Address-space cap (RLIMIT_AS) per test process (default 512). */
  readonly memoryMb: number;
  /** Cap on captured stdout+stderr per test (default 64 KiB); more ends the test as an `error` saying so. */
  readonly outputBytes: number;
  /** `auto`: bubblewrap when it works here, else `none` (logged). `bwrap`: bubblewrap or an error. `none` still forks per test with rlimits, a uid
   *  drop (when root), a throw-away directory and an audit-hook guard against writes and sockets, but
   *  without a mount or network namespace that guard is not a security boundary. */
  readonly isolation: 'auto' | 'bwrap' | 'none';
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

/** What the pool actually uses (decided once, when it starts). */
export type Isolation = 'bwrap' | 'none';
