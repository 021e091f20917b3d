/**
 * Verdicts that travel between reviewers: a JSONL export of a store's verdict history (reviewer, time,
 * note, the hash of the code each verdict was given on, and where it was first recorded), its import,
 * the merge of other reviewers' stores, and label files (`{ "<candidate id>": { "label": … } }`, like the
 * bundled sample's `labels.json`) read as verdicts attributed to the file, not to a person.
 *
 * Nothing is lost or rewritten: imports append (the store's history is append-only) and skip records
 * already present, so importing or merging twice changes nothing. What travels is each source's
 * verdicts in force: a verdict its reviewer undid stays behind with its retraction. Input is checked whole before anything
 * is stored; a bad line is an error naming the file, the line and what was expected.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { VERDICT_LABELS, type Verdict, type VerdictLabel } from '../../../contract/domain';
import type { Store } from '../store/store';

export const VerdictFileFormat = 'loophole-verdicts';

/** One line of a verdict file. */
export interface VerdictLine {
  readonly record: 'verdict';
  readonly candidateId: string;
  readonly problemId?: string;
  readonly action: 'set' | 'retract';
  readonly label: VerdictLabel;
  readonly reviewer: string;
  /** ISO 8601. */
  readonly at: string;
  readonly note?: string;
  /** `sha256:<hex>` of the candidate's code the verdict applies to. */
  readonly contentHash?: string;
  /** Where the verdict was first recorded: a store, a verdict file or a label file. */
  readonly origin: string;
}

export type ImportRecord = Verdict & { action: 'set' | 'retract'; origin: string; contentHash?: string };

export class VerdictInputError extends Error {
  override readonly name = 'VerdictInputError';
}

export function codeHash(code: string): string {
  return `sha256:${createHash('sha256').update(code, 'utf8').digest('hex')}`;
}

const LABELS: readonly string[] = VERDICT_LABELS;

/** The store's whole verdict history as verdict lines (a header line first). */
export function* exportVerdicts(store: Store, origin: string): IterableIterator<string> {
  yield JSON.stringify({ record: 'header', format: VerdictFileFormat, version: 1, exportedAt: new Date().toISOString(), origin });
  const hashes = new Map<string, { problemId: string; hash: string } | null>();
  for (const v of store.iterateVerdictsWithOrigin()) {
    let c = hashes.get(v.candidateId);
    if (c === undefined) {
      const cand = store.candidate(v.candidateId);
      c = cand ? { problemId: cand.problemId, hash: codeHash(cand.code) } : null;
      hashes.set(v.candidateId, c);
    }
    const line: VerdictLine = {
      record: 'verdict',
      candidateId: v.candidateId,
      ...(c ? { problemId: c.problemId } : {}),
      action: v.action,
      label: v.label,
      reviewer: v.reviewer,
      at: v.at,
      ...(v.note ? { note: v.note } : {}),
      ...(v.contentHash ? { contentHash: v.contentHash } : c ? { contentHash: c.hash } : {}),
      origin: v.origin ?? origin,
    };
    yield JSON.stringify(line);
  }
}

/** Reads a verdict file (JSONL) whole; throws `VerdictInputError` at the first bad line. */
export function readVerdictFile(file: string): ImportRecord[] {
  const text = readFileSync(file, 'utf8');
  const out: ImportRecord[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const where = `${file}:${i + 1}`;
    if (!raw.trim()) return;
    let o: unknown;
    try {
      o = JSON.parse(raw);
    } catch (e) {
      throw new VerdictInputError(`${where}: not JSON (${(e as Error).message}); expected one verdict object per line`);
    }
    if (!o || typeof o !== 'object' || Array.isArray(o)) throw new VerdictInputError(`${where}: expected a JSON object`);
    const r = o as Record<string, unknown>;
    if (r.record === 'header') {
      if (r.format !== VerdictFileFormat)
        throw new VerdictInputError(`${where}: a header of format '${String(r.format)}', expected '${VerdictFileFormat}'`);
      return;
    }
    const str = (k: string, optional = false): string | undefined => {
      const v = r[k];
      if (v === undefined && optional) return undefined;
      if (typeof v !== 'string' || !v) throw new VerdictInputError(`${where}: '${k}' must be a non-empty string, got ${JSON.stringify(v)}`);
      return v;
    };
    if (r.record !== undefined && r.record !== 'verdict')
      throw new VerdictInputError(`${where}: 'record' must be 'verdict' or 'header', got ${JSON.stringify(r.record)}`);
    const action = r.action ?? 'set';
    if (action !== 'set' && action !== 'retract')
      throw new VerdictInputError(`${where}: 'action' must be 'set' or 'retract', got ${JSON.stringify(action)}`);
    const label = str('label')!;
    if (!LABELS.includes(label))
      throw new VerdictInputError(`${where}: 'label' must be one of ${VERDICT_LABELS.join(', ')}, got ${JSON.stringify(label)}`);
    const at = str('at')!;
    if (Number.isNaN(Date.parse(at))) throw new VerdictInputError(`${where}: 'at' must be an ISO 8601 time, got ${JSON.stringify(at)}`);
    const note = r.note === undefined || r.note === null || r.note === '' ? undefined : str('note');
    const contentHash = str('contentHash', true);
    out.push({
      candidateId: str('candidateId')!,
      action,
      label: label as VerdictLabel,
      reviewer: str('reviewer')!,
      at,
      ...(note ? { note } : {}),
      ...(contentHash ? { contentHash } : {}),
      origin: str('origin', true) ?? path.resolve(file),
    });
  });
  return out;
}

/**
 * Reads a label file: an object from candidate id to `{ "label": "hack" | "clean" | "unsure", "note"? }`
 * (other fields are ignored). Each label becomes a verdict by the reviewer `labels:<file name>`, at the
 * file's modification time, with the file as its origin.
 */
export function readLabelFile(file: string): ImportRecord[] {
  let o: unknown;
  try {
    o = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new VerdictInputError(`${file}: not JSON (${(e as Error).message}); expected an object from candidate id to {"label": …}`);
  }
  if (!o || typeof o !== 'object' || Array.isArray(o))
    throw new VerdictInputError(`${file}: expected an object from candidate id to {"label": …}`);
  const at = statSync(file).mtime.toISOString();
  const reviewer = `labels:${path.basename(file)}`;
  return Object.entries(o as Record<string, unknown>).map(([id, v]) => {
    const e = v as Record<string, unknown> | null;
    const label = e && typeof e === 'object' ? e.label : undefined;
    if (typeof label !== 'string' || !LABELS.includes(label)) {
      throw new VerdictInputError(
        `${file}: entry '${id}': 'label' must be one of ${VERDICT_LABELS.join(', ')}, got ${JSON.stringify(label)}`,
      );
    }
    const note = typeof e!.note === 'string' && e!.note ? e!.note : undefined;
    return {
      candidateId: id,
      action: 'set' as const,
      label: label as VerdictLabel,
      reviewer,
      at,
      ...(note ? { note } : {}),
      origin: path.resolve(file),
    };
  });
}

/** Whether a file is a label file (one JSON object) rather than a JSONL verdict file. */
export function isLabelFile(file: string): boolean {
  if (!file.endsWith('.json')) return false;
  const text = readFileSync(file, 'utf8').trimStart();
  return text.startsWith('{') && !/^\{[^\n]*\}\s*\n\s*\{/.test(text);
}

/** Another store's whole verdict history, each record keeping its first origin (else that store). */
export function readStoreVerdicts(other: Store): ImportRecord[] {
  const out: ImportRecord[] = [];
  const hashes = new Map<string, string | undefined>();
  for (const v of other.iterateVerdictsWithOrigin()) {
    if (!hashes.has(v.candidateId)) {
      const c = other.candidate(v.candidateId);
      hashes.set(v.candidateId, c ? codeHash(c.code) : undefined);
    }
    const contentHash = v.contentHash ?? hashes.get(v.candidateId);
    out.push({
      candidateId: v.candidateId,
      action: v.action,
      label: v.label,
      reviewer: v.reviewer,
      at: v.at,
      ...(v.note ? { note: v.note } : {}),
      ...(contentHash ? { contentHash } : {}),
      origin: v.origin ?? other.dbPath,
    });
  }
  return out;
}

export interface ImportReport {
  readonly added: number;
  readonly duplicates: number;
  /** Records left out, each with its reason. */
  readonly skipped: readonly { readonly candidateId: string; readonly reason: string }[];
}

/**
 * The verdicts still in force in each source's history: a retraction there cancels the latest verdict
 * in force for that candidate in the same source, and both are left out, so that an undo made by one
 * reviewer never cancels another reviewer's verdict in the store it is merged into.
 */
export function netOfRetractions(records: readonly ImportRecord[]): ImportRecord[] {
  const stacks = new Map<string, ImportRecord[]>();
  for (const r of records) {
    const key = `${r.origin}\u0000${r.candidateId}`;
    const stack = stacks.get(key) ?? [];
    if (r.action === 'set') stack.push(r);
    else stack.pop();
    stacks.set(key, stack);
  }
  return [...stacks.values()].flat();
}

/**
 * Appends records to `store`, oldest first (so that across several reviewers the latest verdict is the
 * one in force). A record for a candidate this store lacks is skipped; so is one given on different
 * code (its content hash differs) unless `allowChanged`.
 */
export function importRecords(store: Store, records: readonly ImportRecord[], opts: { allowChanged?: boolean } = {}): ImportReport {
  const skipped: { candidateId: string; reason: string }[] = [];
  const hashes = new Map<string, string | null>();
  const keep: ImportRecord[] = [];
  for (const r of netOfRetractions(records)) {
    let h = hashes.get(r.candidateId);
    if (h === undefined) {
      const c = store.candidate(r.candidateId);
      h = c ? codeHash(c.code) : null;
      hashes.set(r.candidateId, h);
    }
    if (h === null) skipped.push({ candidateId: r.candidateId, reason: 'no such candidate in this review set' });
    else if (r.contentHash && r.contentHash !== h && !opts.allowChanged) {
      skipped.push({
        candidateId: r.candidateId,
        reason: `its code differs from the code the verdict was given on (${r.contentHash.slice(0, 19)}…); --allow-changed imports it anyway`,
      });
    } else keep.push(r);
  }
  keep.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const { added, duplicates } = store.importVerdicts(keep);
  return { added, duplicates, skipped };
}
