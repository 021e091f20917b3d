import * as vscode from 'vscode';
import { CandidatesRequest, ProblemsRequest, MaxPageSize } from '../../contract/lsp';
import { describe, type Session } from '../client/session';
import { candidateNode, problemNode, toTreeItem, type CandidateNode, type MoreNode, type Node, type ProblemNode } from './nodes';
import { PagedChildren, type Page } from './paging';
import type { QueryState } from './query';

/** Rows fetched per "Load more…". Problems are cheap rows, candidates a little less so. */
const ProblemPage = 1000;
const CandidatePage = 500;

/**
 * Problems → candidates, paged by the server: a parent's children are fetched one page at a time and
 * a "Load more…" row fetches the next, so a set of 100,000 candidates costs one page per expanded
 * problem. A refresh forgets the pages but remembers how many rows each parent showed, and fetches
 * that many again, so the reviewer keeps their place (the memory is `PagedChildren`).
 */
export class CandidatesTree implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private readonly paging: PagedChildren<ProblemNode | CandidateNode>;
  /** The parent row of each key ('' is the root), to fetch its children. */
  private parents = new Map<string, ProblemNode | undefined>();
  /** Candidate rows by id, for reveal() and for refreshing one row after a verdict. */
  private byCandidate = new Map<string, CandidateNode>();
  private byProblem = new Map<string, ProblemNode>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly session: Session,
    private readonly query: QueryState,
  ) {
    this.paging = new PagedChildren(
      (key, offset, limit) => this.fetch(key, offset, limit),
      (key) => (key === '' && this.query.query.grouping === 'problem' ? ProblemPage : CandidatePage),
      MaxPageSize,
      (err) => this.session.log.error(`Loading the Candidates tree: ${describe(err)}`),
    );
    this.disposables.push(
      this.emitter,
      query.onDidChange(() => this.refresh(false)),
      session.onDidChange(() => this.refresh(true)),
      // While a crashed server restarts the rows stay (and keep their expansion); they are
      // refetched once it runs, or emptied when it stopped for good.
      session.onDidChangeState((s) => {
        if (s !== 'starting') this.refresh(true);
      }),
    );
  }

  /** Refetches everything; `keepPlace` fetches as many rows per parent as were showing. */
  refresh(keepPlace: boolean): void {
    this.paging.refresh(keepPlace);
    this.byCandidate = new Map();
    this.byProblem = new Map();
    this.emitter.fire(undefined);
  }

  getTreeItem(node: Node): vscode.TreeItem {
    return toTreeItem(node);
  }

  getParent(node: Node): Node | undefined {
    return node.type === 'problem' ? undefined : node.parent;
  }

  async getChildren(node?: Node): Promise<Node[]> {
    if (node?.type === 'candidate' || node?.type === 'more') return [];
    if (this.session.state !== 'running' || !this.session.reviewSet) return [];
    const key = node?.key ?? '';
    this.parents.set(key, node);
    const { rows, more } = await this.paging.children(key);
    for (const n of rows) {
      if (n.type === 'problem') this.byProblem.set(n.problem.id, n);
      else this.byCandidate.set(n.candidate.id, n);
    }
    const out: Node[] = [...rows];
    if (more) out.push({ type: 'more', key: `more:${key}:${more.loaded}`, parent: node, loaded: more.loaded, total: more.total });
    return out;
  }

  /** The "Load more…" row's command. */
  async loadMore(more: MoreNode): Promise<void> {
    if (await this.paging.loadMore(more.parent?.key ?? '')) this.emitter.fire(more.parent);
  }

  candidate(id: string): CandidateNode | undefined {
    return this.byCandidate.get(id);
  }

  problem(id: string): ProblemNode | undefined {
    return this.byProblem.get(id);
  }

  /**
   * The row of a candidate, loading its problem's first page when the problem is listed but was never
   * expanded, so that `reveal()` can select a candidate the reviewer reached by keyboard.
   */
  async findCandidate(id: string, problemId: string): Promise<CandidateNode | undefined> {
    const known = this.byCandidate.get(id);
    if (known) return known;
    if (this.query.query.grouping === 'problem') {
      const problem = this.byProblem.get(problemId);
      if (problem) await this.getChildren(problem);
    }
    return this.byCandidate.get(id);
  }

  /** Candidate ids in the order the tree shows them (loaded rows only). */
  visibleCandidateIds(): string[] {
    return [...this.byCandidate.keys()];
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }

  private async fetch(key: string, offset: number, limit: number): Promise<Page<ProblemNode | CandidateNode>> {
    const parent = this.parents.get(key);
    if (!parent && this.query.query.grouping === 'problem') {
      // Problems have no learned order: `likely` lists them most suspicious first, their candidates learned.
      const sort = this.query.query.sort === 'score' || this.query.query.sort === 'likely' ? 'score' : 'id';
      const page = await this.session.request(ProblemsRequest, { offset, limit, sort });
      return { items: page.items.map(problemNode), total: page.total };
    }
    const page = await this.session.request(
      CandidatesRequest,
      this.query.candidateQuery({ ...(parent ? { problemId: parent.problem.id } : {}), offset, limit }),
    );
    return { items: page.items.map((c) => candidateNode(c, parent)), total: page.total };
  }
}
