/**
 * The open set's agreement as plain data: each scorer (and the ensemble's decision) against the
 * reviewers' current verdicts, and reviewer against reviewer. One computation for the language server
 * (`loophole/agreement`) and the HTML report, so both show the same numbers.
 *
 * Streams the analyses once; lists are cut to `MaxAgreementItems` with their full counts kept.
 */
import type { Verdict } from '../../../contract/domain';
import { humanAgreement, reviewerVerdicts, scorerAgreement } from '../scoring/agreement';
import { DEFAULT_THRESHOLD } from '../scoring/ensemble';
import type { Store } from '../store/store';
import { type AgreementResult, MaxAgreementItems, type ScorerAgreementView } from '../../../contract/lsp';

/** The ensemble's combined probability, named as the CLI names it. */
export const EnsembleScorer = 'ensemble';

export type SetAgreement = Omit<AgreementResult, 'ranking'>;

export class UnknownScorer extends Error {
  override readonly name = 'UnknownScorer';
}

export function collectAgreement(store: Store, opts: { scorer?: string; threshold?: number } = {}): SetAgreement {
  const threshold = opts.threshold ?? DEFAULT_THRESHOLD;
  const verdicts = store.currentVerdicts();
  const probs = new Map<string, Map<string, number>>([[EnsembleScorer, new Map()]]);
  for (const a of store.iterateAnalyses()) {
    probs.get(EnsembleScorer)!.set(a.candidateId, a.hackProbability);
    for (const s of a.scores) {
      let m = probs.get(s.scorer);
      if (!m) probs.set(s.scorer, (m = new Map()));
      m.set(a.candidateId, s.probability);
    }
  }
  const analysed = probs.get(EnsembleScorer)!.size > 0;
  if (opts.scorer !== undefined && (!analysed || !probs.has(opts.scorer))) {
    throw new UnknownScorer(
      `no scores from '${opts.scorer}' in this review set; known: ${analysed ? [...probs.keys()].join(', ') : 'none (not analysed)'}`,
    );
  }
  const names =
    opts.scorer !== undefined
      ? [opts.scorer]
      : analysed
        ? [EnsembleScorer, ...[...probs.keys()].filter((n) => n !== EnsembleScorer).sort()]
        : [];
  const scorers = names.map((n) => scorerView(n, probs.get(n)!, verdicts, threshold));
  const humans = humanAgreement(reviewerVerdicts(store.iterateVerdictRecords()));
  const counts = { hack: 0, clean: 0, unsure: 0 };
  for (const v of verdicts.values()) counts[v.label]++;
  return {
    threshold,
    verdicts: counts,
    scorers,
    humans: { ...humans, disagreements: humans.disagreements.slice(0, MaxAgreementItems), disagreementCount: humans.disagreements.length },
  };
}

function scorerView(
  name: string,
  probs: ReadonlyMap<string, number>,
  verdicts: ReadonlyMap<string, Verdict>,
  threshold: number,
): ScorerAgreementView {
  const a = scorerAgreement(name, probs, verdicts, threshold);
  const worst = [...a.disagreements].sort(
    (x, y) => Math.abs(y.probability - threshold) - Math.abs(x.probability - threshold) || x.candidateId.localeCompare(y.candidateId),
  );
  return { ...a, disagreements: worst.slice(0, MaxAgreementItems), disagreementCount: a.disagreements.length };
}
