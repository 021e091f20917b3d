/** Paths and loaders for the scoring fixtures (test/fixtures/scoring). */
import { readFileSync } from 'node:fs';
import path from 'node:path';

export const FIXTURES = path.resolve(__dirname, '..', '..', 'fixtures', 'scoring');
export const REPO = path.resolve(__dirname, '..', '..', '..');

export function candidateCode(name: string): string {
  return readFileSync(path.join(FIXTURES, 'candidates', name), 'utf8');
}

export interface EvalRow {
  id: string;
  label: 0 | 1;
  kind: string;
  code: string;
  tests: import('../../../contract/domain').Test[];
  features: number[];
  featurizerVersion: number;
}

export function evalRows(): EvalRow[] {
  return readFileSync(path.join(FIXTURES, 'classifier-eval.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as EvalRow);
}

export { auroc } from '../../../server/src/scoring/auroc';
