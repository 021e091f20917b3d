/**
 * The store as a curation source: problems in store order, each problem's candidates with their
 * analysis, current verdict and the reviewer's pick. One problem's rows are in memory at a time;
 * the current verdicts (one per reviewed candidate) are read once.
 */
import type { Store } from '../store/store';
import type { CurationItem, CurationSource } from '../../../contract/curation';

/** The part of `Store` curation reads; anything with these methods will do. */
export type CurationStore = Pick<Store, 'problems' | 'iterateCandidatesWithAnalyses' | 'currentVerdicts' | 'picks'>;

export function storeSource(store: CurationStore): CurationSource {
  let problems: ReturnType<CurationStore['problems']> | undefined;
  const all = () => (problems ??= store.problems());
  return {
    problemIds: () => all().map((p) => p.id),
    *items(): Generator<CurationItem> {
      const byId = new Map(all().map((p) => [p.id, p]));
      const verdicts = store.currentVerdicts();
      const picks = store.picks();
      // One streaming query in problem order: rows of one problem arrive together.
      for (const { candidate, analysis } of store.iterateCandidatesWithAnalyses()) {
        const problem = byId.get(candidate.problemId);
        if (!problem) continue;
        const verdict = verdicts.get(candidate.id);
        yield {
          problem,
          candidate,
          ...(analysis ? { analysis } : {}),
          ...(verdict ? { verdict } : {}),
          ...(picks.get(problem.id) === candidate.id ? { pick: true } : {}),
        };
      }
    },
  };
}

/** An in-memory source (tests, previews of a handful of items). Items must be grouped by problem. */
export function arraySource(items: readonly CurationItem[]): CurationSource {
  return {
    problemIds: () => [...new Set(items.map((i) => i.problem.id))],
    items: () => items,
  };
}
