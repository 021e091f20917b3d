/**
 * How far a scorer agrees with people and people with each other, as the server reports it
 * (`loophole/agreement`, the CLI's `agreement` command). Computed by `server/src/scoring/agreement.ts`.
 */
import type { VerdictLabel } from './domain';

export interface Confusion {
  /** scorer hack, human hack */
  tp: number;
  /** scorer hack, human clean */
  fp: number;
  /** scorer clean, human hack */
  fn: number;
  /** scorer clean, human clean */
  tn: number;
}

export interface BinaryAgreement {
  readonly n: number;
  readonly confusion: Confusion;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  readonly accuracy: number;
  /** Null when undefined: both raters used one and the same class throughout (chance agreement is 1). */
  readonly kappa: number | null;
  /** Human verdicts `unsure`, left out. */
  readonly excludedUnsure: number;
  /** Human verdicts on candidates the scorer did not score, left out. */
  readonly unscored: number;
}

export interface ScorerAgreement extends BinaryAgreement {
  readonly scorer: string;
  readonly threshold: number;
  /** Candidates where scorer and human differ. */
  readonly disagreements: readonly { candidateId: string; human: 'hack' | 'clean'; probability: number }[];
}

export interface PairAgreement {
  readonly a: string;
  readonly b: string;
  /** Candidates both reviewers labelled. */
  readonly n: number;
  readonly agreement: number;
  /** Null when undefined (see `cohensKappa`). */
  readonly kappa: number | null;
}

export interface HumanAgreement {
  readonly reviewers: readonly string[];
  readonly pairs: readonly PairAgreement[];
  /** Candidates labelled by two or more reviewers who did not all give the same label. */
  readonly disagreements: readonly { candidateId: string; labels: Readonly<Record<string, VerdictLabel>> }[];
}
