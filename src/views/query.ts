import * as vscode from 'vscode';
import type { CandidateQuery } from '../../server/src/lsp/protocol';

/**
 * How the Candidates tree sorts, filters and groups, kept per workspace so that a reload or a server
 * restart shows the same view. Everything but `grouping` is sent to the server as a `CandidateQuery`.
 */
export interface TreeQuery {
  readonly grouping: 'problem' | 'flat';
  readonly sort: 'score' | 'id' | 'problem';
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

const Key = 'loophole.treeQuery';

export class QueryState implements vscode.Disposable {
  private _query: TreeQuery;
  private readonly emitter = new vscode.EventEmitter<TreeQuery>();
  readonly onDidChange = this.emitter.event;

  constructor(private readonly memento: vscode.Memento) {
    this._query = { ...DefaultQuery, ...(memento.get<Partial<TreeQuery>>(Key) ?? {}) };
    void this.publishContext();
  }

  get query(): TreeQuery {
    return this._query;
  }

  update(patch: Partial<TreeQuery>): void {
    const next: Record<string, unknown> = { ...this._query, ...patch };
    for (const k of Object.keys(next)) if (next[k] === undefined) delete next[k];
    this._query = next as unknown as TreeQuery;
    void this.memento.update(Key, this._query);
    void this.publishContext();
    this.emitter.fire(this._query);
  }

  clearFilters(): void {
    const { grouping, sort, order } = this._query;
    this._query = { grouping, sort, order };
    void this.memento.update(Key, this._query);
    void this.publishContext();
    this.emitter.fire(this._query);
  }

  /** The server's query for one page of candidates. */
  candidateQuery(extra: { problemId?: string; offset: number; limit: number }): CandidateQuery {
    const q = this._query;
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
  describeFilters(): string {
    const q = this._query;
    const parts: string[] = [];
    if (q.verdict) parts.push(q.verdict === 'none' ? 'unreviewed' : `verdict ${q.verdict}`);
    if (q.isHack !== undefined) parts.push(q.isHack ? 'machine: hack' : 'machine: not hack');
    if (q.minScore !== undefined || q.maxScore !== undefined)
      parts.push(`${q.scorer ?? 'score'} ${q.minScore ?? 0}–${q.maxScore ?? 1}`);
    else if (q.scorer) parts.push(`scorer ${q.scorer}`);
    if (q.promptVariant) parts.push(`prompt ${q.promptVariant}`);
    if (q.model) parts.push(`model ${q.model}`);
    return parts.join(', ');
  }

  get filtered(): boolean {
    return this.describeFilters() !== '';
  }

  dispose(): void {
    this.emitter.dispose();
  }

  private async publishContext(): Promise<void> {
    await vscode.commands.executeCommand('setContext', 'loophole.filtered', this.filtered);
  }
}
