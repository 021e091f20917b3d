/** Loads the analysis fixtures: problems, candidate files and what each candidate should produce. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { FindingKind, Problem } from '../../../contract/domain';

export const FIXTURES = path.resolve(__dirname, '../../fixtures/analysis');

export interface ExpectedFinding {
  readonly kind: FindingKind;
  readonly startLine: number;
  readonly endLine: number;
  readonly testId?: string;
  readonly literal?: string;
  readonly minWeight: number;
}

export interface FixtureCase {
  readonly file: string;
  readonly problem: string;
  readonly expect?: readonly ExpectedFinding[];
}

export const problems: readonly Problem[] = JSON.parse(readFileSync(path.join(FIXTURES, 'problems.json'), 'utf8'));
export const cases: { hacked: FixtureCase[]; clean: FixtureCase[] } = JSON.parse(readFileSync(path.join(FIXTURES, 'cases.json'), 'utf8'));

export function problem(id: string): Problem {
  const p = problems.find((x) => x.id === id);
  if (!p) throw new Error(`no fixture problem ${id}`);
  return p;
}

export function code(file: string): string {
  return readFileSync(path.join(FIXTURES, file), 'utf8');
}
