/**
 * The command line's one error mapping: what a command throws becomes a message on stderr and an exit
 * code. Bad usage and the service's input failures (`badInput`, `notFound`, `outputExists`) are a
 * `UsageError`: the message, no stack, exit 2; a cancellation exits 130 ("finished work is stored");
 * an expected outside failure (`failed`, e.g. the Python worker's) is its message and what to do, exit 1;
 * anything else is a bug or an I/O failure: the stack, exit 1.
 */
import { failureOf } from '../service';

/** Thrown for bad usage or bad input; the dispatcher prints the message (no stack) and exits with 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** A service input failure as a `UsageError` (so that a command's `run` rejects with one); else `e`. */
export function asUsageError(e: unknown): unknown {
  if (e instanceof UsageError) return e;
  const f = failureOf(e);
  if (f?.kind === 'badInput' || f?.kind === 'notFound' || f?.kind === 'outputExists')
    return new UsageError('suggestion' in f && f.suggestion ? `${f.message}\n  ${f.suggestion}` : f.message);
  return e;
}

/** Writes what went wrong for `loophole <name>` and returns the exit code. */
export function reportFailure(name: string, err: unknown, cancelled: boolean, stderr: { write(s: string): unknown }): number {
  const e = asUsageError(err);
  if (e instanceof UsageError) {
    stderr.write(`loophole ${name}: ${e.message}\n`);
    return 2;
  }
  const f = failureOf(e);
  if (f?.kind === 'cancelled' || cancelled) {
    stderr.write(`loophole ${name}: cancelled; finished work is stored\n`);
    return 130;
  }
  if (f?.kind === 'failed' || f?.kind === 'unavailable') {
    stderr.write(`loophole ${name}: ${f.message}\n${'suggestion' in f && f.suggestion ? `  ${f.suggestion}\n` : ''}`);
    return 1;
  }
  const x = e as Error;
  stderr.write(`loophole ${name}: ${x?.stack ?? x?.message ?? String(e)}\n`);
  return 1;
}
