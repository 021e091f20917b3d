/**
 * How the Candidates tree sorts, filters and groups, as plain data and pure functions (no `vscode`):
 * `QueryState` keeps one per workspace and the sort/filter commands offer the choices below.
 * Everything but `grouping` is sent to the server as a `CandidateQuery`.
 */
import type { CandidateQuery } from '../../contract/lsp';

export interface TreeQuery {
  readonly grouping: 'problem' | 'flat';
  /** `likely`: learned from the reviewers' verdicts on the server (`CandidateSort`). */
  readonly sort: 'score' | 'id' | 'problem' | 'likely';
  readonly order: 'asc' | 'desc';
  readonly verdict?: CandidateQuery['verdict'];
  readonly isHack?: boolean;
  readonly minScore?: number;
  readonly maxScore?: number;
  readonly scorer?: string;
  readonly promptVariant?: string;
  readonly model?: string;
}

export const DefaultQuery: TreeQuery = { grouping: 'problem', sort: 'score', order: 'desc' };

/** A stored query (possibly from an older version, or edited by hand) made whole and valid. */
export function restoreQuery(stored: unknown): TreeQuery {
  const o = typeof stored === 'object' && stored !== null ? (stored as Record<string, unknown>) : {};
  const q: Record<string, unknown> = { ...DefaultQuery };
  if (o.grouping === 'problem' || o.grouping === 'flat') q.grouping = o.grouping;
  if (o.sort === 'score' || o.sort === 'id' || o.sort === 'problem' || o.sort === 'likely') q.sort = o.sort;
  if (o.order === 'asc' || o.order === 'desc') q.order = o.order;
  if (o.verdict === 'hack' || o.verdict === 'clean' || o.verdict === 'unsure' || o.verdict === 'none') q.verdict = o.verdict;
  if (typeof o.isHack === 'boolean') q.isHack = o.isHack;
  for (const k of ['minScore', 'maxScore'] as const) if (typeof o[k] === 'number' && o[k] >= 0 && o[k] <= 1) q[k] = o[k];
  for (const k of ['scorer', 'promptVariant', 'model'] as const) if (typeof o[k] === 'string' && o[k] !== '') q[k] = o[k];
  return q as unknown as TreeQuery;
}

/** `patch` applied; a key patched to `undefined` is removed (the filter is cleared). */
/** A change to the query: a key set to undefined clears that filter. */
export type QueryPatch = { readonly [K in keyof TreeQuery]?: TreeQuery[K] | undefined };

export function patchQuery(q: TreeQuery, patch: QueryPatch): TreeQuery {
  const next: Record<string, unknown> = { ...q, ...patch };
  for (const k of Object.keys(next)) if (next[k] === undefined) delete next[k];
  return next as unknown as TreeQuery;
}

/** Only the sort order and grouping kept. */
export function withoutFilters(q: TreeQuery): TreeQuery {
  return { grouping: q.grouping, sort: q.sort, order: q.order };
}

/** The server's query for one page of candidates. */
export function candidateQueryOf(q: TreeQuery, extra: { problemId?: string; offset: number; limit: number }): CandidateQuery {
  return {
    ...extra,
    sort: q.sort,
    order: q.order,
    ...(q.verdict !== undefined ? { verdict: q.verdict } : {}),
    ...(q.isHack !== undefined ? { isHack: q.isHack } : {}),
    ...(q.minScore !== undefined ? { minScore: q.minScore } : {}),
    ...(q.maxScore !== undefined ? { maxScore: q.maxScore } : {}),
    ...(q.scorer !== undefined ? { scorer: q.scorer } : {}),
    ...(q.promptVariant !== undefined ? { promptVariant: q.promptVariant } : {}),
    ...(q.model !== undefined ? { model: q.model } : {}),
  };
}

/** The active filters in words, for the view's description; empty when none. */
export function describeFilters(q: TreeQuery): string {
  const parts: string[] = [];
  if (q.verdict) parts.push(q.verdict === 'none' ? 'unreviewed' : `verdict ${q.verdict}`);
  if (q.isHack !== undefined) parts.push(q.isHack ? 'machine: hack' : 'machine: not hack');
  if (q.minScore !== undefined || q.maxScore !== undefined) parts.push(`${q.scorer ?? 'score'} ${q.minScore ?? 0}–${q.maxScore ?? 1}`);
  else if (q.scorer) parts.push(`scorer ${q.scorer}`);
  if (q.promptVariant) parts.push(`prompt ${q.promptVariant}`);
  if (q.model) parts.push(`model ${q.model}`);
  return parts.join(', ');
}

export interface SortChoice {
  readonly label: string;
  readonly description?: string;
  readonly patch: Partial<TreeQuery>;
}

/** The "Sort Candidates…" quick pick; the current order and grouping are marked. */
export function sortChoices(q: TreeQuery): SortChoice[] {
  const mark = (on: boolean, text?: string) => (on ? [text, 'current'].filter(Boolean).join(' · ') : (text ?? ''));
  return [
    {
      label: '$(flame) Most suspicious first',
      description: mark(q.sort === 'score' && q.order === 'desc', 'score, descending'),
      patch: { sort: 'score', order: 'desc' },
    },
    {
      label: '$(shield) Least suspicious first',
      description: mark(q.sort === 'score' && q.order === 'asc', 'score, ascending'),
      patch: { sort: 'score', order: 'asc' },
    },
    {
      label: '$(sparkle) Likely hacks and uncertain first',
      description: mark(q.sort === 'likely' && q.order === 'desc', 'learned from your verdicts'),
      patch: { sort: 'likely', order: 'desc' },
    },
    { label: '$(symbol-key) By id', description: mark(q.sort === 'id'), patch: { sort: 'id', order: 'asc' } },
    { label: '$(list-tree) Group by problem', description: mark(q.grouping === 'problem'), patch: { grouping: 'problem' } },
    { label: '$(list-flat) One flat list of all candidates', description: mark(q.grouping === 'flat'), patch: { grouping: 'flat' } },
  ];
}

/** "0.5-1", "0.2 – 0.8", "0,1" → [min, max] within [0, 1]; undefined for anything else. */
export function parseScoreRange(s: string): [number, number] | undefined {
  const m = /^\s*(\d*\.?\d+)\s*[-–,]\s*(\d*\.?\d+)\s*$/.exec(s);
  if (!m) return undefined;
  const a = Number(m[1]);
  const b = Number(m[2]);
  return a >= 0 && b <= 1 && a <= b ? [a, b] : undefined;
}
