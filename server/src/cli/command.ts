/**
 * The contract between the `loophole` CLI's dispatcher and its sub-commands. Each sub-command lives in
 * `commands/<name>.ts`, exports one `CliCommand` made with `defineCommand`, and is listed in
 * `commands/index.ts`. Commands translate arguments into service calls (`../service`); what goes wrong
 * is mapped once, in `errors.ts`.
 */
import type { Writable } from 'node:stream';
import type { ProgressBar } from './progress';
import { asUsageError } from './errors';

export { UsageError } from './errors';

export interface CliContext {
  readonly stdout: Writable;
  readonly stderr: Writable;
  readonly cwd: string;
  /** Aborted on SIGINT/SIGTERM; long work must stop at the next item and leave the store consistent. */
  readonly signal: AbortSignal;
  /** A progress bar on stderr (silent when stderr is not a terminal, except for a final line). */
  progress(label: string, total?: number): ProgressBar;
}

export interface CliCommand {
  readonly name: string;
  /** One line for `loophole --help`. */
  readonly summary: string;
  /** The full usage text for `loophole <name> --help`. */
  readonly usage: string;
  /** Returns the process exit code: 0 success, 1 the work failed, 2 bad usage or bad input. */
  run(args: string[], ctx: CliContext): Promise<number>;
}

/**
 * A sub-command whose `run` reports the service's input failures as `UsageError`s (the CLI's one error
 * mapping, `errors.ts`), so that every command speaks the same way whoever calls it.
 */
export function defineCommand(c: CliCommand): CliCommand {
  return {
    ...c,
    async run(args, ctx) {
      try {
        return await c.run(args, ctx);
      } catch (e) {
        throw asUsageError(e);
      }
    },
  };
}
