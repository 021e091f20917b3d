/**
 * Where a review set's data and its store are: the data folder is the folder opened, or the folder of
 * the file opened; its store is `<data folder>/.loophole/loophole.db`, and everything else Loophole
 * writes for the set (import stamp, variants file, candidate files, jobs) sits beside the store.
 *
 * The one place that knows this layout in both directions (a path to its data folder, a store to its
 * data folder). A leaf: it imports only Node and the store's file names, so the pipeline and the jobs
 * below the service may use it too.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { STORE_DIR, STORE_FILE } from '../store/store';

/** The folder whose `.loophole/` holds the store for a review-set file or folder. */
export function dataDirOf(pathOrFile: string): string {
  const abs = path.resolve(pathOrFile);
  return statSync(abs).isDirectory() ? abs : path.dirname(abs);
}

/** The store file of a data folder (it may not exist yet). */
export function storeFileOf(dataDir: string): string {
  return path.join(dataDir, STORE_DIR, STORE_FILE);
}

/** The folder Loophole writes a data folder's files into (`.loophole/`). */
export function stateDirOf(dataDir: string): string {
  return path.join(dataDir, STORE_DIR);
}

/** The data folder of an open store, from its file (`<data folder>/.loophole/loophole.db`). */
export function dataDirOfStore(store: { readonly dbPath: string }): string {
  return path.dirname(path.dirname(store.dbPath));
}

/** The store's file relative to its data folder, for messages (`.loophole/loophole.db`). */
export const StoreFileName = path.join(STORE_DIR, STORE_FILE);

/** Whether a folder looks like a review set: a store, or a Loophole JSONL file, in it. */
export function holdsReviewSet(folder: string): boolean {
  if (existsSync(storeFileOf(folder))) return true;
  try {
    return readdirSync(folder).some((n) => n.endsWith('.loophole.jsonl'));
  } catch {
    return false;
  }
}
