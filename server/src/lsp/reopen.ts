/**
 * Re-opening an unchanged review set without re-importing it. Importing 100,000 candidates takes
 * seconds; a reviewer re-opens the same data many times. After a successful import the server writes a
 * stamp of the input (every data file's path, size and mtime, the format, the import issues) into the
 * store (`import_stamp`); the next open with an identical stamp opens the store directly.
 *
 * Safety: the stamp is written only after the import is committed, and any difference (or a missing or
 * unreadable stamp, or a missing store) means a full import, so a stale stamp can only cost time.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { ImportIssue } from '../../../contract/domain';
import { STORE_DIR, STORE_FILE, Store } from '../store/store';

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

/** The store of `dataDir` when it exists (opened for `use`, then closed), or `store` itself. */
function withStore<T>(target: string | Store, use: (store: Store) => T): T | undefined {
  if (typeof target !== 'string') return use(target);
  if (!existsSync(path.join(target, STORE_DIR, STORE_FILE))) return undefined;
  const store = Store.open(target);
  try {
    return use(store);
  } finally {
    store.close();
  }
}

/** The issues of the last import when the input is unchanged since, else undefined (import again).
 *  `target`: the review set's open store, or its data folder. */
export function unchangedSince(fp: Fingerprint, target: string | Store, format: string): readonly ImportIssue[] | undefined {
  try {
    const stamp = withStore(target, (store) => store.importStamp());
    if (!stamp || stamp.format !== format) return undefined;
    return JSON.stringify(stamp.files) === JSON.stringify(fp) ? stamp.issues : undefined;
  } catch {
    return undefined;
  }
}

/** Records the input as just imported, in the store (`target`: the open store, or its data folder). */
export function recordImport(fp: Fingerprint, target: string | Store, format: string, issues: readonly ImportIssue[]): void {
  if (typeof target === 'string') {
    const store = Store.open(target);
    try {
      store.setImportStamp({ format, files: fp, issues });
    } finally {
      store.close();
    }
  } else target.setImportStamp({ format, files: fp, issues });
}
