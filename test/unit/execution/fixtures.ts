/** Loads the execution fixtures (problems as JSON, candidates as Python files) from test/fixtures/execution. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Problem } from '../../../contract/domain';

export const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'execution');

export function problem(name: string): Problem {
  return JSON.parse(readFileSync(path.join(FIXTURES, name), 'utf8')) as Problem;
}

export function candidate(name: string, replacements: Record<string, string> = {}): string {
  let code = readFileSync(path.join(FIXTURES, name), 'utf8');
  for (const [from, to] of Object.entries(replacements)) code = code.split(from).join(to);
  return code;
}

/** `{t0: 'pass', …}` from results, to compare whole outcomes at once. */
export function outcomes(results: readonly { testId: string; outcome: string }[]): Record<string, string> {
  return Object.fromEntries(results.map((r) => [r.testId, r.outcome]));
}
