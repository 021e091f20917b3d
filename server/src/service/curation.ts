/**
 * Curation over a review set's store, for both adapters (`loophole curate|recontextualize|export` and
 * the language server's `loophole/curation*` requests): live counts, the recontextualization preview
 * and the export. Variants come from the given file, else `<data folder>/.loophole/variants.json` when
 * it exists, else the built-in ones.
 *
 * Errors: a bad variant or mapping, nothing to export, an output that exists are `CurationError`s
 * (`badInput`, `outputExists` in `failureOf`); once the signal is aborted every failure is `Cancelled`.
 * An export writes everything or nothing; a folder it made for its output goes again when it fails.
 */
import { mkdirSync, rmdirSync } from 'node:fs';
import path from 'node:path';
import {
  type CurationItem,
  type CurationOptions,
  type CurationStats,
  curationCountsAsync,
  type ExportResult,
  exportDataset,
  type FormatName,
  loadVariants,
  parseMapping,
  type PromptVariant,
  previewRows,
  type RecontextualizeReport,
  recontextualizePreview,
  storeSource,
  type VariantMapping,
  variantsFileFor,
} from '../curation';
import type { Store } from '../store/store';
import { cancellable } from './errors';

/** The review set curation reads: its store, its data folder, and a variants file when one was named. */
export interface CurationSet {
  readonly store: Store;
  readonly dataDir: string;
  /** A variants file given explicitly (absolute); default: the data folder's, when present. */
  readonly variantsFile?: string;
}

/** The prompt variants the set can use (built-in plus its variants file). */
export function variantsOf(set: CurationSet): ReadonlyMap<string, PromptVariant> {
  return loadVariants(variantsFileFor(set.dataDir, set.variantsFile));
}

/** Live counts for a filter setting, and the scorers seen on the way (for the panel's choices). */
export async function curationCounts(
  set: CurationSet,
  curation: CurationOptions,
  o: { signal?: AbortSignal; every?: number; onProgress?: (candidatesDone: number) => void } = {},
): Promise<{ stats: CurationStats; scorers: string[] }> {
  const scorers = new Set<string>();
  function* noting(items: Iterable<CurationItem>): Generator<CurationItem> {
    for (const item of items) {
      for (const s of item.analysis?.scores ?? []) scorers.add(s.scorer);
      yield item;
    }
  }
  return cancellable(o.signal, async () => {
    const stats = await curationCountsAsync(noting(storeSource(set.store).items()), curation, {
      ...(o.signal ? { signal: o.signal } : {}),
      ...(o.every !== undefined ? { every: o.every } : {}),
      ...(o.onProgress ? { onProgress: o.onProgress } : {}),
    });
    return { stats, scorers: [...scorers].sort() };
  });
}

export interface PreviewRequest {
  readonly curation: CurationOptions;
  /** Mapping specs (`TO` or `FROM=TO`). */
  readonly mapping: readonly string[];
  readonly limit: number;
  /** Also the first rows an export in this format would write. */
  readonly format?: FormatName;
  readonly signal?: AbortSignal;
}

/** Prompts before and after recontextualization for the first selected samples (and the rows). */
export async function curationPreview(
  set: CurationSet,
  req: PreviewRequest,
): Promise<{ mapping: VariantMapping; report: RecontextualizeReport; rows: unknown[] }> {
  return cancellable(req.signal, () => {
    const variants = variantsOf(set);
    const mapping = parseMapping(req.mapping, variants);
    const source = storeSource(set.store);
    const report = recontextualizePreview(source, {
      curation: req.curation,
      mapping,
      variants,
      limit: req.limit,
      ...(req.signal ? { signal: req.signal } : {}),
    });
    const rows = req.format
      ? previewRows(source, { curation: req.curation, format: req.format, mapping, variants, limit: req.limit }).map((r) => r.data)
      : [];
    return { mapping, report, rows };
  });
}

export interface ExportRequest {
  readonly format: FormatName;
  /** The data file (absolute); its folder is made when missing. */
  readonly out: string;
  readonly split: number;
  readonly seed: number;
  readonly curation: CurationOptions;
  /** Mapping specs (`TO` or `FROM=TO`). */
  readonly mapping: readonly string[];
  readonly force?: boolean;
  readonly signal?: AbortSignal;
  readonly onProgress?: (candidatesDone: number) => void;
  /** The review set's name, for the card. */
  readonly reviewSet?: string;
}

/** Writes the curated, recontextualized training set with its provenance and card. */
export async function exportCurated(set: CurationSet, req: ExportRequest): Promise<ExportResult> {
  let createdDir: string | undefined;
  try {
    return await cancellable(req.signal, async () => {
      const variants = variantsOf(set);
      const mapping = parseMapping(req.mapping, variants);
      createdDir = mkdirSync(path.dirname(req.out), { recursive: true });
      return exportDataset(storeSource(set.store), {
        format: req.format,
        out: req.out,
        split: req.split,
        seed: req.seed,
        curation: req.curation,
        variants,
        mapping,
        ...(req.force ? { force: true } : {}),
        ...(req.signal ? { signal: req.signal } : {}),
        ...(req.onProgress ? { onProgress: req.onProgress } : {}),
        ...(req.reviewSet ? { reviewSet: req.reviewSet } : {}),
      });
    });
  } catch (e) {
    // a folder made for this export goes again when the export leaves nothing in it
    if (createdDir) removeEmptyDirs(path.dirname(req.out), createdDir);
    throw e;
  }
}

/** Removes `dir` and its parents up to `top`, stopping at the first that is not empty. */
function removeEmptyDirs(dir: string, top: string): void {
  for (let d = dir; d.startsWith(top); d = path.dirname(d)) {
    try {
      rmdirSync(d);
    } catch {
      return;
    }
    if (d === top) return;
  }
}
