/**
 * Whether the client restarts a language server whose connection closed. Pure (no `vscode`), so the
 * policy is unit-tested on its own and fed with the exit statuses the real server produces.
 *
 * - The client stopped it (`stopping`): never restart.
 * - It exited with code 0: it did so on purpose (`shutdown` + `exit`, see `server/src/lsp/main.ts`):
 *   never restart.
 * - Anything else (a signal, a non-zero code, or no exit status at all) is a crash: restart, unless
 *   more than `maxCrashes` crashes fell within the last `windowMs`, when restarting again would only
 *   loop; the reviewer restarts it by hand then.
 */

/** How a server process ended, as Node's `exit` event reports it; undefined when it was not seen. */
export interface ExitStatus {
  readonly code: number | null;
  readonly signal: string | null;
}

export interface RestartInput {
  /** The client asked the server to stop (a restart command, deactivation). */
  readonly stopping: boolean;
  readonly exit: ExitStatus | undefined;
  /** When the earlier crashes happened (ms since the epoch), oldest first. */
  readonly crashes: readonly number[];
  readonly now: number;
  readonly maxCrashes?: number;
  readonly windowMs?: number;
}

export type RestartReason = 'stopped-by-client' | 'exited-on-purpose' | 'crashed' | 'too-many-crashes';

export interface RestartDecision {
  readonly restart: boolean;
  readonly reason: RestartReason;
  /** The crash times to remember for the next decision (this one included when it was a crash). */
  readonly crashes: readonly number[];
}

export const DefaultMaxCrashes = 4;
export const DefaultCrashWindowMs = 3 * 60_000;

export function decideRestart(input: RestartInput): RestartDecision {
  const max = input.maxCrashes ?? DefaultMaxCrashes;
  const windowMs = input.windowMs ?? DefaultCrashWindowMs;
  if (input.stopping) return { restart: false, reason: 'stopped-by-client', crashes: input.crashes };
  if (input.exit && input.exit.code === 0 && input.exit.signal === null) {
    return { restart: false, reason: 'exited-on-purpose', crashes: input.crashes };
  }
  const crashes = [...input.crashes.filter((t) => input.now - t < windowMs), input.now];
  if (crashes.length > max) return { restart: false, reason: 'too-many-crashes', crashes };
  return { restart: true, reason: 'crashed', crashes };
}

/** The exit status in words, for the log and the status item. */
export function describeExit(exit: ExitStatus | undefined): string {
  if (!exit) return 'no exit status';
  return exit.signal ? `signal ${exit.signal}` : `exit code ${exit.code}`;
}
