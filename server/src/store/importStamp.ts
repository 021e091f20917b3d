import type { ImportIssue } from '../../../contract/domain';

/** What a review set was imported from, so that re-opening unchanged data skips the import. */
export interface ImportStamp {
  /** The format asked for (`auto` or a reader's name). */
  readonly format: string;
  /** [path relative to the opened path, size, mtimeMs] for each data file. */
  readonly files: readonly (readonly [string, number, number])[];
  readonly issues: readonly ImportIssue[];
}
