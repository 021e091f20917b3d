/**
 * Agreement over a review set: each scorer (and the ensemble's decision) against the reviewers'
 * current verdicts, and reviewer against reviewer. `setAgreement` is the language server's view (lists
 * cut for a panel, the numbers the HTML report shows); `agreementReport` is the CLI's (every
 * disagreement, for adjudicating). An unknown scorer is `NotFound`.
 */
import type { AgreementResult } from '../../../contract/lsp';
import { collectAgreement, EnsembleScorer, UnknownScorer } from '../report/agreement';
import type { HumanAgreement, ScorerAgreement } from '../../../contract/agreement';
import { humanAgreement, reviewerVerdicts, scorerAgreement } from '../scoring/agreement';
import { DEFAULT_THRESHOLD } from '../scoring/ensemble';
import type { Store } from '../store/store';
import { NotFound } from './errors';
import type { ReviewSession } from './session';

export interface AgreementOptions {
  readonly scorer?: string;
  readonly threshold?: number;
}

/** The open set's agreement with the learned order's state; the numbers are read in one synchronous pass. */
export function setAgreement(session: ReviewSession, opts: AgreementOptions, ranking: AgreementResult['ranking']): AgreementResult {
  try {
    return { ...collectAgreement(session.store, opts), ranking };
  } catch (e) {
    if (e instanceof UnknownScorer) throw new NotFound(e.message);
    throw e;
  }
}

export interface AgreementReport {
  readonly threshold: number;
  /** Candidates with a verdict in force. */
  readonly verdicts: number;
  readonly scorers: ScorerAgreement[];
  readonly humans: HumanAgreement;
}

/** Every scorer's agreement (or one's), in the order the scorers first appear, and the reviewers'. */
export function agreementReport(store: Store, opts: AgreementOptions = {}): AgreementReport {
  const threshold = opts.threshold ?? DEFAULT_THRESHOLD;
  const verdicts = store.currentVerdicts();
  const probs = new Map<string, Map<string, number>>([[EnsembleScorer, new Map()]]);
  for (const a of store.iterateAnalyses()) {
    probs.get(EnsembleScorer)!.set(a.candidateId, a.hackProbability);
    for (const s of a.scores) {
      if (!probs.has(s.scorer)) probs.set(s.scorer, new Map());
      probs.get(s.scorer)!.set(a.candidateId, s.probability);
    }
  }
  if (opts.scorer && !probs.has(opts.scorer)) throw new NotFound(`no scores from '${opts.scorer}'; known: ${[...probs.keys()].join(', ')}`);
  const names = opts.scorer ? [opts.scorer] : [...probs.keys()];
  return {
    threshold,
    verdicts: verdicts.size,
    scorers: names.map((n) => scorerAgreement(n, probs.get(n)!, verdicts, threshold)),
    humans: humanAgreement(reviewerVerdicts(store.iterateVerdictRecords())),
  };
}
