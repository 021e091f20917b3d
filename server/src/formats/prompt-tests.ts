/**
 * Tests written into a prompt (chat user turns, Inspect inputs): the `assert` lines, in or out of
 * code fences, become the problem's visible tests and are taken out of the statement, together with
 * a fence left empty and a lead-in line such as "Your code should pass these tests:".
 */
import type { FunctionTest, TestRole } from '../core/types';
import { findAsserts } from './asserts';
import { stringList } from './common';

export interface PromptTests {
  readonly statement: string;
  readonly asserts: readonly string[];
}

export function splitPromptTests(prompt: string): PromptTests {
  const text = prompt.replace(/\r\n?/g, '\n');
  const asserts = findAsserts(text);
  if (asserts.length === 0) return { statement: text.trim(), asserts };
  const lines = text.split('\n');
  const kept: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (/^\s*(?:>>>\s*)?assert\b/.test(lines[i]!)) {
      // skip the statement's continuation lines too
      let stmt = lines[i]!;
      while (depth(stmt) > 0 && i + 1 < lines.length) stmt += lines[++i]!;
      continue;
    }
    kept.push(lines[i]!);
  }
  let statement = kept.join('\n')
    .replace(/^[ \t]*(`{3,}|~{3,})[^\n]*\n(?:[ \t]*\n)*[ \t]*\1[ \t]*$/gm, '') // fences left empty
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  // a lead-in line that only announced the tests, now at the end with nothing after it
  statement = statement.replace(/\n[^\n]*\b(?:tests?|examples?|assert(?:ion)?s?|pass(?:es)?)\b[^\n]*:\s*$/i, '').trim();
  return { statement, asserts };
}

function depth(s: string): number {
  let d = 0;
  for (const c of s.replace(/(["'])(?:\\.|(?!\1).)*\1/g, '')) {
    if ('([{'.includes(c)) d++;
    else if (')]}'.includes(c)) d--;
  }
  return d;
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
