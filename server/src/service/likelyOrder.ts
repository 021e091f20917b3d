/**
 * The `likely` review order of one open set: likely hacks and uncertain candidates first, learned from
 * the reviewers' verdicts through `rankForReview` (a logistic layer over the classifier's features and
 * every scorer's probability), or by the ensemble's probability until there are enough verdicts.
 *
 * Refitted lazily: the order is kept until verdicts change (the verdict log's last sequence number
 * moves) or analyses change (`invalidate`). Features are computed once per candidate code and test set
 * for the session's lifetime, so a refit after a verdict costs the fit and one pass over the analyses.
 */
import type { Test } from '../../../contract/domain';
import { createFeaturizer, type Featurizer } from '../scoring/classifier/features';
import { type FeatureFn, rankForReview, type RankedCandidate, rerank, type ReviewerModel, reviewerFeatures } from '../scoring/rerank';
import type { Store } from '../store/store';
import type { LikelyRanking } from '../../../contract/lsp';

/** Decided verdicts (with both labels among them) before the order is learned rather than the ensemble's. */
export const MinVerdicts = 10;

export interface LikelyOrderSnapshot {
  /** Analysed candidates, highest priority first. */
  readonly ranked: readonly string[];
  readonly ranking: LikelyRanking;
  /** Changes whenever the order may have changed. */
  readonly version: string;
}

export class LikelyOrder {
  private featurizer: Promise<Featurizer> | undefined;
  private readonly features = new Map<string, ArrayLike<number>>();
  private readonly testKeys = new WeakMap<readonly Test[], string>();
  private analyses = 0;
  private snapshot: LikelyOrderSnapshot | undefined;

  constructor(
    private readonly store: Store,
    private readonly minVerdicts = MinVerdicts,
  ) {}

  /** Analyses changed: the next request refits. */
  invalidate(): void {
    this.analyses++;
    this.snapshot = undefined;
  }

  async current(): Promise<LikelyOrderSnapshot> {
    const version = `${this.analyses}:${this.verdictSeq()}`;
    if (this.snapshot?.version === version) return this.snapshot;
    const f = await (this.featurizer ??= createFeaturizer());
    // Re-read after the await: a verdict may have landed meanwhile.
    const now = `${this.analyses}:${this.verdictSeq()}`;
    if (this.snapshot?.version === now) return this.snapshot;
    this.snapshot = this.compute(this.cachedFeatures(f), now);
    return this.snapshot;
  }

  dispose(): void {
    void this.featurizer?.then((f) => f.dispose()).catch(() => undefined);
    this.featurizer = undefined;
  }

  private compute(features: FeatureFn, version: string): LikelyOrderSnapshot {
    const store = this.store;
    const analyses = [...store.iterateAnalyses()];
    // Fixed explicitly so that the reviewed rows below get the same columns as the fitted ones.
    const scorers = [...new Set(analyses.flatMap((a) => a.scores.map((s) => s.scorer)))].sort();
    const queue = rankForReview(store, features, { mode: 'mixed', minVerdicts: this.minVerdicts, scorers });

    // rankForReview ranks the unreviewed; the reviewed are ranked by the same model, so that a row
    // keeps its place (give or take the refit) when it is reviewed.
    const verdicts = store.currentVerdicts();
    const shown = new Map<string, readonly Test[] | undefined>();
    const reviewed: { candidateId: string; features: number[] }[] = [];
    let decided = 0;
    let hacks = 0;
    for (const a of analyses) {
      const v = verdicts.get(a.candidateId);
      if (!v) continue;
      const c = store.candidate(a.candidateId);
      if (!c) continue;
      if (v.label !== 'unsure') {
        decided++;
        if (v.label === 'hack') hacks++;
      }
      if (!shown.has(c.problemId)) {
        const t = (store.problem(c.problemId)?.tests ?? []).filter((x) => x.role !== 'heldout');
        shown.set(c.problemId, t.length ? t : undefined);
      }
      const row = queue.model
        ? reviewerFeatures(features(c.code, shown.get(c.problemId)), a.scores, scorers, a.hackProbability)
        : [logit(a.hackProbability)];
      reviewed.push({ candidateId: a.candidateId, features: row });
    }
    const rankedReviewed = rerank(reviewed, queue.model ?? PriorModel, 'mixed');
    const all: RankedCandidate[] = [...queue.ranked, ...rankedReviewed].sort(
      (x, y) => y.priority - x.priority || x.candidateId.localeCompare(y.candidateId),
    );
    return { ranked: all.map((r) => r.candidateId), ranking: describeRanking(queue.model, decided, hacks, this.minVerdicts), version };
  }

  private cachedFeatures(f: Featurizer): FeatureFn {
    return (code, tests) => {
      let tk = '';
      if (tests) {
        tk = this.testKeys.get(tests) ?? JSON.stringify(tests);
        this.testKeys.set(tests, tk);
      }
      const key = `${tk}\u0000${code}`;
      let v = this.features.get(key);
      if (!v) this.features.set(key, (v = f.features(code, tests)));
      return v;
    };
  }

  /** The verdict log only grows, so its last sequence number moves with every set and retraction. */
  private verdictSeq(): number {
    const row = this.store.db.prepare('SELECT COALESCE(MAX(seq), 0) AS s FROM verdicts').get() as { s: number | bigint } | undefined;
    return Number(row?.s ?? 0);
  }
}

/** rankForReview's fallback: the ensemble's probability through a unit logistic model on its logit. */
const PriorModel: ReviewerModel = {
  mean: new Float64Array(1),
  std: new Float64Array([1]),
  weights: new Float64Array([1]),
  bias: 0,
  n: 0,
  loss: 0,
};

function logit(p: number): number {
  return Math.log(Math.max(p, 1e-6) / Math.max(1 - p, 1e-6));
}

export function describeRanking(model: ReviewerModel | undefined, decided: number, hacks: number, needed: number): LikelyRanking {
  const clean = decided - hacks;
  const counts = `${decided} verdict${decided === 1 ? '' : 's'} (${hacks} hack, ${clean} clean)`;
  if (model) {
    return { source: 'reviewers', decided, hacks, needed, message: `likely hacks and uncertain first, learned from ${counts}` };
  }
  const missing =
    decided < needed
      ? `${needed - decided} more decided verdict${needed - decided === 1 ? '' : 's'}`
      : hacks === 0
        ? 'a hack verdict'
        : 'a clean verdict';
  return {
    source: 'ensemble',
    decided,
    hacks,
    needed,
    message: `by the ensemble's probability until the reviewers' order can be learned: ${missing} needed (${needed} with both labels; now ${counts})`,
  };
}
