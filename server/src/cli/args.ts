/** Argument parsing shared by the sub-commands: `node:util` parseArgs with errors turned into UsageError. */
import path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { CliContext } from './command';
import { UsageError } from './errors';

type Options = NonNullable<ParseArgsConfig['options']>;

export function parse<T extends Options>(
  args: string[],
  options: T,
  positionals = true,
): { values: ReturnType<typeof parseArgs<{ options: T; allowPositionals: true; strict: true }>>['values']; positionals: string[] } {
  try {
    return parseArgs({ args, options, allowPositionals: positionals, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

export function num(value: string | undefined, flag: string, min = -Infinity, max = Infinity): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max) throw new UsageError(`${flag} expects a number between ${min} and ${max}, got '${value}'`);
  return n;
}

export function oneOf<T extends string>(value: string | undefined, flag: string, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`${flag} expects one of ${allowed.join(', ')}, got '${value}'`);
  return value as T;
}

/**
 * `--variants-file FILE`, a file of user-defined prompt variants, in every command that reads one
 * (`--variants LIST` names variants to sample under). `export` and `recontextualize` once spelled it
 * `--variants FILE`; that spelling still works there, with a note on stderr.
 */
export const VARIANTS_FILE_FLAGS = {
  'variants-file': { type: 'string' },
  /** Deprecated spelling of `--variants-file` in `export` and `recontextualize`. */
  variants: { type: 'string' },
} as const;

/** The variants file given (absolute), from `--variants-file` or the deprecated `--variants`. */
export function variantsFileOption(
  values: { 'variants-file'?: string | undefined; variants?: string | undefined },
  command: string,
  ctx: Pick<CliContext, 'cwd' | 'stderr'>,
): string | undefined {
  let file = values['variants-file'];
  if (values.variants !== undefined) {
    if (file !== undefined) throw new UsageError('--variants is the old spelling of --variants-file; give one');
    ctx.stderr.write(
      `loophole ${command}: --variants FILE is deprecated; use --variants-file FILE (--variants names a list of variants in generate and eval)\n`,
    );
    file = values.variants;
  }
  return file === undefined ? undefined : path.resolve(ctx.cwd, file);
}

/**
 * `--review-set DATA`, the review set whose store holds the jobs, where a command takes it as an option
 * (`jobs`, `eval --compare`); `--data FILE` names a data file (`train`, `probe train`). `jobs` and
 * `eval --compare` once spelled it `--data DATA`; that spelling still works there, with a note on stderr.
 */
export const REVIEW_SET_FLAGS = {
  'review-set': { type: 'string' },
  /** Deprecated spelling of `--review-set` in `jobs` and `eval --compare`. */
  data: { type: 'string' },
} as const;

/** The review set given, from `--review-set` or the deprecated `--data` (as written, relative to the cwd). */
export function reviewSetOption(
  values: { 'review-set'?: string | undefined; data?: string | undefined },
  command: string,
  ctx: Pick<CliContext, 'stderr'>,
): string | undefined {
  if (values.data === undefined) return values['review-set'];
  if (values['review-set'] !== undefined) throw new UsageError('--data is the old spelling of --review-set; give one');
  ctx.stderr.write(
    `loophole ${command}: --data DATA is deprecated here; use --review-set DATA (--data names a data file in train and probe)\n`,
  );
  return values.data;
}
