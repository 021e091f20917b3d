/**
 * Opening a review set's store, for both adapters: the language server's `loophole/open` (import, or
 * reopen an unchanged set from its import stamp) and the CLI's commands (the store of an analysed set,
 * a store file, or an import when there is none yet). Bad paths are `BadInput` with a message that
 * names the path as the person gave it.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { ImportIssue } from '../../../contract/domain';
import type { FormatName } from '../formats/reader';
import { openReviewSet } from '../pipeline/analyze';
import { Store } from '../store/store';
import { dataDirOf, dataDirOfStore, StoreFileName, storeFileOf } from './dataFolder';
import { BadInput } from './errors';
import { fingerprint, recordImport, unchangedSince } from './reopen';
import { ReviewSession } from './session';

export type { Store } from '../store/store';

export interface OpenedStore {
  readonly store: Store;
  /** The data folder (where `.loophole/` is). */
  readonly dataDir: string;
  /** The review set's absolute path. */
  readonly target: string;
}

/**
 * How a CLI command wants the store: `analysed` the store beside an analysed set (a `.db` file too when
 * `storeFile`), `import` that store or, for a data file with none yet, a fresh import of it.
 */
export interface StoreRequest {
  readonly need: 'analysed' | 'import';
  /** Accept a path to a store file itself (`…/.loophole/loophole.db`). */
  readonly storeFile?: boolean;
  /** The path as the person wrote it, for messages (default: the path). */
  readonly label?: string;
}

/** The store of a review set (file or folder); see `StoreRequest`. */
export async function openStore(target: string, req: StoreRequest): Promise<OpenedStore> {
  const abs = path.resolve(target);
  if (req.need === 'import' && existsSync(abs) && !existsSync(storeFileOf(dataDirOf(abs)))) {
    if (!statSync(abs).isDirectory()) return { store: (await openReviewSet(abs)).store, dataDir: dataDirOf(abs), target: abs };
    throw new BadInput(`${req.label ?? target}: no review set here (no ${StoreFileName}); pass the data file`);
  }
  return openAnalysedStore(target, req);
}

/**
 * The store file beside an analysed review set (or the store file itself, with `storeFile`); `BadInput`
 * when the path or the store is missing. Opens nothing.
 */
export function requireAnalysed(target: string, req: Omit<StoreRequest, 'need'> = {}): string {
  const label = req.label ?? target;
  const abs = path.resolve(target);
  if (!existsSync(abs)) throw new BadInput(`${label}: no such file or folder`);
  if (req.storeFile && abs.endsWith('.db') && statSync(abs).isFile()) return abs;
  const db = storeFileOf(dataDirOf(abs));
  if (!existsSync(db)) throw new BadInput(`${label}: not analysed yet (no ${StoreFileName}); run \`loophole analyze ${label}\` first`);
  return db;
}

/** The store beside an analysed review set (or a store file, with `storeFile`), synchronously. */
export function openAnalysedStore(target: string, req: Omit<StoreRequest, 'need'> = {}): OpenedStore {
  const store = Store.openFile(requireAnalysed(target, req));
  return { store, dataDir: dataDirOfStore(store), target: path.resolve(target) };
}

export interface ImportOptions {
  readonly format?: FormatName | 'auto';
  readonly signal?: AbortSignal;
  readonly onProgress?: (read: number, total: number) => void;
}

export interface Imported extends OpenedStore {
  readonly issues: readonly ImportIssue[];
  readonly skipped: readonly { file: string; reason: string }[];
  readonly problems: number;
  readonly candidates: number;
}

/** Imports a review set (file or folder) into the store beside it (what changed since is re-read). */
export async function importSet(target: string, opts: ImportOptions = {}): Promise<Imported> {
  const abs = path.resolve(target);
  const r = await openReviewSet(abs, opts);
  return { ...r, dataDir: dataDirOf(abs), target: abs };
}

export interface ReviewOpening {
  readonly session: ReviewSession;
  readonly issues: readonly ImportIssue[];
}

/**
 * Opens a review set for review: the store directly when the input is unchanged since its last import
 * (the import stamp), else a full import that then records the stamp. `log` hears what was skipped and
 * a stamp that could not be written (the next open re-imports; nothing is lost).
 */
export async function openForReview(
  p: string,
  opts: { format?: string; log?: (level: 'info' | 'warn', message: string) => void } = {},
): Promise<ReviewOpening> {
  const abs = path.resolve(p);
  if (!existsSync(abs)) throw new BadInput(`'${p}' does not exist`);
  const dataDir = dataDirOf(abs);
  const fp = fingerprint(abs);
  const formatKey = opts.format ?? 'auto';
  let issues = unchangedSince(fp, dataDir, formatKey);
  let store: Store;
  if (issues) {
    store = Store.open(dataDir);
  } else {
    const r = await openReviewSet(abs, opts.format ? { format: opts.format as FormatName | 'auto' } : {});
    store = r.store;
    issues = r.issues;
    for (const x of r.skipped) opts.log?.('info', `skipped ${x.file}: ${x.reason}`);
    try {
      recordImport(fp, r.store, formatKey, r.issues);
    } catch (e) {
      opts.log?.(
        'warn',
        `could not record the import of ${abs} (the next open re-imports): ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`,
      );
    }
  }
  return { session: new ReviewSession(store, p, dataDir), issues };
}
