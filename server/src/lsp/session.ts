/**
 * One open review set as the language server sees it: the store plus the views the requests need
 * (paged summaries, one candidate's detail, a problem's panel, navigation among unreviewed candidates).
 * Knows nothing about LSP transport; every method is a direct answer to one `loophole/<noun>` request.
 *
 * The store is synchronous and the server single-threaded, so a method's reads are consistent with each
 * other. Writes (verdicts, picks) return only after SQLite has made them durable.
 */
import type { Candidate, CandidateAnalysis, Verdict } from '../core/types';
import type { Store } from '../store/store';
import { problemTitle as readableTitle } from '../core/title';
import { candidateFilePath, ensureCandidateFile, parseCandidateFileUri, problemTitle } from './files';
import { LikelyOrder } from './likelyOrder';
import {
  type CandidateDetail,
  type CandidateQuery,
  type CandidateSort,
  type CandidateSummary,
  candidateUri,
  candidateUriPath,
  parseCandidateUri,
  type Highlight,
  type LikelyRanking,
  MaxPageSize,
  type NextUnreviewedParams,
  type Page,
  type PanelCandidate,
  type ProblemPanel,
  type ProblemsParams,
  type ProblemSummary,
  type ReviewOrder,
  type ReviewSetInfo,
  type TestView,
  type VerdictResult,
} from './protocol';

/** A lookup that found nothing: the server answers it with InvalidParams naming the id. */
export class NotFound extends Error {
  override readonly name = 'NotFound';
}

const DefaultPageSize = 100;
/** The store's own cap on one summaries query. */
const StorePage = 5000;

type OrderKey = `${'score' | 'id' | 'problem'}:${'asc' | 'desc'}`;

/** One filtered query's rows in the `likely` order, kept while the order and the filter stay the same. */
interface LikelyRows {
  readonly key: string;
  readonly items: readonly CandidateSummary[];
}

export class ReviewSession {
  /** Candidate ids in a given order, for next/previous navigation; dropped whenever analyses change. */
  private readonly orders = new Map<OrderKey, { ids: string[]; index: Map<string, number> }>();
  /** The `likely` order, learned from the verdicts; created on first use. */
  private likely: LikelyOrder | undefined;
  private likelyRows: LikelyRows | undefined;
  /** The order next/previous walk when a request names none (`loophole/reviewOrder`). */
  private _reviewOrder: ReviewOrder = {};
  /** Problem titles, by problem id (statements do not change while a set is open). */
  private readonly titles = new Map<string, string>();
  /** Whole review orders (see `reviewIds`), by their key; dropped whenever analyses change. */
  private readonly reviewOrders = new Map<string, { ids: string[]; index: Map<string, number> }>();

  constructor(
    readonly store: Store,
    /** The path that was opened, as the client gave it. */
    readonly path: string,
    /** The folder holding the data (and `.loophole/`); relative `Problem.source` paths start here. */
    readonly dataDir: string,
  ) {}

  close(): void {
    this.likely?.dispose();
    this.store.close();
  }

  /** Analyses changed: orders by score, and the learned order, are stale. */
  invalidate(): void {
    this.orders.clear();
    this.reviewOrders.clear();
    this.likely?.invalidate();
    this.likelyRows = undefined;
  }

  /** The learned order's state, for `loophole/agreement`. */
  async likelyRanking(): Promise<LikelyRanking> {
    return (await this.likelyOrder().current()).ranking;
  }

  private likelyOrder(): LikelyOrder {
    return (this.likely ??= new LikelyOrder(this.store));
  }

  info(): ReviewSetInfo {
    const s = this.store;
    const candidates = s.candidateCount();
    // Every analysis has is_hack set, so hacks + non-hacks counts analyses (a score bound would scan).
    const hacks = s.summaries({ limit: 0, isHack: true }).total;
    return {
      path: this.path,
      dbPath: s.dbPath,
      problems: s.problemSummaries({ limit: 0 }).total,
      candidates,
      analysed: hacks + s.summaries({ limit: 0, isHack: false }).total,
      hacks,
      reviewed: candidates - s.summaries({ limit: 0, verdict: 'none' }).total,
    };
  }

  problems(q: ProblemsParams): Page<ProblemSummary> {
    const offset = q.offset ?? 0;
    const r = this.store.problemSummaries({ offset, limit: pageSize(q.limit), ...(q.sort ? { sort: q.sort } : {}) });
    return { total: r.total, offset, items: r.items };
  }

  async candidates(q: CandidateQuery): Promise<Page<CandidateSummary>> {
    const { sort, ...rest } = q;
    if (sort === 'likely') return this.likelyPage(q);
    const offset = q.offset ?? 0;
    const r = this.store.summaries({ ...rest, ...(sort ? { sort } : {}), offset, limit: pageSize(q.limit) });
    return { total: r.total, offset, items: r.items };
  }

  /**
   * A page in the `likely` order: every row matching the filter is read (in store pages) and ordered
   * by its place in the learned order; the ordered rows are kept for the next page of the same query
   * until a verdict or an analysis changes.
   */
  private async likelyPage(q: CandidateQuery): Promise<Page<CandidateSummary>> {
    const snap = await this.likelyOrder().current();
    const { sort: _s, offset = 0, limit, order = 'desc', ...filter } = q;
    const key = `${snap.version}|${order}|${JSON.stringify(filter)}`;
    if (this.likelyRows?.key !== key) {
      const place = this.likelyPlaces(snap.ranked, order);
      const items: CandidateSummary[] = [];
      for (let off = 0; ; off += StorePage) {
        const page = this.store.summaries({ ...filter, sort: 'id', order: 'asc', offset: off, limit: StorePage });
        items.push(...page.items);
        if (page.items.length < StorePage) break;
      }
      // Unanalysed rows (no place) stay last, by id, in either direction.
      items.sort((x, y) => (place.get(x.id) ?? Infinity) - (place.get(y.id) ?? Infinity) || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
      this.likelyRows = { key, items };
    }
    const items = this.likelyRows.items;
    return { total: items.length, offset, items: items.slice(offset, offset + pageSize(limit)), ranking: snap.ranking };
  }

  private likelyPlaces(ranked: readonly string[], order: 'asc' | 'desc'): Map<string, number> {
    return new Map(ranked.map((id, i) => [id, order === 'desc' ? i : ranked.length - 1 - i]));
  }

  candidate(id: string): Candidate {
    const c = this.store.candidate(id);
    if (!c) throw new NotFound(`no candidate '${id}' in this review set`);
    return c;
  }

  /**
   * The candidate a `loophole:` URI or a candidate file's `file://` URI names, or undefined. Tolerates
   * editors that decode `%2F` into `/`.
   */
  resolveUri(uri: string): Candidate | undefined {
    const f = parseCandidateFileUri(uri, this.dataDir);
    if (f) {
      const c = this.store.candidate(f.candidateId);
      return c && c.problemId === f.problemId ? c : undefined;
    }
    const named = parseCandidateUri(uri);
    if (named) {
      const c = this.store.candidate(named.candidateId);
      if (c && c.problemId === named.problemId) return c;
    }
    // The older `loophole:/<problem>/<candidate>.py`: either id may hold `/`.
    const p = candidateUriPath(uri);
    if (p === undefined) return undefined;
    for (let i = p.indexOf('/'); i >= 0; i = p.indexOf('/', i + 1)) {
      const c = this.store.candidate(p.slice(i + 1));
      if (c && c.problemId === p.slice(0, i)) return c;
    }
    return undefined;
  }

  /** Writes (when missing or stale) the candidate's read-only file and returns its `file://` URI. */
  fileUri(id: string): string {
    const c = this.candidate(id);
    return ensureCandidateFile(candidateFilePath(this.dataDir, c.problemId, c.id, this.statementOf(c.problemId)), c.code);
  }

  /** A problem's readable title (the first line of its statement), for file names and symbol names. */
  problemTitle(problemId: string): string {
    let t = this.titles.get(problemId);
    if (t === undefined) this.titles.set(problemId, (t = problemTitle(this.statementOf(problemId), problemId)));
    return t;
  }

  /**
   * Every candidate, most suspicious first (unanalysed last, then by id), with what a symbol name
   * shows; one light query rather than pages of summaries.
   */
  *rankedCandidates(): IterableIterator<{ id: string; problemId: string; score?: number; isHack?: boolean; verdict?: string }> {
    let rows: { id: string; problem_id: string; score: number | null; is_hack: number | null; verdict: string | null }[];
    try {
      rows = this.store.db
        .prepare(
          `SELECT c.id AS id, c.problem_id AS problem_id, a.hack_probability AS score, a.is_hack AS is_hack, v.label AS verdict
           FROM candidates c LEFT JOIN analyses a ON a.candidate_id = c.id LEFT JOIN current_verdicts v ON v.candidate_id = c.id
           ORDER BY a.hack_probability IS NULL, a.hack_probability DESC, c.id`,
        )
        .all() as typeof rows;
    } catch {
      rows = [];
      for (let off = 0; ; off += StorePage) {
        const page = this.store.summaries({ sort: 'score', order: 'desc', offset: off, limit: StorePage });
        for (const c of page.items)
          rows.push({
            id: c.id,
            problem_id: c.problemId,
            score: c.hackProbability ?? null,
            is_hack: c.isHack === undefined ? null : c.isHack ? 1 : 0,
            verdict: c.verdict ?? null,
          });
        if (page.items.length < StorePage) break;
      }
    }
    for (const r of rows) {
      yield {
        id: r.id,
        problemId: r.problem_id,
        ...(r.score !== null ? { score: Number(r.score) } : {}),
        ...(r.is_hack !== null ? { isHack: Number(r.is_hack) === 1 } : {}),
        ...(r.verdict !== null ? { verdict: r.verdict } : {}),
      };
    }
  }

  private statementOf(problemId: string): string | undefined {
    return this.store.problem(problemId)?.statement;
  }

  detail(id: string): CandidateDetail {
    const candidate = this.candidate(id);
    const problem = this.store.problem(candidate.problemId);
    if (!problem) throw new NotFound(`candidate '${id}' names problem '${candidate.problemId}', which is not in this review set`);
    const a = this.store.analysis(id);
    const results = new Map((a?.tests ?? []).map((t) => [t.testId, t]));
    const tests: TestView[] = problem.tests.map((test) => {
      const result = results.get(test.id);
      return result ? { test, result } : { test };
    });
    const verdict = this.store.currentVerdict(id);
    return {
      candidate,
      uri: candidateUri(problem.id, id, readableTitle(problem.statement, problem.id)),
      problem: {
        id: problem.id,
        statement: problem.statement,
        style: problem.style,
        ...(problem.entryPoint !== undefined ? { entryPoint: problem.entryPoint } : {}),
      },
      tests,
      analysed: a !== undefined,
      findings: a?.findings ?? [],
      highlights: highlightsOf(a),
      scores: a?.scores ?? [],
      ...(a ? { hackProbability: a.hackProbability, category: a.category, isHack: a.isHack } : {}),
      verdict: verdict ?? null,
      history: this.store.verdictHistory(id),
      picked: this.store.pick(problem.id) === id,
    };
  }

  /** `Problem.source` of a candidate's problem (for diagnostics' related information). */
  problemSource(problemId: string): string | undefined {
    return this.store.problem(problemId)?.source;
  }

  setVerdict(candidateId: string, label: Verdict['label'], reviewer: string, note?: string): VerdictResult {
    this.candidate(candidateId);
    this.store.addVerdict({ candidateId, label, reviewer, at: new Date().toISOString(), ...(note ? { note } : {}) });
    return this.verdictResult(candidateId);
  }

  undoVerdict(candidateId: string, reviewer: string): VerdictResult {
    this.candidate(candidateId);
    this.store.retractVerdict(candidateId, reviewer);
    return this.verdictResult(candidateId);
  }

  private verdictResult(candidateId: string): VerdictResult {
    return {
      candidateId,
      verdict: this.store.currentVerdict(candidateId) ?? null,
      history: this.store.verdictHistory(candidateId),
    };
  }

  get reviewOrder(): ReviewOrder {
    return this._reviewOrder;
  }

  set reviewOrder(o: ReviewOrder) {
    this._reviewOrder = o;
  }

  /**
   * Walks the review order (the request's, which becomes the session's, else the session's) from `from`
   * (exclusive) and returns the first candidate without a verdict in force. The order is computed once
   * per order and kept until analyses change; verdicts are checked live, so a verdict set a moment ago
   * is respected. A verdict filter other than `none` leaves nothing unreviewed to walk.
   */
  async nextUnreviewed(p: NextUnreviewedParams): Promise<string | null> {
    if (p.order) this._reviewOrder = p.order;
    const o = this._reviewOrder;
    if (o.verdict !== undefined && o.verdict !== 'none') return null;
    const { ids, index } = await this.reviewIds(o);
    const step = p.direction === 'next' ? 1 : -1;
    const at = p.from !== undefined ? index.get(p.from) : undefined;
    let i = at !== undefined ? at + step : step > 0 ? 0 : ids.length - 1;
    for (; i >= 0 && i < ids.length; i += step) {
      if (!this.store.currentVerdict(ids[i]!)) return ids[i]!;
    }
    return null;
  }

  /**
   * Every candidate id in a review order, as the Candidates tree shows them: the sort (with its
   * direction), restricted to the filter (all but the verdict filter, which changes with every verdict
   * and is applied while walking), and, grouped by problem, problems in the tree's order with each one's
   * candidates in the sort's order within.
   */
  async reviewIds(o: ReviewOrder): Promise<{ ids: string[]; index: Map<string, number> }> {
    const sort: CandidateSort = o.sort ?? 'score';
    const dir = o.order ?? (sort === 'score' || sort === 'likely' ? 'desc' : 'asc');
    const { verdict: _v, ...rest } = o;
    const likelyVersion = sort === 'likely' ? (await this.likelyOrder().current()).version : '';
    const key = `${likelyVersion}|${JSON.stringify({ ...rest, sort, order: dir, grouping: o.grouping ?? 'problem' })}`;
    const known = this.reviewOrders.get(key);
    if (known) return known;
    let ids = sort === 'likely' ? (await this.likelyIds(dir)).ids : this.order(sort, dir).ids;
    const filter = {
      ...(o.isHack !== undefined ? { isHack: o.isHack } : {}),
      ...(o.minScore !== undefined ? { minScore: o.minScore } : {}),
      ...(o.maxScore !== undefined ? { maxScore: o.maxScore } : {}),
      ...(o.scorer !== undefined ? { scorer: o.scorer } : {}),
      ...(o.promptVariant !== undefined ? { promptVariant: o.promptVariant } : {}),
      ...(o.model !== undefined ? { model: o.model } : {}),
    };
    if (Object.keys(filter).length > 0) {
      const keep = new Set<string>();
      for (let off = 0; ; off += StorePage) {
        const page = this.store.summaries({ ...filter, sort: 'id', order: 'asc', offset: off, limit: StorePage });
        for (const item of page.items) keep.add(item.id);
        if (page.items.length < StorePage) break;
      }
      ids = ids.filter((id) => keep.has(id));
    }
    if ((o.grouping ?? 'problem') === 'problem') {
      // The tree lists problems most suspicious first when sorting by score (or the learned order), else
      // in their file order; a stable sort keeps each problem's candidates in the sort's order.
      const rank = new Map<string, number>();
      for (let off = 0; ; off += StorePage) {
        const page = this.store.problemSummaries({
          sort: sort === 'score' || sort === 'likely' ? 'score' : 'id',
          offset: off,
          limit: StorePage,
        });
        for (const p of page.items) rank.set(p.id, rank.size);
        if (page.items.length < StorePage) break;
      }
      const problemOf = this.problemsOf();
      const at = (id: string) => rank.get(problemOf.get(id) ?? '') ?? Infinity;
      ids = ids
        .map((id, i) => ({ id, i, r: at(id) }))
        .sort((a, b) => a.r - b.r || a.i - b.i)
        .map((x) => x.id);
    }
    const o2 = { ids, index: new Map(ids.map((id, i) => [id, i])) };
    this.reviewOrders.set(key, o2);
    return o2;
  }

  /** Candidate id → problem id, for every candidate. */
  private problemsOf(): Map<string, string> {
    try {
      const rows = this.store.db.prepare('SELECT id, problem_id FROM candidates').all() as { id: string; problem_id: string }[];
      return new Map(rows.map((r) => [r.id, r.problem_id]));
    } catch {
      const m = new Map<string, string>();
      for (let off = 0; ; off += StorePage) {
        const page = this.store.summaries({ sort: 'id', order: 'asc', offset: off, limit: StorePage });
        for (const item of page.items) m.set(item.id, item.problemId);
        if (page.items.length < StorePage) break;
      }
      return m;
    }
  }

  /** Every candidate in the learned order: analysed ones by their place, then the rest by id. */
  private async likelyIds(dir: 'asc' | 'desc'): Promise<{ ids: string[]; index: Map<string, number> }> {
    const snap = await this.likelyOrder().current();
    const ranked = dir === 'desc' ? [...snap.ranked] : [...snap.ranked].reverse();
    const seen = new Set(ranked);
    const ids = [...ranked, ...this.order('id', 'asc').ids.filter((id) => !seen.has(id))];
    return { ids, index: new Map(ids.map((id, i) => [id, i])) };
  }

  private order(sort: 'score' | 'id' | 'problem', dir: 'asc' | 'desc'): { ids: string[]; index: Map<string, number> } {
    const key: OrderKey = `${sort}:${dir}`;
    let o = this.orders.get(key);
    if (!o) {
      const ids = this.orderedIdsBySql(sort, dir) ?? this.orderedIdsByPages(sort, dir);
      o = { ids, index: new Map(ids.map((id, i) => [id, i])) };
      this.orders.set(key, o);
    }
    return o;
  }

  /**
   * Every id in one query, ordered exactly as `Store.summaries` orders them. The store has no such
   * method yet, and paging `summaries` re-sorts the whole set for every page (seconds at 100,000), so
   * this reads the store's tables directly; if their shape ever differs, it yields to the paged way.
   */
  private orderedIdsBySql(sort: 'score' | 'id' | 'problem', dir: 'asc' | 'desc'): string[] | undefined {
    const d = dir === 'asc' ? 'ASC' : 'DESC';
    const order =
      sort === 'score'
        ? `a.hack_probability IS NULL, a.hack_probability ${d}, c.id`
        : sort === 'id'
          ? `c.id ${d}`
          : `c.problem_id ${d}, c.ord ${d}`;
    try {
      const rows = this.store.db
        .prepare(`SELECT c.id AS id FROM candidates c LEFT JOIN analyses a ON a.candidate_id = c.id ORDER BY ${order}`)
        .all() as { id: string }[];
      return rows.map((r) => r.id);
    } catch {
      return undefined;
    }
  }

  private orderedIdsByPages(sort: 'score' | 'id' | 'problem', dir: 'asc' | 'desc'): string[] {
    const ids: string[] = [];
    for (let offset = 0; ; offset += StorePage) {
      const page = this.store.summaries({ sort, order: dir, offset, limit: StorePage });
      for (const item of page.items) ids.push(item.id);
      if (page.items.length < StorePage) break;
    }
    return ids;
  }

  problemPanel(problemId: string): ProblemPanel {
    const problem = this.store.problem(problemId);
    if (!problem) throw new NotFound(`no problem '${problemId}' in this review set`);
    const scorers = new Set<string>();
    const title = readableTitle(problem.statement, problemId);
    const candidates: PanelCandidate[] = this.store
      .candidatesOf(problemId)
      .sort((x, y) => (x.sampleIndex ?? Infinity) - (y.sampleIndex ?? Infinity) || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0))
      .map((c) => {
        const a = this.store.analysis(c.id);
        for (const s of a?.scores ?? []) scorers.add(s.scorer);
        const outcomes: Record<string, PanelCandidate['outcomes'][string]> = {};
        for (const t of a?.tests ?? []) outcomes[t.testId] = t.outcome;
        return {
          id: c.id,
          uri: candidateUri(problemId, c.id, title),
          code: c.code,
          ...(c.reasoning !== undefined ? { reasoning: c.reasoning } : {}),
          ...(c.sampleIndex !== undefined ? { sampleIndex: c.sampleIndex } : {}),
          ...(c.promptVariant !== undefined ? { promptVariant: c.promptVariant } : {}),
          ...(c.model !== undefined ? { model: c.model } : {}),
          analysed: a !== undefined,
          ...(a ? { hackProbability: a.hackProbability, category: a.category, isHack: a.isHack } : {}),
          findings: a?.findings ?? [],
          scores: a?.scores ?? [],
          outcomes,
          verdict: this.store.currentVerdict(c.id) ?? null,
        };
      });
    return { problem, candidates, scorers: [...scorers].sort(), pick: this.store.pick(problemId) ?? null };
  }

  setPick(problemId: string, candidateId: string | null, reviewer: string): { previous: string | null; pick: string | null } {
    if (!this.store.problem(problemId)) throw new NotFound(`no problem '${problemId}' in this review set`);
    if (candidateId !== null && this.candidate(candidateId).problemId !== problemId) {
      throw new NotFound(`candidate '${candidateId}' does not belong to problem '${problemId}'`);
    }
    const previous = this.store.pick(problemId) ?? null;
    this.store.setPick(problemId, candidateId ?? undefined, reviewer);
    return { previous, pick: this.store.pick(problemId) ?? null };
  }
}

function pageSize(limit: number | undefined): number {
  return Math.min(limit ?? DefaultPageSize, MaxPageSize);
}

function highlightsOf(a: CandidateAnalysis | undefined): Highlight[] {
  return (a?.findings ?? [])
    .filter((f) => f.kind !== 'reasoning')
    .map((f) => ({ startLine: f.range.startLine, endLine: f.range.endLine, kind: f.kind, weight: f.weight, message: f.message }));
}
