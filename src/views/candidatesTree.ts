import * as vscode from 'vscode';
import { CandidatesRequest, ProblemsRequest, MaxPageSize } from '../../server/src/lsp/protocol';
import { describe, type Session } from '../client/session';
import { candidateNode, problemNode, toTreeItem, type CandidateNode, type MoreNode, type Node, type ProblemNode } from './nodes';
import type { QueryState } from './query';

/** Rows fetched per "Load more…". Problems are cheap rows, candidates a little less so. */
const ProblemPage = 200;
const CandidatePage = 100;

/** The children loaded so far under one parent (the root is `''`). */
interface Loaded {
  nodes: (ProblemNode | CandidateNode)[];
  total: number;
}

/**
 * Problems → candidates, paged by the server: a parent's children are fetched one page at a time and
 * a "Load more…" row fetches the next, so a set of 100,000 candidates costs one page per expanded
 * problem. A refresh forgets the pages but remembers how many rows each parent showed, and fetches
 * that many again, so the reviewer keeps their place.
 */
export class CandidatesTree implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private loaded = new Map<string, Loaded>();
  private shown = new Map<string, number>();
  /** Candidate rows by id, for reveal() and for refreshing one row after a verdict. */
  private byCandidate = new Map<string, CandidateNode>();
  private byProblem = new Map<string, ProblemNode>();
  private generation = 0;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly session: Session,
    private readonly query: QueryState,
  ) {
    this.disposables.push(
      this.emitter,
      query.onDidChange(() => this.refresh(false)),
      session.onDidChange(() => this.refresh(true)),
      session.onDidChangeState(() => this.refresh(true)),
    );
  }

  /** Refetches everything; `keepPlace` fetches as many rows per parent as were showing. */
  refresh(keepPlace: boolean): void {
    if (keepPlace) for (const [k, v] of this.loaded) this.shown.set(k, v.nodes.length);
    else this.shown.clear();
    this.loaded = new Map();
    this.byCandidate = new Map();
    this.byProblem = new Map();
    this.generation++;
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
    let loaded = this.loaded.get(key);
    if (!loaded) {
      const want = Math.min(MaxPageSize, Math.max(this.shown.get(key) ?? 0, this.pageSize(node)));
      loaded = { nodes: [], total: 0 };
      await this.fetch(node, loaded, want);
      this.loaded.set(key, loaded);
    }
    const rows: Node[] = [...loaded.nodes];
    if (loaded.nodes.length < loaded.total)
      rows.push({ type: 'more', key: `more:${key}:${loaded.nodes.length}`, parent: node, loaded: loaded.nodes.length, total: loaded.total });
    return rows;
  }

  /** The "Load more…" row's command. */
  async loadMore(more: MoreNode): Promise<void> {
    const key = more.parent?.key ?? '';
    const loaded = this.loaded.get(key);
    if (!loaded) return;
    await this.fetch(more.parent, loaded, this.pageSize(more.parent));
    this.emitter.fire(more.parent);
  }

  candidate(id: string): CandidateNode | undefined {
    return this.byCandidate.get(id);
  }

  problem(id: string): ProblemNode | undefined {
    return this.byProblem.get(id);
  }

  /** Candidate ids in the order the tree shows them (loaded rows only). */
  visibleCandidateIds(): string[] {
    return [...this.byCandidate.keys()];
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }

  private pageSize(parent: Node | undefined): number {
    return !parent && this.query.query.grouping === 'problem' ? ProblemPage : CandidatePage;
  }

  private async fetch(parent: Node | undefined, into: Loaded, limit: number): Promise<void> {
    const generation = this.generation;
    const offset = into.nodes.length;
    try {
      if (!parent && this.query.query.grouping === 'problem') {
        const sort = this.query.query.sort === 'score' ? 'score' : 'id';
        const page = await this.session.request(ProblemsRequest, { offset, limit, sort });
        if (generation !== this.generation) return;
        for (const p of page.items) {
          const n = problemNode(p);
          this.byProblem.set(p.id, n);
          into.nodes.push(n);
        }
        into.total = page.total;
      } else {
        const problem = parent?.type === 'problem' ? parent : undefined;
        const page = await this.session.request(
          CandidatesRequest,
          this.query.candidateQuery({ ...(problem ? { problemId: problem.problem.id } : {}), offset, limit }),
        );
        if (generation !== this.generation) return;
        for (const c of page.items) {
          const n = candidateNode(c, problem);
          this.byCandidate.set(c.id, n);
          into.nodes.push(n);
        }
        into.total = page.total;
      }
    } catch (err) {
      this.session.log.error(`Loading the Candidates tree: ${describe(err)}`);
    }
  }
}
