/**
 * Tests written into a prompt (chat user turns, Inspect inputs): the `assert` lines (in or out of code
 * fences, with their setup) and the tests written in prose become the problem's visible tests and are
 * taken out of the statement, together with a fence left empty and a lead-in line such as "Your code
 * should pass these tests:".
 */
import type { FunctionTest, TestRole } from '../../../contract/domain';
import { findAsserts } from './asserts';
import { extractPromptTests } from './proseTests';
import { stringList } from './common';

export interface PromptTests {
  readonly statement: string;
  /** One Python snippet per test: the setup it uses (if any), then one `assert`. */
  readonly asserts: readonly string[];
  /** Literals of test lines that could not be read as a call and an expected value. */
  readonly literals: readonly string[];
}

/**
 * Splits a prompt into its statement and its tests, in any of the forms `extractPromptTests` reads
 * (assert lines with their setup, prose, doctests, `Input:`/`Expected output:`). `entryPoint` names the
 * function for tests written without a call (`Input: 3 → Expected output: 6`).
 */
export function splitPromptTests(prompt: string, opts: { entryPoint?: string } = {}): PromptTests {
  return extractPromptTests(prompt, opts);
}

/**
 * The tests of a prompt-based problem: the prompt's asserts are visible unless listed as incorrect;
 * `incorrect` ones missing from the prompt are added (they were shown in some other way); `heldout`
 * ones are added unless the prompt showed them. Order: as in the prompt, then incorrect, then held out.
 */
export function promptProblemTests(shown: readonly string[], incorrect: unknown, heldout: unknown): FunctionTest[] {
  const norm = (s: string): string => s.replace(/\s+/g, '');
  const bad = stringList(incorrect).flatMap(splitAsserts);
  const held = stringList(heldout).flatMap(splitAsserts);
  const badKeys = new Set(bad.map(norm));
  const tests: FunctionTest[] = [];
  const seen = new Set<string>();
  const add = (code: string, role: TestRole): void => {
    const key = norm(code);
    if (seen.has(key)) return;
    seen.add(key);
    tests.push({ kind: 'assert', id: `t${tests.length}`, role, code });
  };
  for (const a of shown) add(a, badKeys.has(norm(a)) ? 'incorrect' : 'visible');
  for (const a of bad) add(a, 'incorrect');
  for (const a of held) add(a, 'heldout');
  return tests;
}

/** A field may hold one assert, several on separate lines, or a whole check program. */
function splitAsserts(text: string): string[] {
  const found = findAsserts(text);
  const rest = text.split('\n').filter((l) => l.trim() && !/^\s*assert\b/.test(l));
  return found.length > 0 && rest.length === 0 ? found : [text.trim()];
}
