/**
 * The contract for scorers that plug into the ensemble after the cheap analyses: the ONNX classifier,
 * the LLM judge, or any other. A scorer sees each candidate with the evidence gathered so far and the
 * combined probability of the scorers before it, so an expensive one can decline the confident cases.
 */
import type { Candidate, Finding, Problem, Score, TestResult } from '../core/types';

export interface ScoringItem {
  readonly problem: Problem;
  readonly candidate: Candidate;
  readonly findings: readonly Finding[];
  readonly tests: readonly TestResult[];
  /** The ensemble's probability from the scorers that ran before this one. */
  readonly priorProbability: number;
}

export interface Scorer {
  /** The name its scores carry (`Score.scorer`), e.g. `classifier`, `judge`. */
  readonly name: string;
  /** One entry per item, in order; `undefined` where the scorer declines (e.g. outside its band). */
  scoreBatch(items: readonly ScoringItem[], signal?: AbortSignal): Promise<(Score | undefined)[]>;
}
