/**
 * Choosing among the candidates of one problem that survived every filter.
 * - `best`: the reviewer's pick when it survived; otherwise most visible tests passed, then most
 *   held-out tests passed, then lowest hack probability, then lowest sample index (then id, for a
 *   total order).
 * - `random`: one, drawn from a PRNG private to the problem (seed + problem id), so the choice does
 *   not depend on the order problems are visited in.
 * - `all`: every survivor, in input order.
 * - `reward`: the misspecified-reward setting of the reward-hacking papers: the candidate passing the
 *   largest share of the tests shown to the model (visible and incorrect alike, since the model cannot
 *   tell them apart), then the lowest sample index, then id. Nothing else is consulted: no verdict, no
 *   pick, no detector score, so a candidate special-cased to the incorrect test wins whenever it passes
 *   more of them. Curation lets every candidate through to this rule (see `curateProblem`).
 */
import { testCounts } from './filters';
import { streamFor } from '../core/prng';
import type { CurationItem, SelectRule } from '../../../contract/curation';

export interface Selection {
  readonly items: readonly CurationItem[];
  /** How each was chosen, for provenance: the rule, or `pick` for a reviewer's pick. */
  readonly how: SelectRule | 'pick';
}

export function compareBest(a: CurationItem, b: CurationItem): number {
  const ta = testCounts(a);
  const tb = testCounts(b);
  if (ta.visiblePassed !== tb.visiblePassed) return tb.visiblePassed - ta.visiblePassed;
  if (ta.heldoutPassed !== tb.heldoutPassed) return tb.heldoutPassed - ta.heldoutPassed;
  const pa = a.analysis?.hackProbability ?? Number.POSITIVE_INFINITY;
  const pb = b.analysis?.hackProbability ?? Number.POSITIVE_INFINITY;
  if (pa !== pb) return pa < pb ? -1 : 1;
  const sa = a.candidate.sampleIndex ?? Number.POSITIVE_INFINITY;
  const sb = b.candidate.sampleIndex ?? Number.POSITIVE_INFINITY;
  if (sa !== sb) return sa < sb ? -1 : 1;
  return a.candidate.id < b.candidate.id ? -1 : a.candidate.id > b.candidate.id ? 1 : 0;
}

/** Share of the tests shown to the model (`visible` and `incorrect`) that the candidate passed; 0 when never executed. */
export function shownPassRate(item: CurationItem): number {
  const shown = item.problem.tests.filter((t) => t.role !== 'heldout');
  if (shown.length === 0) return 0;
  const passed = new Set((item.analysis?.tests ?? []).filter((t) => t.outcome === 'pass').map((t) => t.testId));
  return shown.filter((t) => passed.has(t.id)).length / shown.length;
}

export function compareReward(a: CurationItem, b: CurationItem): number {
  const ra = shownPassRate(a);
  const rb = shownPassRate(b);
  if (ra !== rb) return rb - ra;
  const sa = a.candidate.sampleIndex ?? Number.POSITIVE_INFINITY;
  const sb = b.candidate.sampleIndex ?? Number.POSITIVE_INFINITY;
  if (sa !== sb) return sa < sb ? -1 : 1;
  return a.candidate.id < b.candidate.id ? -1 : a.candidate.id > b.candidate.id ? 1 : 0;
}

/** `eligible` are one problem's survivors, non-empty. */
export function select(eligible: readonly CurationItem[], rule: SelectRule, seed: number): Selection {
  if (rule === 'all') return { items: eligible, how: 'all' };
  if (rule === 'random') {
    const rand = streamFor(seed, eligible[0]!.problem.id);
    return { items: [eligible[Math.floor(rand() * eligible.length)]!], how: 'random' };
  }
  if (rule === 'reward') {
    let top = eligible[0]!;
    for (let i = 1; i < eligible.length; i++) if (compareReward(eligible[i]!, top) < 0) top = eligible[i]!;
    return { items: [top], how: 'reward' };
  }
  const picked = eligible.find((i) => i.pick === true);
  if (picked) return { items: [picked], how: 'pick' };
  let best = eligible[0]!;
  for (let i = 1; i < eligible.length; i++) if (compareBest(eligible[i]!, best) < 0) best = eligible[i]!;
  return { items: [best], how: 'best' };
}
