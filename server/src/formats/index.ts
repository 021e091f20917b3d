/**
 * Importing review sets: the one entry point the CLI, the language server and the tests use.
 *
 * `importReviewSet` reads a file, or every `.jsonl`/`.json`/`.eval` file under a folder, as streams
 * (a line, a JSON item or a zip entry at a time), detects each file's format unless one is given,
 * and returns one `ReviewSet` with everything that could not be read as `ImportIssue`s. It throws
 * only for a path that does not exist, an unknown format requested explicitly, or an abort.
 */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { ImportIssue, ReviewSet } from '../../../contract/domain';
import { ReviewSetBuilder } from './builder';
import { chatReader } from './chat';
import { keysOf } from './common';
import { detectFormat } from './detect';
import { inspectReader } from './inspect';
import { readJsonItems } from './jsonStream';
import { readLines } from './lines';
import { loopholeReader } from './loophole';
import { mbppReader } from './mbpp';
import { FORMAT_NAMES, type FormatName, type FormatReader, type ReaderContext, type ReaderFactory } from './reader';
import { stdioReader } from './stdio';
import { ZipReader } from './zip';

export { detectFormat } from './detect';
export { extractCode, type Extracted } from './extract';
export { parseAssert, findAsserts, entryPointOf, splitTopLevel, type ParsedAssert } from './asserts';
export { extractPromptTests, type ExtractedTests } from './proseTests';
export { splitCases, splitInputCases } from './stdioCases';
export { validateRecord } from './schema';
export { FORMAT_NAMES, type FormatName } from './reader';

export interface ImportOptions {
  /** `auto` (the default) detects each file's format from its extension and first record. */
  format?: FormatName | 'auto';
  /** Aborting stops the import at the next record; the promise rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Bytes read so far over all files, against their total size. */
  onProgress?: (bytesRead: number, bytesTotal: number) => void;
  /** Lines (and JSON items) longer than this are reported and skipped; 16 MiB by default. */
  maxRecordBytes?: number;
}

export interface ImportResult {
  set: ReviewSet;
  issues: ImportIssue[];
  /** Each file that was read (as issues name it) → the format it was read as. */
  formats: Record<string, FormatName>;
  /**
   * Files of a folder whose first record is no review-set format (a label file, a config), passed over
   * without an issue; each with the reason. A file opened by name is never skipped: it gets an issue.
   */
  skipped: { file: string; reason: string }[];
}

const READERS: Record<FormatName, ReaderFactory> = {
  loophole: loopholeReader,
  mbpp: mbppReader,
  chat: chatReader,
  inspect: inspectReader,
  stdio: stdioReader,
};

const INPUT_EXT = /\.(?:jsonl|json|eval)$/i;
const SKIP_DIRS = new Set(['.loophole', 'node_modules', '.git']);

export async function importReviewSet(pathOrDir: string, opts: ImportOptions = {}): Promise<ImportResult> {
  const format = opts.format ?? 'auto';
  if (format !== 'auto' && !FORMAT_NAMES.includes(format)) {
    throw new Error(`unknown format "${String(format)}"; the formats are: auto, ${FORMAT_NAMES.join(', ')}`);
  }
  const root = path.resolve(pathOrDir);
  const st = await stat(root).catch(() => undefined);
  if (!st) throw new Error(`no such file or folder: ${pathOrDir}`);
  const files = st.isDirectory() ? await listInputs(root) : [root];
  const sizes = await Promise.all(files.map(async (f) => (await stat(f)).size));
  const total = sizes.reduce((a, b) => a + b, 0);

  const builder = new ReviewSetBuilder();
  const formats: Record<string, FormatName> = {};
  const skipped: { file: string; reason: string }[] = [];
  let name: string | undefined;
  let done = 0;
  for (let i = 0; i < files.length; i++) {
    opts.signal?.throwIfAborted();
    const file = files[i]!;
    const shown = displayName(file);
    const ctx: ReaderContext = {
      file: shown,
      builder,
      setName: (n) => {
        name ??= n;
      },
    };
    const skip = st.isDirectory() && format === 'auto' ? (reason: string) => skipped.push({ file: shown, reason }) : undefined;
    const base = done;
    const onBytes = (n: number): void => opts.onProgress?.(base + n, total);
    const used = /\.eval$/i.test(file)
      ? await importZip(file, ctx, opts.signal, onBytes)
      : await importStream(file, ctx, format === 'auto' ? undefined : format, opts, onBytes, skip);
    if (used) formats[shown] = used;
    done += sizes[i]!;
    opts.onProgress?.(done, total);
  }
  if (files.length === 0) builder.issue(displayName(root), 0, `no .jsonl, .json or .eval files in this folder`);
  const set = builder.build(name ?? path.basename(root).replace(/\.(?:loophole\.)?(?:jsonl|json|eval)$/i, ''));
  const order = new Map(files.map((f, i) => [displayName(f), i]));
  const issues = builder.issues
    .map((issue, i) => ({ issue, i }))
    .sort((a, b) => (order.get(a.issue.file) ?? -1) - (order.get(b.issue.file) ?? -1) || a.issue.line - b.issue.line || a.i - b.i)
    .map((x) => x.issue);
  return { set, issues, formats, skipped };
}

/** Every input file under `dir`, sorted, skipping `.loophole/`, `node_modules/` and `.git/`. */
async function listInputs(dir: string): Promise<string[]> {
  const out: string[] = [];
  const entries = await readdir(dir, { withFileTypes: true });
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (!SKIP_DIRS.has(e.name)) out.push(...(await listInputs(full)));
    } else if (e.isFile() && INPUT_EXT.test(e.name)) out.push(full);
  }
  return out;
}

function displayName(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}

function unknownFormat(value: unknown): string {
  return `unknown format: the first record has ${keysOf(value)}; expected one of ${FORMAT_NAMES.join(', ')} (see the review-set formats), or pass a format explicitly`;
}

function parseError(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return `malformed JSON: ${msg.length > 160 ? `${msg.slice(0, 157)}...` : msg}`;
}

/** Reads a JSONL file line by line, or a `.json` file item by item. Returns the format used. */
async function importStream(
  file: string,
  ctx: ReaderContext,
  forced: FormatName | undefined,
  opts: ImportOptions,
  onBytes: (n: number) => void,
  skip?: (reason: string) => void,
): Promise<FormatName | undefined> {
  const { builder } = ctx;
  let chosen = forced;
  let reader: FormatReader | undefined;
  let records = 0;
  let sawAnything = false;
  /** Returns false when the file's format cannot be told and reading should stop. */
  const start = (first: unknown, line: number): boolean => {
    chosen ??= detectFormat(file, first);
    if (!chosen) {
      // In a folder, a file that is no review set at all (its first record fits no format) is not an error.
      if (skip && line === 1) skip(`not a review set: the first record has ${keysOf(first)}`);
      else builder.issue(ctx.file, line, unknownFormat(first));
      return false;
    }
    reader = READERS[chosen](ctx);
    return true;
  };

  if (/\.json$/i.test(file)) {
    let line = 1;
    try {
      for await (const ev of readJsonItems(file, { signal: opts.signal, onBytes, maxItemChars: opts.maxRecordBytes })) {
        sawAnything = true;
        if (ev.kind === 'skeleton') {
          if (!reader && !start(ev.value, 1)) return undefined;
          reader!.context?.(ev.value);
          continue;
        }
        line = ev.index + 1;
        if (ev.kind === 'bad') {
          builder.issue(ctx.file, line, ev.message);
          continue;
        }
        let value: unknown;
        try {
          value = JSON.parse(ev.text);
        } catch (e) {
          builder.issue(ctx.file, line, parseError(e));
          continue;
        }
        if (!reader && !start(value, line)) return undefined;
        records++;
        reader!.record(value, line);
      }
    } catch (e) {
      if (opts.signal?.aborted) throw e;
      const utf = e instanceof TypeError && /encod/i.test(e.message);
      builder.issue(
        ctx.file,
        line,
        utf
          ? 'not valid UTF-8'
          : e instanceof Error && /empty document/.test(e.message)
            ? 'empty file: no records'
            : `malformed JSON: ${e instanceof Error ? e.message : String(e)}`,
      );
      sawAnything = true;
    }
    if (!sawAnything) builder.issue(ctx.file, 1, 'empty file: no records');
    return reader ? chosen : undefined;
  }

  for await (const ev of readLines(file, { signal: opts.signal, onBytes, maxLineBytes: opts.maxRecordBytes })) {
    if (ev.kind === 'bad') {
      builder.issue(ctx.file, ev.line, ev.message);
      sawAnything = true;
      continue;
    }
    if (!ev.text.trim()) continue;
    sawAnything = true;
    let value: unknown;
    try {
      value = JSON.parse(ev.text);
    } catch (e) {
      builder.issue(ctx.file, ev.line, parseError(e));
      continue;
    }
    if (!reader && !start(value, ev.line)) return undefined;
    records++;
    reader!.record(value, ev.line);
  }
  if (!sawAnything) builder.issue(ctx.file, 1, 'empty file: no records');
  void records;
  return reader ? chosen : undefined;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Reads an Inspect `.eval` zip: `header.json` first, then every `samples/*.json`, one at a time. */
async function importZip(
  file: string,
  ctx: ReaderContext,
  signal: AbortSignal | undefined,
  onBytes: (n: number) => void,
): Promise<FormatName | undefined> {
  const { builder } = ctx;
  let zip: ZipReader;
  try {
    zip = await ZipReader.open(file);
  } catch (e) {
    builder.issue(ctx.file, 1, `not a readable .eval log: ${e instanceof Error ? e.message : String(e)}`);
    return undefined;
  }
  try {
    const reader = inspectReader(ctx);
    const header = zip.entries.find((e) => e.name === 'header.json');
    const entry = async (name: string, e: NonNullable<typeof header>, line: number): Promise<unknown> => {
      try {
        return JSON.parse(utf8.decode(await zip.read(e)));
      } catch (err) {
        const msg =
          err instanceof TypeError && /encod/i.test(err.message)
            ? 'not valid UTF-8'
            : err instanceof SyntaxError
              ? parseError(err)
              : String(err instanceof Error ? err.message : err);
        builder.issue(ctx.file, line, `${name}: ${msg}`);
        return undefined;
      }
    };
    if (header) {
      const h = await entry('header.json', header, 1);
      if (h && typeof h === 'object' && !Array.isArray(h)) reader.context?.(h as Record<string, unknown>);
    }
    const samples = zip.entries.filter((e) => /^samples\/[^/]+\.json$/.test(e.name));
    let read = 0;
    for (let i = 0; i < samples.length; i++) {
      signal?.throwIfAborted();
      const value = await entry(samples[i]!.name, samples[i]!, i + 1);
      read += samples[i]!.compressedSize;
      onBytes(read);
      if (value !== undefined) reader.record(value, i + 1);
    }
    if (samples.length === 0) builder.issue(ctx.file, 1, 'the .eval log has no samples');
    return 'inspect';
  } finally {
    await zip.close();
  }
}
