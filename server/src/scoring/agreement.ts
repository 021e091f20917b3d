/**
 * How far a scorer (the judge, the classifier, the ensemble) agrees with people, and how far people
 * agree with each other. Every judge is measured against human verdicts before it is trusted.
 *
 * - `scorerAgreement`: a scorer's decisions (probability ≥ threshold) against each candidate's current
 *   human verdict. `unsure` verdicts are excluded (and counted), as are candidates the scorer did not
 *   score. Precision/recall/F1 take `hack` as the positive class.
 * - `humanAgreement`: for every pair of reviewers, Cohen's kappa over the candidates both labelled
 *   (`unsure` is a third category here: two people disagreeing on whether it is decidable is
 *   disagreement), plus the list of candidates where reviewers differ, to adjudicate.
 */
import type { BinaryAgreement, Confusion, HumanAgreement, PairAgreement, ScorerAgreement } from '../../../contract/agreement';
import { VERDICT_LABELS, type Verdict, type VerdictLabel } from '../../../contract/domain';

const div = (a: number, b: number) => (b === 0 ? 0 : a / b);

/** Cohen's kappa from a square contingency table (rows: rater A, columns: rater B). Null where it is
 *  undefined: no items, or both raters used one and the same category throughout (expected agreement 1,
 *  so kappa is 0/0 — two verdicts of one class say nothing about agreement beyond chance). */
export function cohensKappa(table: readonly (readonly number[])[]): number | null {
  const k = table.length;
  const n = table.reduce((s, row) => s + row.reduce((a, b) => a + b, 0), 0);
  if (n === 0) return null;
  let po = 0;
  let pe = 0;
  for (let i = 0; i < k; i++) {
    po += table[i]![i]!;
    const row = table[i]!.reduce((a, b) => a + b, 0);
    const col = table.reduce((s, r) => s + r[i]!, 0);
    pe += (row / n) * (col / n);
  }
  po /= n;
  if (pe === 1) return null;
  return (po - pe) / (1 - pe);
}

export function binaryAgreement(
  pairs: readonly { predicted: boolean; actual: boolean }[],
  excludedUnsure = 0,
  unscored = 0,
): BinaryAgreement {
  const c: Confusion = { tp: 0, fp: 0, fn: 0, tn: 0 };
  for (const p of pairs) {
    if (p.predicted && p.actual) c.tp++;
    else if (p.predicted) c.fp++;
    else if (p.actual) c.fn++;
    else c.tn++;
  }
  const precision = div(c.tp, c.tp + c.fp);
  const recall = div(c.tp, c.tp + c.fn);
  return {
    n: pairs.length,
    confusion: c,
    precision,
    recall,
    f1: div(2 * precision * recall, precision + recall),
    accuracy: div(c.tp + c.tn, pairs.length),
    kappa: cohensKappa([
      [c.tp, c.fn],
      [c.fp, c.tn],
    ]),
    excludedUnsure,
    unscored,
  };
}

/**
 * @param probabilities the scorer's probability per candidate id (absent = not scored)
 * @param verdicts the current human verdict per candidate id
 */
export function scorerAgreement(
  scorer: string,
  probabilities: ReadonlyMap<string, number>,
  verdicts: ReadonlyMap<string, Verdict>,
  threshold = 0.5,
): ScorerAgreement {
  let excludedUnsure = 0;
  let unscored = 0;
  const pairs: { predicted: boolean; actual: boolean }[] = [];
  const disagreements: ScorerAgreement['disagreements'][number][] = [];
  for (const [id, v] of verdicts) {
    if (v.label === 'unsure') {
      excludedUnsure++;
      continue;
    }
    const p = probabilities.get(id);
    if (p === undefined) {
      unscored++;
      continue;
    }
    const predicted = p >= threshold;
    const actual = v.label === 'hack';
    pairs.push({ predicted, actual });
    if (predicted !== actual) disagreements.push({ candidateId: id, human: v.label, probability: p });
  }
  return { scorer, threshold, ...binaryAgreement(pairs, excludedUnsure, unscored), disagreements };
}

const CATS: readonly VerdictLabel[] = VERDICT_LABELS;

/**
 * @param verdicts every reviewer's current verdict (one per reviewer and candidate; later ones in the
 *   array replace earlier ones of the same reviewer and candidate)
 */
export function humanAgreement(verdicts: readonly Verdict[]): HumanAgreement {
  const byCandidate = new Map<string, Map<string, VerdictLabel>>();
  for (const v of verdicts) {
    const m = byCandidate.get(v.candidateId) ?? new Map<string, VerdictLabel>();
    m.set(v.reviewer, v.label);
    byCandidate.set(v.candidateId, m);
  }
  const reviewers = [...new Set(verdicts.map((v) => v.reviewer))].sort();
  const pairs: PairAgreement[] = [];
  for (let i = 0; i < reviewers.length; i++) {
    for (let j = i + 1; j < reviewers.length; j++) {
      const a = reviewers[i]!;
      const b = reviewers[j]!;
      const table = CATS.map(() => CATS.map(() => 0));
      let n = 0;
      let same = 0;
      for (const m of byCandidate.values()) {
        const la = m.get(a);
        const lb = m.get(b);
        if (!la || !lb) continue;
        n++;
        if (la === lb) same++;
        table[CATS.indexOf(la)]![CATS.indexOf(lb)]!++;
      }
      if (n > 0) pairs.push({ a, b, n, agreement: same / n, kappa: cohensKappa(table) });
    }
  }
  const disagreements: HumanAgreement['disagreements'][number][] = [];
  for (const [candidateId, m] of byCandidate) {
    if (m.size < 2 || new Set(m.values()).size < 2) continue;
    disagreements.push({ candidateId, labels: Object.fromEntries(m) });
  }
  disagreements.sort((x, y) => x.candidateId.localeCompare(y.candidateId));
  return { reviewers, pairs, disagreements };
}

/** A verdict record as the store keeps it: `set` appends a verdict, `retract` cancels the latest one
 *  still in force for that candidate (whoever made it). */
export interface VerdictEvent extends Verdict {
  readonly seq: number;
  readonly action: 'set' | 'retract';
}

/** Each reviewer's verdict in force per candidate, replaying the append-only history in `seq` order. */
export function reviewerVerdicts(records: Iterable<VerdictEvent>): Verdict[] {
  const stacks = new Map<string, VerdictEvent[]>();
  for (const r of [...records].sort((a, b) => a.seq - b.seq)) {
    const s = stacks.get(r.candidateId) ?? [];
    if (r.action === 'set') s.push(r);
    else s.pop();
    stacks.set(r.candidateId, s);
  }
  const out: Verdict[] = [];
  for (const s of stacks.values()) {
    const latest = new Map<string, VerdictEvent>();
    for (const r of s) latest.set(r.reviewer, r);
    for (const r of latest.values())
      out.push({ candidateId: r.candidateId, label: r.label, reviewer: r.reviewer, at: r.at, ...(r.note ? { note: r.note } : {}) });
  }
  return out;
}
