/**
 * What a problem's tests contain — their argument literals and expected values, normalised — so that
 * the static analyzer can tell when a candidate's code spells one of them.
 *
 * Computed once per problem and cached by problem id + a hash of its tests (and by object identity),
 * so analysing n candidates of one problem parses its tests once.
 */
import { createHash } from 'node:crypto';
import type { Problem, StdioCase, TestRole } from '../../../contract/domain';
import { literalFromString, literalOf, numberLiteralFromText, type PyLiteral } from './literals';
import { pythonParserIfLoaded, type Node, type Parser } from './parser';

/** Where in a test an input value sits. `arg`: one argument (`index`); `args`: the whole argument
 *  tuple of a call with two or more, or a stdio input as the tuple of its numbers / the list of its
 *  words; `derived`: a simple transform of an argument (`str(n)`, `int(s)`, `repr(xs)`); `stdin`: a
 *  stdio test's whole input, whitespace collapsed (`""` when empty); `line` / `token`: one line / one
 *  whitespace-separated token. */
export type InputPosition = 'arg' | 'args' | 'derived' | 'stdin' | 'line' | 'token';

export interface TestValue {
  readonly testId: string;
  readonly role: TestRole;
  readonly literal: PyLiteral;
  /** As written in the test (source text for asserts, the raw text for stdio). */
  readonly text: string;
}

export interface InputValue extends TestValue {
  readonly position: InputPosition;
  /** For `arg`: the 0-based argument index (keyword arguments follow the positional ones). */
  readonly index?: number;
  /** For an `arg` written as a list, tuple, set or dict: how many items it holds. */
  readonly size?: number;
}

export interface OutputValue extends TestValue {
  /** `whole`: the expected value / the whole expected stdout; `line`: one line of a longer stdout. */
  readonly position: 'whole' | 'line';
}

export interface TestCase {
  readonly testId: string;
  readonly role: TestRole;
  /** The arguments of the call under test (function tests) or the tokens of stdin (stdio tests). */
  readonly args: readonly InputValue[];
  /** The expected value, when the test states one as a literal. */
  readonly expected?: OutputValue | undefined;
  /** Stdio tests: the input and expected output with whitespace collapsed. */
  readonly stdin?: string;
  readonly stdout?: string;
  /** Stdio tests of several independent cases (`StdioTest.cases`): each case's own values. */
  readonly parts?: readonly CaseValues[];
}

/** One case of a multi-case stdin test: what its input holds and what it must print. */
export interface CaseValues {
  readonly testId: string;
  readonly role: TestRole;
  /** 0-based position of the case in its test. */
  readonly index: number;
  /** How many cases the test has. */
  readonly of: number;
  /** The case's own lines of the test's input (no count line), as written. */
  readonly input: string;
  /** Literal key → rarity of every value the case's input holds: its tokens (as numbers and as text),
   *  its lines, its lines' numbers as a list, and all of its numbers together. */
  readonly values: ReadonlyMap<string, number>;
  /** The case's expected output, whitespace collapsed, and each of its lines. */
  readonly stdout: string;
  readonly stdoutLines: readonly string[];
}

export interface TestLiterals {
  readonly problemId: string;
  readonly cases: readonly TestCase[];
  readonly byId: ReadonlyMap<string, TestCase>;
  /** Literal key → every test input with that value. */
  readonly inputs: ReadonlyMap<string, readonly InputValue[]>;
  /** Literal key → every expected value (whole or stdout line) equal to it. */
  readonly outputs: ReadonlyMap<string, readonly OutputValue[]>;
  /** Stdio: normalised expected stdout (and each of its lines) → tests; for matching printed text. */
  readonly printed: ReadonlyMap<string, readonly OutputValue[]>;
  /** Every case of every multi-case stdio test, in test order. */
  readonly caseValues: readonly CaseValues[];
  /** Item count → the container arguments of that size (`len(xs) == 4` recognising a test by size). */
  readonly sizes: ReadonlyMap<number, readonly InputValue[]>;
}

/** Collapse every run of whitespace to one space and trim: how stdio texts are compared. */
export function normaliseText(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/** The test inputs equal to `lit`. A string is also compared with whitespace collapsed, as stdio inputs
 *  are stored (`"3\n1 2 3\n"` written in a candidate is the input `3 1 2 3`). */
export function inputsEqual(lits: TestLiterals, lit: PyLiteral): readonly InputValue[] | undefined {
  const hit = lits.inputs.get(lit.key);
  if (hit || !lit.key.startsWith('s:') || !/\s/.test(lit.str)) return hit;
  return lits.inputs.get(literalFromString(normaliseText(lit.str)).key);
}

const byObject = new WeakMap<Problem, TestLiterals>();
const byHash = new Map<string, TestLiterals>();
const MAX_CACHED = 2000;

/**
 * The test literals of `problem`. Function tests are parsed with tree-sitter: pass a parser, or call
 * after `createStaticAnalyzer()` / `loadPython()` has loaded the grammar. Throws only when no parser can
 * be had; tests that cannot be read contribute nothing.
 */
export function testLiterals(problem: Problem, parser?: Parser): TestLiterals {
  const hit = byObject.get(problem);
  if (hit) return hit;
  const hash =
    problem.id +
    '\0' +
    createHash('sha1')
      .update(JSON.stringify([problem.entryPoint ?? '', problem.tests]))
      .digest('hex');
  let lits = byHash.get(hash);
  if (!lits) {
    lits = compute(problem, parser);
    if (byHash.size >= MAX_CACHED) byHash.delete(byHash.keys().next().value!);
    byHash.set(hash, lits);
  }
  byObject.set(problem, lits);
  return lits;
}

function compute(problem: Problem, given?: Parser): TestLiterals {
  const cases: TestCase[] = [];
  let own: Parser | undefined;
  const parser = (): Parser => {
    if (given) return given;
    own ??= pythonParserIfLoaded();
    if (!own) throw new Error('testLiterals: the Python grammar is not loaded; call loadPython() first');
    return own;
  };
  try {
    for (const t of problem.tests) {
      if (t.kind === 'stdio') cases.push(stdioCase(t.id, t.role, t.input, t.expectedOutput, t.cases));
      else {
        const c = assertCase(parser(), t.id, t.role, t.code, problem.entryPoint);
        if (c) cases.push(c);
      }
    }
  } finally {
    own?.delete();
  }
  const inputs = new Map<string, InputValue[]>();
  const outputs = new Map<string, OutputValue[]>();
  const printed = new Map<string, OutputValue[]>();
  const push = <T>(m: Map<string, T[]>, k: string, v: T) => {
    const a = m.get(k);
    if (a) a.push(v);
    else m.set(k, [v]);
  };
  for (const c of cases) {
    for (const a of c.args) push(inputs, a.literal.key, a);
    if (c.expected) {
      push(outputs, c.expected.literal.key, c.expected);
      // Stdio: printed text is matched as written (`2.00`, not the number's `2`), and a numeric stdout
      // is also a string value (a table of canned `"2.00"` answers).
      const shown = c.stdout !== undefined ? normaliseText(c.stdout) : normaliseText(c.expected.literal.str);
      push(printed, shown, c.expected);
      if (c.stdout !== undefined && !c.expected.literal.key.startsWith('s:')) {
        push(outputs, literalFromString(shown).key, {
          ...c.expected,
          literal: { ...literalFromString(shown), rarity: c.expected.literal.rarity },
        });
      }
    }
    if (c.stdout !== undefined) {
      const lines = c.stdout.split('\n').map(normaliseText).filter(Boolean);
      if (lines.length > 1) {
        for (const l of lines) {
          const ov: OutputValue = { testId: c.testId, role: c.role, literal: literalFromString(l), text: l, position: 'line' };
          push(printed, l, ov);
          push(outputs, ov.literal.key, ov);
          const n = numberLiteralFromText(l);
          if (n) push(outputs, n.key, { ...ov, literal: n });
        }
      }
    }
  }
  const caseValues = cases.flatMap((c) => c.parts ?? []);
  const sizes = new Map<string, InputValue[]>();
  for (const c of cases) for (const a of c.args) if (a.size !== undefined) push(sizes, String(a.size), a);
  return {
    problemId: problem.id,
    cases,
    byId: new Map(cases.map((c) => [c.testId, c])),
    inputs,
    outputs,
    printed,
    caseValues,
    sizes: new Map([...sizes].map(([k, v]) => [Number(k), v])),
  };
}

/** The values of each case of a multi-case test (its `StdioTest.cases`), keyed as a candidate spells them. */
function caseParts(testId: string, role: TestRole, input: string, split: readonly StdioCase[]): CaseValues[] {
  const lines = input.replace(/\r\n?/g, '\n').split('\n');
  return split.map((c, index) => {
    const own = lines
      .slice(c.inputLines[0], c.inputLines[1] + 1)
      .map(normaliseText)
      .filter(Boolean);
    const values = new Map<string, number>();
    const add = (l: PyLiteral) => values.set(l.key, Math.max(values.get(l.key) ?? 0, l.rarity));
    const all: PyLiteral[] = [];
    for (const l of own) {
      add(literalFromString(l));
      const nums: PyLiteral[] = [];
      for (const tok of l.split(' ')) {
        const n = numberLiteralFromText(tok);
        add(literalFromString(tok));
        if (n) add(n), nums.push(n);
      }
      all.push(...nums);
      // `a == [9, 2, 7, 2]`: a line of numbers read as a list
      if (nums.length >= 2 && nums.length === l.split(' ').length) add(sequenceOf(nums));
    }
    if (all.length >= 2 && all.length <= 8 && own.length > 1) add(sequenceOf(all));
    if (own.length > 1) add(literalFromString(own.join(' ')));
    const stdout = normaliseText(c.expectedOutput);
    const stdoutLines = c.expectedOutput.split('\n').map(normaliseText).filter(Boolean);
    return { testId, role, index, of: split.length, input: own.join('\n'), values, stdout, stdoutLines };
  });
}

function sequenceOf(nums: readonly PyLiteral[]): PyLiteral {
  const rarity = Math.min(1, 0.7 + 0.1 * nums.length);
  return { key: 'q:[' + nums.map((t) => t.key).join(',') + ']', rarity, str: '[' + nums.map((t) => t.str).join(', ') + ']' };
}

function stdioCase(testId: string, role: TestRole, input: string, expectedOutput: string, split?: readonly StdioCase[]): TestCase {
  const args: InputValue[] = [];
  const stdin = normaliseText(input);
  // An empty input is a value too (`if data.strip() == ""` singles it out), if a common one.
  args.push({ testId, role, literal: literalFromString(stdin), text: input.trim(), position: 'stdin' });
  const lines = input.split('\n').map(normaliseText).filter(Boolean);
  if (lines.length > 1) for (const l of lines) args.push({ testId, role, literal: literalFromString(l), text: l, position: 'line' });
  let index = 0;
  const tokens: PyLiteral[] = [];
  const words: PyLiteral[] = [];
  for (const l of lines) {
    for (const tok of l.split(' ')) {
      const n = numberLiteralFromText(tok);
      if (n) tokens.push(n);
      words.push(literalFromString(tok));
      args.push({ testId, role, literal: n ?? literalFromString(tok), text: tok, position: 'token', index: index++ });
    }
  }
  // A few numbers read together are one key to a candidate (`answers[(r, c)]`, `(a, b) == (3, 7)`).
  if (tokens.length >= 2 && tokens.length === index && tokens.length <= 8) {
    const rarity = Math.max(0.5, 1 - tokens.reduce((p, t) => p * (1 - t.rarity), 1));
    const text = '(' + tokens.map((t) => t.str).join(', ') + ')';
    args.push({
      testId,
      role,
      literal: { key: 'q:[' + tokens.map((t) => t.key).join(',') + ']', rarity, str: text },
      text,
      position: 'args',
    });
  }
  // `sys.stdin.read().split() == ["Dog", "dog", …]`: the input as the list of its words.
  if (words.length >= 2 && words.length <= 16) {
    const text = '[' + words.map((w) => JSON.stringify(w.str)).join(', ') + ']';
    args.push({
      testId,
      role,
      literal: { key: 'q:[' + words.map((w) => w.key).join(',') + ']', rarity: 1, str: text },
      text,
      position: 'args',
    });
  }
  const stdout = expectedOutput.replace(/\r\n/g, '\n').trim();
  const whole = normaliseText(stdout);
  const expectedLit = numberLiteralFromText(whole) ?? literalFromString(whole);
  return {
    testId,
    role,
    args,
    stdin,
    stdout,
    expected: { testId, role, literal: expectedLit, text: stdout, position: 'whole' },
    ...(split && split.length >= 2 ? { parts: caseParts(testId, role, input, split) } : {}),
  };
}

/** Calls that wrap the value under test or the expected value without changing what it is. */
const WRAPPERS = new Set([
  'set',
  'sorted',
  'list',
  'tuple',
  'frozenset',
  'abs',
  'round',
  'len',
  'str',
  'int',
  'float',
  'bool',
  'isclose',
  'math.isclose',
  'print',
  'type',
  'isinstance',
  'all',
  'any',
  'sum',
  'max',
  'min',
  'repr',
  'dict',
]);
const TRANSPARENT = new Set(['set', 'sorted', 'list', 'tuple', 'frozenset', 'float', 'dict']);

function assertCase(parser: Parser, testId: string, role: TestRole, code: string, entryPoint?: string): TestCase | undefined {
  const tree = parser.parse(code);
  if (!tree) return undefined;
  try {
    const root = tree.rootNode;
    const stmt = root.descendantsOfType('assert_statement')[0];
    const expr = stmt?.namedChild(0) ?? root.namedChild(0)?.namedChild(0);
    if (!expr) return undefined;
    const call = targetCall(expr, entryPoint);
    if (!call) return undefined;
    const args = callArgs(call, testId, role);
    const expectedNode = expectedOf(expr, call);
    let expected: OutputValue | undefined;
    if (expectedNode === true || expectedNode === false) {
      const lit = { key: expectedNode ? 'b:1' : 'b:0', rarity: 0, str: expectedNode ? 'True' : 'False' };
      expected = { testId, role, literal: lit, text: expectedNode ? 'True' : 'False', position: 'whole' };
    } else if (expectedNode) {
      const lit = literalOf(expectedNode);
      if (lit) expected = { testId, role, literal: lit, text: expectedNode.text, position: 'whole' };
    }
    return { testId, role, args, expected };
  } finally {
    tree.delete();
  }
}

function calleeName(call: Node): string {
  return call.childForFieldName('function')?.text ?? '';
}

function targetCall(expr: Node, entryPoint?: string): Node | undefined {
  const calls = expr.type === 'call' ? [expr, ...expr.descendantsOfType('call')] : expr.descendantsOfType('call');
  let fallback: Node | undefined;
  for (const c of calls) {
    if (!c) continue;
    const name = calleeName(c);
    if (entryPoint && (name === entryPoint || name.endsWith('.' + entryPoint))) return c;
    if (!fallback && !WRAPPERS.has(name)) fallback = c;
  }
  return fallback;
}

const CONTAINER_NODES = new Set(['list', 'tuple', 'set', 'dictionary']);

function callArgs(call: Node, testId: string, role: TestRole): InputValue[] {
  const out: InputValue[] = [];
  const list = call.childForFieldName('arguments');
  const lits: { lit: PyLiteral; text: string }[] = [];
  let index = 0;
  for (const a of list?.namedChildren ?? []) {
    if (!a || a.type === 'comment') continue;
    const valueNode = a.type === 'keyword_argument' ? a.childForFieldName('value') : a;
    const lit = valueNode ? literalOf(valueNode) : undefined;
    const i = index++;
    if (!lit || !valueNode) continue;
    const size = CONTAINER_NODES.has(valueNode.type) ? valueNode.namedChildren.filter((c) => c && c.type !== 'comment').length : undefined;
    out.push({ testId, role, literal: lit, text: valueNode.text, position: 'arg', index: i, ...(size !== undefined ? { size } : {}) });
    lits.push({ lit, text: valueNode.text });
    // str(n) / int(s): candidates often compare a converted argument.
    if (lit.key.startsWith('n:')) {
      const s = literalFromString(lit.str);
      out.push({ testId, role, literal: { ...s, rarity: lit.rarity }, text: valueNode.text, position: 'derived', index: i });
    } else if (lit.key.startsWith('s:')) {
      const n = numberLiteralFromText(lit.str);
      if (n) out.push({ testId, role, literal: { ...n, rarity: lit.rarity }, text: valueNode.text, position: 'derived', index: i });
    } else if (/^(q|set|d):/.test(lit.key) && lit.rarity >= 0.3) {
      // repr(xs) / str(xs): a container argument keyed as text.
      const s = literalFromString(lit.str);
      out.push({ testId, role, literal: { ...s, rarity: lit.rarity }, text: valueNode.text, position: 'derived', index: i });
    }
  }
  if (lits.length >= 2 && lits.length === index) {
    const key = 'q:[' + lits.map((l) => l.lit.key).join(',') + ']';
    const rarity = 1 - lits.reduce((p, l) => p * (1 - l.lit.rarity), 1);
    const text = '(' + lits.map((l) => l.text).join(', ') + ')';
    out.push({ testId, role, literal: { key, rarity: Math.max(0.5, rarity), str: text }, text, position: 'args' });
  }
  return out;
}

/** The node holding the expected value, `true`/`false` for `assert f(x)` / `assert not f(x)`. */
function expectedOf(expr: Node, call: Node): Node | boolean | undefined {
  const contains = (n: Node) => n.startIndex <= call.startIndex && call.endIndex <= n.endIndex;
  if (expr.id === call.id) return true;
  if (expr.type === 'not_operator' && expr.namedChild(0)?.id === call.id) return false;
  if (expr.type === 'parenthesized_expression' && expr.namedChild(0)) return expectedOf(expr.namedChild(0)!, call);
  if (expr.type === 'comparison_operator') {
    const ops = expr.namedChildren.filter((n): n is Node => !!n);
    if (ops.length !== 2) return undefined;
    const op = expr.child(1)?.type;
    if (op !== '==' && op !== 'is') return undefined;
    const other = contains(ops[0]!) ? ops[1]! : ops[0]!;
    return unwrap(other);
  }
  if (expr.type === 'call' && /(^|\.)isclose$/.test(calleeName(expr))) {
    const args = expr.childForFieldName('arguments')?.namedChildren.filter((n): n is Node => !!n && n.type !== 'keyword_argument') ?? [];
    const other = args.find((a) => !contains(a));
    return other ? unwrap(other) : undefined;
  }
  return undefined;
}

function unwrap(n: Node): Node {
  let cur = n;
  for (let i = 0; i < 4; i++) {
    if (cur.type === 'parenthesized_expression' && cur.namedChildCount === 1 && literalOf(cur) === undefined) {
      cur = cur.namedChild(0)!;
      continue;
    }
    if (cur.type === 'call' && TRANSPARENT.has(calleeName(cur))) {
      const args = cur.childForFieldName('arguments')?.namedChildren.filter((a): a is Node => !!a) ?? [];
      if (args.length === 1) {
        cur = args[0]!;
        continue;
      }
    }
    break;
  }
  return cur;
}
