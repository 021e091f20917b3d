/**
 * The failures the service reports, in words the adapters translate: each adapter (the language
 * server, the CLI) has one mapping from `failureOf` to its own convention (a request error, an exit
 * code). The domain modules keep their own error classes; this is the one place that knows them all.
 *
 * - `notFound`: an id names nothing in the open set (InvalidParams; exit 2)
 * - `badInput`: the input cannot be used as given: a bad variant, mapping, label file, scorer name, job
 *   request, or a review set that is not analysed yet (InvalidParams; exit 2)
 * - `outputExists`: an export would overwrite files (InvalidParams with the path; exit 2)
 * - `unavailable`: the set is not in a state to do it now, e.g. its job queue is closed (InvalidRequest; exit 1)
 * - `cancelled`: the caller cancelled; finished work is kept (RequestCancelled; exit 130)
 * - `failed`: an expected failure outside Loophole, e.g. the Python worker's (InternalError; exit 1, no stack)
 * Anything else is a bug or an I/O failure: logged with its stack (InternalError; exit 1).
 */
import { CurationError, OutputExistsError } from '../curation';
import { JobFailure } from '../jobs/queue';
import { WorkerFailure } from '../jobs/worker';
import { UnknownScorer } from '../report/agreement';
import { ProbeInputError } from '../scoring/probe/train';
import { VerdictInputError } from '../verdicts/transfer';

/** A lookup that found nothing: the language server answers it with InvalidParams, the CLI with exit 2. */
export class NotFound extends Error {
  override readonly name = 'NotFound';
}

/** Input the service cannot use as given; the message says what was expected. */
export class BadInput extends Error {
  override readonly name = 'BadInput';
}

/** The open set cannot do this now (not a bug of the caller's input). */
export class Unavailable extends Error {
  override readonly name = 'Unavailable';
}

/** The caller cancelled; `detail` says what was kept (e.g. "finished analyses are kept"). */
export class Cancelled extends Error {
  override readonly name = 'Cancelled';
  constructor(readonly detail?: string) {
    super(detail ? `cancelled; ${detail}` : 'cancelled');
  }
}

export type Failure =
  | { readonly kind: 'notFound' | 'unavailable' | 'cancelled'; readonly message: string }
  | { readonly kind: 'badInput' | 'failed'; readonly message: string; readonly suggestion?: string }
  | { readonly kind: 'outputExists'; readonly message: string; readonly path: string };

/** What kind of failure `e` is, or undefined for an unexpected error (a bug, an I/O failure). */
export function failureOf(e: unknown): Failure | undefined {
  if (!(e instanceof Error)) return undefined;
  if (e instanceof Cancelled || e.name === 'AbortError') return { kind: 'cancelled', message: e.message };
  if (e instanceof NotFound || e instanceof UnknownScorer) return { kind: 'notFound', message: e.message };
  if (e instanceof OutputExistsError) return { kind: 'outputExists', message: e.message, path: e.target };
  if (
    e instanceof BadInput ||
    e instanceof CurationError ||
    e instanceof JobFailure ||
    e instanceof VerdictInputError ||
    e instanceof ProbeInputError
  )
    return { kind: 'badInput', message: e.message };
  if (e instanceof Unavailable) return { kind: 'unavailable', message: e.message };
  if (e instanceof WorkerFailure && e.kind === 'cancelled') return { kind: 'cancelled', message: e.message };
  if (e instanceof WorkerFailure)
    return {
      kind: e.kind === 'bad_input' ? 'badInput' : 'failed',
      message: e.message,
      ...(e.suggestion ? { suggestion: e.suggestion } : {}),
    };
  return undefined;
}

/** Runs `fn`; once `signal` is aborted, whatever it throws is reported as `Cancelled`. */
export async function cancellable<T>(signal: AbortSignal | undefined, fn: () => T | Promise<T>, detail?: string): Promise<T> {
  try {
    const r = await fn();
    if (signal?.aborted) throw new Cancelled(detail);
    return r;
  } catch (e) {
    if (signal?.aborted && !(e instanceof Cancelled)) throw new Cancelled(detail);
    throw e;
  }
}
