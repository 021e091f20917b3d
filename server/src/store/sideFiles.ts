/**
 * Before schema 4 the store's folder held two JSON files beside the database: the judge's reply cache
 * (`judge-cache.json`, rewritten whole on every reply) and the import stamp (`import-stamp.json`). Their
 * contents now live in the `judge_cache` and `import_stamp` tables; when a store is opened, such a file
 * is read into its table once and then renamed to `<name>.imported` (never deleted: it is the only
 * trace of what was there if anything went wrong).
 *
 * The import is idempotent: rows already in the table win (they are newer than any file, since a
 * release that wrote the files refuses a schema-4 store), and a crash between the commit and the
 * rename only repeats the import at the next open. A file that cannot be read as JSON is left where it
 * is, untouched, and the store opens without it (both were only ever caches).
 */
import { existsSync, readFileSync, renameSync } from 'node:fs';
import path from 'node:path';
import type { ImportIssue } from '../../../contract/domain';
import type { ImportStamp } from './importStamp';
import { type CachedReply, JUDGE_CACHE_FILE } from '../scoring/judge/cache';

export { JUDGE_CACHE_FILE };
export const IMPORT_STAMP_FILE = 'import-stamp.json';

/** What a side file held, ready for the store's tables. */
export interface SideFileContents {
  readonly judgeReplies?: readonly (CachedReply & { readonly key: string })[];
  readonly stamp?: ImportStamp;
}

/** What `adoptSideFiles` did, for the caller's log and the tests. */
export interface SideFileReport {
  /** Files read into the store and renamed (their new paths). */
  readonly imported: readonly string[];
  /** Files left in place because they could not be read. */
  readonly unreadable: readonly string[];
  /** Judge cache entries skipped because they were not replies. */
  readonly skippedEntries: number;
}

function readJson(file: string): { ok: true; value: unknown } | { ok: false } | undefined {
  if (!existsSync(file)) return undefined;
  try {
    return { ok: true, value: JSON.parse(readFileSync(file, 'utf8')) as unknown };
  } catch {
    return { ok: false };
  }
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function parseJudgeCache(value: unknown): { replies: NonNullable<SideFileContents['judgeReplies']>; skipped: number } | undefined {
  if (!isRecord(value)) return undefined;
  const replies: (CachedReply & { key: string })[] = [];
  let skipped = 0;
  for (const [key, e] of Object.entries(value)) {
    if (
      isRecord(e) &&
      'value' in e &&
      typeof e.promptTokens === 'number' &&
      typeof e.completionTokens === 'number' &&
      typeof e.at === 'string'
    ) {
      replies.push({ key, value: e.value, promptTokens: e.promptTokens, completionTokens: e.completionTokens, at: e.at });
    } else skipped++;
  }
  return { replies, skipped };
}

function parseStamp(value: unknown): SideFileContents['stamp'] | null | undefined {
  if (!isRecord(value)) return undefined;
  // Version 1 is the only stamp ever written; another is not ours to read, and costs only a re-import.
  if (value.version !== 1) return null;
  if (typeof value.format !== 'string' || !Array.isArray(value.files) || !Array.isArray(value.issues)) return undefined;
  return {
    format: value.format,
    files: value.files as [string, number, number][],
    issues: value.issues as ImportIssue[],
  };
}

/** A name beside `file` not yet taken: `<file>.imported`, else `<file>.imported.2`, `.3`… */
function importedName(file: string): string {
  let target = `${file}.imported`;
  for (let n = 2; existsSync(target); n++) target = `${file}.imported.${n}`;
  return target;
}

/**
 * Reads the side files in `dir` (the store's folder), hands their contents to `write` (one
 * transaction, the caller's), then renames each imported file. Nothing to do: no call to `write`.
 */
export function adoptSideFiles(dir: string, write: (contents: SideFileContents) => void): SideFileReport {
  const imported: string[] = [];
  const unreadable: string[] = [];
  const adopted: string[] = [];
  let skippedEntries = 0;
  const contents: { judgeReplies?: NonNullable<SideFileContents['judgeReplies']>; stamp?: NonNullable<SideFileContents['stamp']> } = {};

  const cacheFile = path.join(dir, JUDGE_CACHE_FILE);
  const cacheJson = readJson(cacheFile);
  if (cacheJson) {
    const parsed = cacheJson.ok ? parseJudgeCache(cacheJson.value) : undefined;
    if (parsed) {
      contents.judgeReplies = parsed.replies;
      skippedEntries = parsed.skipped;
      adopted.push(cacheFile);
    } else unreadable.push(cacheFile);
  }
  const stampFile = path.join(dir, IMPORT_STAMP_FILE);
  const stampJson = readJson(stampFile);
  if (stampJson) {
    const parsed = stampJson.ok ? parseStamp(stampJson.value) : undefined;
    if (parsed === undefined) unreadable.push(stampFile);
    else {
      if (parsed) contents.stamp = parsed;
      adopted.push(stampFile);
    }
  }
  if (!adopted.length) return { imported, unreadable, skippedEntries };
  write(contents);
  for (const file of adopted) {
    const target = importedName(file);
    try {
      renameSync(file, target);
      imported.push(target);
    } catch {
      // Renamed first by another process opening the same store, or not renamable here (a read-only
      // folder): its contents are in the store either way, and importing it again changes nothing.
    }
  }
  return { imported, unreadable, skippedEntries };
}
