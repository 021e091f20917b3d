/**
 * The contract for scorers that plug into the ensemble after the cheap analyses: the ONNX classifier,
 * the LLM judge, or any other. A scorer sees each candidate with the evidence gathered so far and the
 * combined probability of the scorers before it, so an expensive one can decline the confident cases.
 */
import type { Candidate, Finding, Problem, Score, TestResult } from '../../../contract/domain';
import type { ScanContext } from '../analysis/static/context';

export interface ScoringItem {
  readonly problem: Problem;
  readonly candidate: Candidate;
  readonly findings: readonly Finding[];
  readonly tests: readonly TestResult[];
  /** The ensemble's probability from the scorers that ran before this one. */
  readonly priorProbability: number;
  /** What this scorer's `prepare` read from the analyzer's parse of the candidate, when it has one. */
  readonly prepared?: unknown;
}

export interface Scorer {
  /** The name its scores carry (`Score.scorer`), e.g. `classifier`, `judge`. */
  readonly name: string;
  /** Optional: reads what the scorer needs from the static analyzer's parsed candidate while its tree
   *  lives, so a candidate is parsed once; handed back as `ScoringItem.prepared`. */
  prepare?(ctx: ScanContext): unknown;
  /** One entry per item, in order; `undefined` where the scorer declines (e.g. outside its band). */
  scoreBatch(items: readonly ScoringItem[], signal?: AbortSignal): Promise<(Score | undefined)[]>;
}
