/**
 * Judge replies cached, keyed by endpoint, model, rubric version, mode and the content hash of what was
 * judged — so re-running `analyze` or `judge` never pays twice for the same question, and changing any
 * of those asks again.
 *
 * The review set's cache is a table of its store (`store.judgeCache()`, one row per reply). Releases
 * before schema 4 kept a JSON file beside the store instead (`judgeCachePath`), which the store imports
 * once when opened; `fileCache` still reads and writes such a file (rewritten whole on every `put`, so
 * only for small caches outside a store). `memoryCache` lasts as long as the process.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';

export interface CacheKeyParts {
  readonly endpoint: string;
  readonly model: string;
  readonly rubricVersion: string;
  readonly mode: 'single' | 'comparative';
  /** sha256 of the problem (statement, shown tests) and the candidate code(s). */
  readonly contentHash: string;
}

export interface CachedReply {
  /** The validated JSON the judge returned. */
  readonly value: unknown;
  readonly promptTokens: number;
  readonly completionTokens: number;
  readonly at: string;
}

export interface JudgeCache {
  get(key: string): CachedReply | undefined;
  put(key: string, reply: CachedReply): void;
  readonly size: number;
}

export function sha256(...parts: readonly string[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(p).update('\0');
  return h.digest('hex');
}

export function cacheKey(k: CacheKeyParts): string {
  return sha256(k.endpoint, k.model, k.rubricVersion, k.mode, k.contentHash);
}

export function memoryCache(): JudgeCache {
  const m = new Map<string, CachedReply>();
  return {
    get: (k) => m.get(k),
    put: (k, v) => void m.set(k, v),
    get size() {
      return m.size;
    },
  };
}

/** A cache in a JSON file, rewritten atomically (temp file + rename) after each `put`; a corrupt or
 *  missing file starts an empty cache rather than failing the judge. */
export function fileCache(file: string): JudgeCache {
  let entries: Record<string, CachedReply> = {};
  if (existsSync(file)) {
    try {
      entries = JSON.parse(readFileSync(file, 'utf8')) as Record<string, CachedReply>;
    } catch {
      entries = {};
    }
  }
  return {
    get: (k) => entries[k],
    put(k, v) {
      entries[k] = v;
      mkdirSync(path.dirname(file), { recursive: true });
      // no fsync: the cache is rewritten on every put, and a lost write only costs a repeated call
      writeFileAtomic.sync(file, JSON.stringify(entries), { fsync: false });
    },
    get size() {
      return Object.keys(entries).length;
    },
  };
}

/** The file name of that JSON cache, beside the store's database. */
export const JUDGE_CACHE_FILE = 'judge-cache.json';

/** Where releases before schema 4 kept the cache of the store at `dbPath` (imported when it is opened). */
export function judgeCachePath(dbPath: string): string {
  return path.join(path.dirname(dbPath), JUDGE_CACHE_FILE);
}
