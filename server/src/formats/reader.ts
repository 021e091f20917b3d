/**
 * The contract between the import driver (`index.ts`) and one format's reader. The driver streams a
 * file, parses each record (a JSONL line, a JSON-array item, an Inspect sample), and hands the values
 * to the reader of the file's format; the reader turns them into problems and candidates on the
 * builder, and reports what it cannot use as issues. Readers never throw for bad data.
 */
import { INPUT_FORMATS, type InputFormat } from '../../../contract/lsp';
import type { ReviewSetBuilder } from './builder';

export type FormatName = InputFormat;

export const FORMAT_NAMES: readonly FormatName[] = INPUT_FORMATS;

export interface ReaderContext {
  /** The file as issues name it. */
  readonly file: string;
  readonly builder: ReviewSetBuilder;
  /** Names the review set (a `loophole` header); the first name given wins. */
  setName(name: string): void;
}

export interface FormatReader {
  /** One record; `line` is the 1-based line (JSONL) or item index + 1 (JSON arrays, Inspect samples). */
  record(value: unknown, line: number): void;
  /** The top-level object around the records (an Inspect log's `eval`, `version` …), when there is one. */
  context?(value: Record<string, unknown>): void;
}

export type ReaderFactory = (ctx: ReaderContext) => FormatReader;
