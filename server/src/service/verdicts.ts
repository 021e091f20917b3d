/**
 * Moving reviewers' verdicts between review sets (`loophole verdicts`): the verdict history as JSONL
 * lines with provenance, and imports from verdict files, label files and other sets' stores. An import
 * adds nothing when an input line is bad (`VerdictInputError`, bad input), skips what is already there,
 * and skips verdicts given on other code unless `allowChanged`.
 */
import path from 'node:path';
import type { Store } from '../store/store';
import {
  exportVerdicts,
  type ImportRecord,
  type ImportReport,
  importRecords,
  isLabelFile,
  readLabelFile,
  readStoreVerdicts,
  readVerdictFile,
} from '../verdicts/transfer';
import { openAnalysedStore } from './reviewSets';

export type { ImportReport } from '../verdicts/transfer';

/** The set's verdict history, one JSONL line per record (the first line is a header). */
export function verdictLines(set: { readonly store: Store }, origin: string): IterableIterator<string> {
  return exportVerdicts(set.store, path.resolve(origin));
}

/** Where verdicts come from: verdict or label files, or other review sets (or their store files). */
export type VerdictSource = { readonly kind: 'files' | 'stores'; readonly paths: readonly string[] };

/** Adds the verdicts of `source` to the set's store; every input is read before anything is stored. */
export function importVerdicts(set: { readonly store: Store }, source: VerdictSource, opts: { allowChanged?: boolean } = {}): ImportReport {
  const records: ImportRecord[] = [];
  for (const p of source.paths) {
    if (source.kind === 'stores') {
      const other = openAnalysedStore(p, { storeFile: true }).store;
      try {
        records.push(...readStoreVerdicts(other));
      } finally {
        other.close();
      }
    } else {
      records.push(...(isLabelFile(p) ? readLabelFile(p) : readVerdictFile(p)));
    }
  }
  return importRecords(set.store, records, opts);
}
