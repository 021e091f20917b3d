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
 * An option under its current name, or under an old spelling this command once used for it (with a
 * note on stderr that says the new name and what the old one means elsewhere). Both at once is bad usage.
 */
export function renamedOption(
  values: Readonly<Record<string, unknown>>,
  names: { readonly current: string; readonly old: string; readonly arg: string; readonly why: string },
  command: string,
  ctx: Pick<CliContext, 'stderr'>,
): string | undefined {
  const current = values[names.current] as string | undefined;
  const old = values[names.old] as string | undefined;
  if (old === undefined) return current;
  if (current !== undefined) throw new UsageError(`--${names.old} is the old spelling of --${names.current}; give one`);
  ctx.stderr.write(
    `loophole ${command}: --${names.old} ${names.arg} is deprecated here; use --${names.current} ${names.arg} (${names.why})\n`,
  );
  return old;
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
  const file = renamedOption(
    values,
    { current: 'variants-file', old: 'variants', arg: 'FILE', why: '--variants names a list of variants in generate and eval' },
    command,
    ctx,
  );
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
  return renamedOption(
    values,
    { current: 'review-set', old: 'data', arg: 'DATA', why: '--data names a data file in train and probe' },
    command,
    ctx,
  );
}
