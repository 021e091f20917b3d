/**
 * Re-opening an unchanged review set without re-importing it. Importing 100,000 candidates takes
 * seconds; a reviewer re-opens the same data many times. After a successful import the server writes a
 * stamp of the input (every data file's path, size and mtime, the format, the import issues) beside the
 * store; the next open with an identical stamp opens the store directly.
 *
 * Safety: the stamp is written only after the import is committed, and any difference (or a missing or
 * unreadable stamp, or a missing store) means a full import, so a stale stamp can only cost time.
 */
import { existsSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ImportIssue } from '../core/types';
import { STORE_DIR, STORE_FILE } from '../store/store';

interface Stamp {
  readonly version: 1;
  readonly format: string;
  /** [path relative to the opened path, size, mtimeMs] for each data file. */
  readonly files: readonly (readonly [string, number, number])[];
  readonly issues: readonly ImportIssue[];
}

const STAMP_FILE = 'import-stamp.json';

export type Fingerprint = [string, number, number][];

/**
 * Data files under `abs` (itself when a file); dot-folders, `.loophole/` among them, are skipped. Taken
 * before an import, so that a file changed while it was being read does not look imported.
 */
export function fingerprint(abs: string): Fingerprint {
  const st = statSync(abs);
  if (!st.isDirectory()) return [['', st.size, st.mtimeMs]];
  const out: [string, number, number][] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (e.name.startsWith('.')) continue;
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) {
        const s = statSync(p);
        out.push([path.relative(abs, p), s.size, s.mtimeMs]);
      }
    }
  };
  walk(abs);
  return out;
}

function stampPath(dataDir: string): string {
  return path.join(dataDir, STORE_DIR, STAMP_FILE);
}

/** The issues of the last import when the input is unchanged since, else undefined (import again). */
export function unchangedSince(fp: Fingerprint, dataDir: string, format: string): readonly ImportIssue[] | undefined {
  try {
    if (!existsSync(path.join(dataDir, STORE_DIR, STORE_FILE))) return undefined;
    const stamp = JSON.parse(readFileSync(stampPath(dataDir), 'utf8')) as Stamp;
    if (stamp.version !== 1 || stamp.format !== format) return undefined;
    return JSON.stringify(stamp.files) === JSON.stringify(fp) ? stamp.issues : undefined;
  } catch {
    return undefined;
  }
}

/** Records the input as just imported (atomically: a torn stamp would only force a re-import anyway). */
export function recordImport(fp: Fingerprint, dataDir: string, format: string, issues: readonly ImportIssue[]): void {
  const stamp: Stamp = { version: 1, format, files: fp, issues };
  const file = stampPath(dataDir);
  writeFileSync(`${file}.tmp`, JSON.stringify(stamp));
  renameSync(`${file}.tmp`, file);
}
