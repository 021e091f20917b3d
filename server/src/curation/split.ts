/**
 * Train/validation split by problem: a problem's rows all land on one side. The validation problems
 * are a seeded shuffle's first `round(n × fraction)` (at least one when the fraction is above zero
 * and there are two or more problems, and never every problem).
 */
import { mulberry32, shuffled } from '../core/prng';

export function validationProblems(problemIds: readonly string[], fraction: number, seed: number): Set<string> {
  if (!(fraction > 0) || problemIds.length < 2) return new Set();
  const ids = [...new Set(problemIds)].sort();
  let n = Math.round(ids.length * fraction);
  n = Math.min(Math.max(n, 1), ids.length - 1);
  return new Set(shuffled(ids, mulberry32(seed ^ 0x5eed)).slice(0, n));
}
