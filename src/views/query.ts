import * as vscode from 'vscode';
import type { CandidateQuery } from '../../contract/lsp';
import { candidateQueryOf, describeFilters, patchQuery, restoreQuery, withoutFilters, type QueryPatch, type TreeQuery } from './treeQuery';

export type { TreeQuery } from './treeQuery';

const Key = 'loophole.treeQuery';

/**
 * The tree's query (`TreeQuery`), kept per workspace so that a reload or a server restart shows the
 * same view, with an event when it changes and the `loophole.filtered` context key kept in step.
 */
export class QueryState implements vscode.Disposable {
  private _query: TreeQuery;
  private readonly emitter = new vscode.EventEmitter<TreeQuery>();
  readonly onDidChange = this.emitter.event;

  constructor(private readonly memento: vscode.Memento) {
    this._query = restoreQuery(memento.get<unknown>(Key));
    void this.publishContext();
  }

  get query(): TreeQuery {
    return this._query;
  }

  update(patch: QueryPatch): void {
    this._query = patchQuery(this._query, patch);
    void this.memento.update(Key, this._query);
    void this.publishContext();
    this.emitter.fire(this._query);
  }

  clearFilters(): void {
    this._query = withoutFilters(this._query);
    void this.memento.update(Key, this._query);
    void this.publishContext();
    this.emitter.fire(this._query);
  }

  /** The server's query for one page of candidates. */
  candidateQuery(extra: { problemId?: string; offset: number; limit: number }): CandidateQuery {
    return candidateQueryOf(this._query, extra);
  }

  /** The active filters in words, for the view's description; empty when none. */
  describeFilters(): string {
    return describeFilters(this._query);
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
