/**
 * Where a literal written in a candidate comes from in the prompt: the text of a test (an input, an
 * expected output, a file's contents given as an example) or the prose of the statement.
 *
 * Tests are not always parsed into calls (`f(x) should return y`, `Input: … Expected output: …`, file
 * contents): their text is still known, and a candidate that spells a fragment of it (`'file1.csv' in
 * str(paths)`, `return ["192.168.1.1"]`) is keying on the tests. A constant the statement's own prose
 * names (`the modulus 10**9+7`, `print "NO"`) is the specification and never counts as a test's.
 *
 * The test text is every test of the problem (`Problem.tests`), any literal sets the importer attached
 * to the problem (`promptLiterals`, when present), and the statement lines that state tests: `assert`
 * lines, doctests, `→`/`should return` lines, `Input:`/`Output:`/`Expected:` lines and the blocks under
 * a `Test cases:`/`Examples:`/`Inputs:` heading. The prose is the rest of the statement.
 */
import type { Problem } from '../../../contract/domain';
import type { PyLiteral } from './literals';

export interface PromptLiterals {
  /** The tests' text (lowercased). */
  readonly testText: string;
  /** The statement outside its tests (lowercased). */
  readonly prose: string;
  /** Number tokens of the tests' text / of the prose, canonical (`7`, `-3`, `2.5`). */
  readonly testNumbers: ReadonlySet<string>;
  /** The tests' text and the prose with every run of whitespace one space, padded with a space at
   *  both ends (for finding token sequences: ` 1 2 3 `). */
  readonly testFlat: string;
  readonly proseFlat: string;
  readonly proseNumbers: ReadonlySet<string>;
}

export type Provenance = 'test' | 'prose';

const TEST_LINE =
  /\bassert\b|>>>|->|=>|→|\bshould\s+(?:return|output|print|give|be|yield)\b|^\s*(?:[-*•]\s*|\d+[.)]\s*)?(?:input|output|expected(?:\s+output)?|result|returns?|answer|stdin|stdout)s?\s*(?:\d+\s*)?[:=]|\breturns?\s*[:=]|==/i;
const HEADING =
  /^\s*(?:#+\s*|\*\*)?(?:test\s*cases?|tests?|examples?|sample\s*(?:inputs?|outputs?|tests?|cases?)?|inputs?|outputs?|expected\s*(?:outputs?|results?)?|usage)\b[^.]{0,40}:\s*(?:\*\*)?\s*$/i;
/** A line of plain prose: several words, ends like a sentence, nothing quoted or bracketed. */
const PROSE_LINE = /^[^"'`[\]{}()=<>]*[A-Za-z][^"'`[\]{}()=<>]*[.!?:]\s*$/;
const NUMBER = /-?\b\d+(?:\.\d+)?\b/g;

const cache = new WeakMap<Problem, PromptLiterals>();

export function promptLiterals(problem: Problem): PromptLiterals {
  let p = cache.get(problem);
  if (!p) cache.set(problem, (p = compute(problem)));
  return p;
}

function compute(problem: Problem): PromptLiterals {
  const tests: string[] = [];
  for (const t of problem.tests) tests.push(t.kind === 'assert' ? t.code : `${t.input}\n${t.expectedOutput}`);
  // Literal sets an importer kept for tests it could not parse into calls.
  const extra = (problem as { promptLiterals?: unknown }).promptLiterals;
  if (Array.isArray(extra)) for (const x of extra) if (typeof x === 'string') tests.push(x);
  const prose: string[] = [];
  let inBlock = false;
  for (const line of problem.statement.split('\n')) {
    const trimmed = line.trim();
    if (HEADING.test(trimmed)) {
      inBlock = true;
      tests.push(line);
      continue;
    }
    if (inBlock && trimmed && PROSE_LINE.test(trimmed) && trimmed.split(/\s+/).length >= 6) inBlock = false;
    if (inBlock || TEST_LINE.test(line)) tests.push(line);
    else prose.push(line);
  }
  const testText = tests.join('\n').toLowerCase();
  const proseText = prose.join('\n').toLowerCase();
  const flat = (t: string) =>
    ' ' +
    t
      .replace(/[[\](),;]/g, ' ')
      .replace(/\s+/g, ' ')
      .trim() +
    ' ';
  return {
    testText,
    prose: proseText,
    testNumbers: numbersIn(testText),
    proseNumbers: numbersIn(proseText),
    testFlat: flat(testText),
    proseFlat: flat(proseText),
  };
}

function numbersIn(text: string): Set<string> {
  const out = new Set<string>();
  for (const m of text.match(NUMBER) ?? []) out.add(canonicalNumber(m));
  return out;
}

function canonicalNumber(s: string): string {
  const n = Number(s);
  return Number.isFinite(n) ? String(n) : s;
}

/**
 * Where `lit` appears in the prompt: `prose` when the statement's prose names it (the specification
 * speaking, whatever the tests do), `test` when only a test's text holds it, undefined when neither
 * does. Strings are compared case-insensitively as fragments (at least 3 characters, not only
 * punctuation or spaces); numbers as whole tokens; a list or tuple by its elements (every rare element
 * in a test, none in the prose).
 */
export function provenanceOf(p: PromptLiterals, lit: PyLiteral): Provenance | undefined {
  const key = lit.key;
  if (key.startsWith('s:')) {
    const s = lit.str.trim().toLowerCase();
    if (s.length < 3 || !/[a-z0-9]/.test(s)) return undefined;
    // Numbers written as text (`"5 1 1 1"`) are matched as whole tokens.
    if (/^[-+]?\d+(?:\.\d+)?(?:\s+[-+]?\d+(?:\.\d+)?)+$/.test(s))
      return sequenceProvenance(p, s.split(/\s+/)) ?? provenanceOf(p, { key: 'n:' + s, rarity: 0, str: s });
    if (p.prose.includes(s)) return 'prose';
    return p.testText.includes(s) ? 'test' : undefined;
  }
  if (key.startsWith('n:')) {
    const n = canonicalNumber(lit.str);
    if (p.proseNumbers.has(n)) return 'prose';
    return p.testNumbers.has(n) ? 'test' : undefined;
  }
  return undefined;
}

/** Where a run of tokens (`3 1 2`, the elements of `[3, 1, 2]`) appears, as whole tokens. */
export function sequenceProvenance(p: PromptLiterals, tokens: readonly string[]): Provenance | undefined {
  if (tokens.length < 2) return undefined;
  const needle = ' ' + tokens.join(' ').toLowerCase() + ' ';
  if (p.proseFlat.includes(needle)) return 'prose';
  return p.testFlat.includes(needle) ? 'test' : undefined;
}
