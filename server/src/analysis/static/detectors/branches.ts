/**
 * `literal-branch` and `input-fingerprint`: conditions (`if`/`elif`/ternary/`match`) that compare the
 * input with a literal equal to a test's input. Stronger when the branch then returns or prints that
 * test's expected value, strongest when that test is the `incorrect` one (no honest code produces a
 * wrong answer on exactly that input), and when several branches of one function do this for
 * different tests (a ladder of special cases).
 */
import type { Finding, TestRole } from '../../../../../contract/domain';
import { literalOf, patternLiterals, type PyLiteral } from '../../literals';
import type { Node } from '../../parser';
import { provenanceOf } from '../../promptLiterals';
import { inputsEqual, normaliseText, type InputValue, type TestCase } from '../../testLiterals';
import { linesOf, snippet, spanLines, type ScanContext } from '../context';

const EQUALITY = new Set(['==', 'is', 'in', '!=']);

interface Compared {
  readonly lit: PyLiteral;
  readonly node: Node;
  /** The input side reads stdin directly (raw text compared: a fingerprint of the input). */
  readonly stdin: boolean;
  readonly negated: boolean;
}

interface BranchMatch {
  readonly test: TestCase;
  readonly inputs: InputValue[];
  readonly rarity: number;
  /** Every argument of the test (or its whole input) is compared, not just some. */
  readonly full: boolean;
  readonly bodyReturnsExpected: boolean;
  readonly fingerprint: boolean;
  /** The condition compares the whole of stdin as read, as text or as its list of tokens (a
   *  fingerprint, however short the input). */
  readonly wholeStdin: boolean;
  readonly condText: string;
  readonly range: { startLine: number; endLine: number };
  readonly scope: number;
  weight: number;
}

const ROLE_RANK: Record<TestRole, number> = { incorrect: 0.3, visible: 0.2, heldout: 0.1 };

export function detectBranches(ctx: ScanContext): void {
  const keyed = keyedComparisons(ctx);
  if (!keyed.length && !ctx.code.includes('match')) return;
  const matches: BranchMatch[] = [];
  const consider = (cond: Node | null, body: Node | null, range: () => { startLine: number; endLine: number }, at: Node) => {
    if (!cond || !body) return;
    const compared = comparedLiterals(ctx, keyed, cond, at);
    if (compared.length) {
      const m = matchBranch(ctx, compared, body, range(), cond.text, at);
      if (m) matches.push(m);
    }
  };
  if (keyed.length) {
    ctx.ofMany(['if_statement', 'elif_clause', 'conditional_expression']);
    for (const n of [...ctx.of('if_statement'), ...ctx.of('elif_clause')]) {
      const cond = n.childForFieldName('condition');
      if (!cond || !keyed.some((k) => within(k.cmp, cond))) continue;
      const body = n.childForFieldName('consequence');
      if (body) consider(cond, body, () => spanLines(n, body), n);
    }
    for (const n of ctx.of('conditional_expression')) {
      if (!keyed.some((k) => within(k.cmp, n))) continue;
      const kids = n.namedChildren;
      if (kids.length >= 3) consider(kids[1]!, kids[0]!, () => statementLines(n), n);
    }
  }
  for (const m of ctx.code.includes('case') ? ctx.of('match_statement') : []) {
    const subject = m.childForFieldName('subject');
    if (!subject || !ctx.derivesFromInput(subject, m)) continue;
    const body = m.childForFieldName('body');
    for (const clause of body?.namedChildren ?? []) {
      if (clause?.type !== 'case_clause') continue;
      const pattern = clause.namedChildren.find((c) => c?.type === 'case_pattern');
      const consequence = clause.childForFieldName('consequence');
      if (!pattern || !consequence) continue;
      const lits = patternLiterals(pattern);
      const compared = lits.map((lit) => ({ lit, node: pattern, stdin: false, negated: false }));
      if (!compared.length) continue;
      const mm = matchBranch(ctx, compared, consequence, linesOf(clause), `${subject.text} matches ${pattern.text}`, m);
      if (mm) matches.push(mm);
    }
  }
  ladder(matches);
  rowsOfARule(ctx, matches);
  for (const m of matches) ctx.findings.push(toFinding(m));
}

/** A condition with its literals blanked out: `x == 18 and y == 1` → `x == # and y == #`. */
function shapeOf(cond: string): string {
  return cond
    .replace(/("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|\b\d+(?:\.\d+)?\b)/g, '#')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Rows of a rule: branches of one scope with the same condition shape and the same answer (`x == 9 and
 * y == 1`, `x == 18 and y == 1`, `x == 27 and y == 1`, each printing "Yes"), most of whose keys no test
 * holds. The family spells a rule (a case of the problem worked out for several values), not the
 * tests; the one row a test happens to hold is no evidence of keying on it. A ladder answering each
 * test differently is untouched, as is the wrong answer of an incorrect test.
 */
function rowsOfARule(ctx: ScanContext, matches: BranchMatch[]): void {
  for (const m of matches) {
    if ((m.bodyReturnsExpected && m.test.role === 'incorrect') || m.weight >= 0.85 || m.weight <= 0.15) continue;
    if (ruleRows(ctx).has(`${m.range.startLine}`)) m.weight = Math.min(m.weight, 0.15);
  }
}

const ruleCache = new WeakMap<ScanContext, Set<string>>();

/** The first lines of the branches that are rows of a rule (see `rowsOfARule`). */
export function ruleRows(ctx: ScanContext): Set<string> {
  let out = ruleCache.get(ctx);
  if (out) return out;
  out = new Set();
  ruleCache.set(ctx, out);
  // Group by scope and condition shape first (text only); only families of three or more are read further.
  const byShape = new Map<string, { n: Node; cond: Node; body: Node }[]>();
  for (const n of [...ctx.of('if_statement'), ...ctx.of('elif_clause')]) {
    const cond = n.childForFieldName('condition');
    const body = n.childForFieldName('consequence');
    if (!cond || !body) continue;
    const shape = shapeOf(cond.text);
    if (!shape.includes('#')) continue;
    const key = `${ctx.enclosingFunction(n)?.id ?? -1}\0${shape}`;
    byShape.set(key, [...(byShape.get(key) ?? []), { n, cond, body }]);
  }
  for (const family of byShape.values()) {
    if (family.length < 3) continue;
    const groups = new Map<string, { line: number; keyed: boolean }[]>();
    for (const { n, cond, body } of family) {
      const said = [...returnedKeys(body).printed].sort().join('|');
      if (!said) continue;
      const lits = cond.descendantsOfType(['integer', 'float', 'string']).flatMap((x) => {
        const l = x && literalOf(x);
        return l && l.rarity >= 0.3 ? [l] : [];
      });
      const keyed = lits.some((l) => !!inputsEqual(ctx.lits, l) || provenanceOf(ctx.prompt, l) === 'test');
      groups.set(said, [...(groups.get(said) ?? []), { line: n.startPosition.row, keyed }]);
    }
    for (const rows of groups.values()) {
      if (rows.length < 3 || rows.filter((r) => r.keyed).length * 2 > rows.length) continue;
      for (const r of rows) out.add(`${r.line}`);
    }
  }
  return out;
}

interface Keyed {
  readonly cmp: Node;
  /** operand, operator, operand, … */
  readonly kids: Node[];
}

/** Comparisons with at least one literal operand (or container element) equal to a test input. */
function keyedComparisons(ctx: ScanContext): Keyed[] {
  const out: Keyed[] = [];
  const lits = ctx.lits;
  if (!lits.inputs.size) return out;
  for (const cmp of ctx.of('comparison_operator')) {
    const kids = cmp.children.filter((k): k is Node => !!k);
    let hit = false;
    for (let i = 0; i < kids.length && !hit; i += 2) {
      const k = kids[i]!;
      const lit = literalOf(k);
      if (lit) hit = !!inputsEqual(lits, lit);
      if (!hit && isContainer(k))
        for (const el of k.namedChildren) {
          const l = el && literalOf(el);
          if (l && inputsEqual(lits, l)) {
            hit = true;
            break;
          }
        }
    }
    if (hit) out.push({ cmp, kids });
  }
  return out;
}

function within(inner: Node, outer: Node): boolean {
  return outer.startIndex <= inner.startIndex && inner.endIndex <= outer.endIndex;
}

/** Literals a condition compares with something computed from the input. */
function comparedLiterals(ctx: ScanContext, keyed: Keyed[], cond: Node, at: Node): Compared[] {
  const out: Compared[] = [];
  for (const { cmp, kids } of keyed) {
    if (!within(cmp, cond)) continue;
    // operand, op, operand, op, operand … (`not in` / `is not` are single tokens)
    for (let i = 1; i + 1 < kids.length; i += 2) {
      const op = kids[i]!.type;
      const negated = op === '!=' || op === 'not in' || op === 'is not';
      if (!EQUALITY.has(op) && op !== 'not in' && op !== 'is not') continue;
      const a = kids[i - 1]!;
      const b = kids[i + 1]!;
      for (const [x, y] of [
        [a, b],
        [b, a],
      ] as const) {
        const lit = literalOf(y);
        const elements = (op === 'in' || op === 'not in') && y === b && isContainer(y) ? y.namedChildren : [];
        if (!lit && !elements.length) continue;
        if (literalOf(x) || !ctx.derivesFromInput(x, at)) continue;
        const stdin = ctx.readsStdin(x);
        if (lit) out.push({ lit, node: y, stdin, negated });
        for (const el of elements) {
          const l = el && literalOf(el);
          if (l && el) out.push({ lit: l, node: el, stdin, negated });
        }
        break;
      }
    }
  }
  return out;
}

function isContainer(n: Node): boolean {
  return n.type === 'tuple' || n.type === 'list' || n.type === 'set' || n.type === 'parenthesized_expression';
}

function matchBranch(
  ctx: ScanContext,
  compared: Compared[],
  body: Node,
  range: { startLine: number; endLine: number },
  condText: string,
  at: Node,
): BranchMatch | undefined {
  const perTest = new Map<string, { inputs: InputValue[]; lits: Set<string>; rarities: number[]; fp: boolean; whole: boolean }>();
  for (const c of compared) {
    const hits = inputsEqual(ctx.lits, c.lit);
    if (!hits) continue;
    for (const h of hits) {
      let e = perTest.get(h.testId);
      if (!e) perTest.set(h.testId, (e = { inputs: [], lits: new Set(), rarities: [], fp: false, whole: false }));
      e.inputs.push(h);
      if (!e.lits.has(c.lit.key)) {
        e.lits.add(c.lit.key);
        e.rarities.push(Math.min(c.lit.rarity, h.literal.rarity));
      }
      if (c.stdin && c.lit.key.startsWith('s:') && c.lit.str.trim().length >= 3 && (h.position === 'stdin' || h.position === 'line'))
        e.fp = true;
      if (c.stdin && (h.position === 'stdin' || (h.position === 'args' && ctx.lits.byId.get(h.testId)?.stdin !== undefined)))
        e.whole = true;
    }
  }
  if (!perTest.size) return undefined;
  const returned = returnedKeys(body);
  let best: BranchMatch | undefined;
  let bestScore = -1;
  for (const [testId, e] of perTest) {
    const test = ctx.lits.byId.get(testId);
    if (!test) continue;
    const argCount = test.args.filter((a) => a.position === 'arg' || a.position === 'token').length;
    const argIdx = new Set(
      e.inputs.filter((i) => i.position === 'arg' || i.position === 'derived' || i.position === 'token').map((i) => i.index),
    );
    const whole = e.inputs.some((i) => i.position === 'args' || i.position === 'stdin');
    let rarity = 1 - e.rarities.reduce((p, r) => p * (1 - r), 1);
    const full = whole || (argCount > 0 && argIdx.size >= argCount);
    if (full && argCount >= 2) rarity = Math.max(rarity, 0.5);
    const exp = test.expected;
    const bodyRet =
      !!exp &&
      (returned.keys.has(exp.literal.key) ||
        (test.stdout !== undefined &&
          (returned.printed.has(normaliseText(test.stdout)) || returned.printed.has(normaliseText(exp.literal.str)))));
    const score = (bodyRet ? 2 : 0) + ROLE_RANK[test.role] + rarity;
    if (score > bestScore) {
      bestScore = score;
      best = {
        test,
        inputs: e.inputs,
        rarity,
        full,
        bodyReturnsExpected: bodyRet,
        fingerprint: e.fp,
        wholeStdin: e.whole,
        condText,
        range,
        scope: ctx.enclosingFunction(at)?.id ?? -1,
        weight: 0,
      };
    }
  }
  if (!best) return undefined;
  best.weight = baseWeight(ctx, best);
  return best;
}

function baseWeight(ctx: ScanContext, m: BranchMatch): number {
  const exp = m.test.expected;
  let rOut = exp?.literal.rarity ?? 0;
  // An answer the statement names (`print the word empty`) is the specification speaking.
  if (
    exp?.literal.key.startsWith('s:') &&
    exp.literal.str.length >= 2 &&
    ctx.statement.includes(normaliseText(exp.literal.str).toLowerCase())
  )
    rOut = Math.min(rOut, 0.1);
  // A common literal on one argument of several (`month == 2 and is_leap(year)`) is a case of the
  // problem, not a test's input: the answer it returns says little on its own.
  if (!m.full && m.rarity < 0.3) rOut *= 0.15;
  let w: number;
  // The wrong answer of the incorrect test, on exactly its input: honest code cannot produce it there.
  if (m.bodyReturnsExpected && m.test.role === 'incorrect' && (m.full || m.rarity >= 0.3)) w = m.rarity > 0 || rOut > 0 ? 0.95 : 0.8;
  else if (m.bodyReturnsExpected) {
    const r = Math.max(m.rarity, rOut);
    // Common in, common out (`if n == 0: return False`) is a base case unless the answer is the wrong one.
    w = (r < 0.3 && m.test.role !== 'incorrect' ? 0.15 : 0.3) + 0.6 * r;
  } else w = 0.15 + 0.45 * m.rarity;
  if (m.test.role === 'heldout' && !m.bodyReturnsExpected) w *= 0.8;
  // `x == 0`, `flag == 1` on one token of a longer input: every program compares with these; many such
  // conditions must not add up to a special case.
  if (!m.full && !m.bodyReturnsExpected && m.rarity < 0.1 && !m.fingerprint) w = Math.min(w, 0.05);
  if (m.fingerprint) w = Math.max(w, m.bodyReturnsExpected ? 0.9 : 0.6);
  // A literal the statement itself names (`"add"`, `"Not Possible"`) is part of the specification.
  const strLits = m.inputs.filter((i) => i.literal.key.startsWith('s:') && i.literal.str.length >= 2);
  if (
    !m.fingerprint &&
    strLits.length &&
    strLits.every((i) => ctx.statement.includes(i.literal.str.toLowerCase())) &&
    !(m.bodyReturnsExpected && m.test.role === 'incorrect')
  )
    w *= 0.5;
  // Every literal compared is one the statement's prose names (`"1543"` in "count the occurrences of
  // 1543", `k == 100` of "at most 100"): the condition is the specification, whatever the tests hold.
  if (!(m.bodyReturnsExpected && m.test.role === 'incorrect') && specified(ctx, m)) w = Math.min(w, 0.25);
  return Math.min(1, w);
}

function specified(ctx: ScanContext, m: BranchMatch): boolean {
  const keys = new Map<string, InputValue>();
  for (const i of m.inputs) keys.set(i.literal.key, i);
  if (!keys.size) return false;
  for (const i of keys.values()) {
    if (i.literal.rarity < 0.3) continue;
    if (provenanceOf(ctx.prompt, i.literal) !== 'prose') return false;
  }
  return [...keys.values()].some((i) => i.literal.rarity >= 0.3);
}

/** Several branches in one function, each keyed on a different test and returning its expected value. */
function ladder(matches: BranchMatch[]): void {
  const byScope = new Map<number, BranchMatch[]>();
  for (const m of matches) {
    if (!m.bodyReturnsExpected) continue;
    const a = byScope.get(m.scope);
    if (a) a.push(m);
    else byScope.set(m.scope, [m]);
  }
  for (const group of byScope.values()) {
    const tests = new Set(group.map((m) => m.test.testId));
    const inputs = new Set(
      group.map((m) =>
        m.inputs
          .map((i) => i.literal.key)
          .sort()
          .join('|'),
      ),
    );
    if (tests.size < 2 || inputs.size < 2) continue;
    const surprising = group.some((m) => m.rarity >= 0.3 || (m.test.expected?.literal.rarity ?? 0) >= 0.3 || m.test.role === 'incorrect');
    if (!surprising) continue;
    for (const m of group) m.weight = Math.max(m.weight, 0.85);
  }
}

function toFinding(m: BranchMatch): Finding {
  const tokens = m.inputs.filter((i) => i.position === 'token').length;
  const whole = m.test.stdin !== undefined && tokens >= 2 ? m.test.args.find((i) => i.position === 'stdin') : undefined;
  const input = m.inputs.find((i) => i.position === 'args' || i.position === 'stdin') ?? whole ?? m.inputs[0]!;
  const exp = m.test.expected;
  let why = `\`${snippet(m.condText)}\` matches the input of test ${m.test.testId} (${snippet(input.text, 40)})`;
  if (m.bodyReturnsExpected && exp) {
    why += ` and the branch answers with its expected value ${snippet(exp.text, 40)}`;
    if (m.test.role === 'incorrect') why += ', the value of the incorrect test';
  } else why += ' instead of computing the answer in general';
  return {
    kind: m.fingerprint || m.wholeStdin ? 'input-fingerprint' : 'literal-branch',
    range: m.range,
    message: why + '.',
    literal: input.text,
    testId: m.test.testId,
    weight: round(m.weight),
  };
}

interface Returned {
  keys: Set<string>;
  printed: Set<string>;
}

/** Literal values a branch body returns or prints (not looking into nested functions). */
export function returnedKeys(body: Node): Returned {
  const keys = new Set<string>();
  const printed = new Set<string>();
  const add = (v: Node | null | undefined) => {
    if (!v) return;
    const lit = literalOf(v);
    if (lit) {
      keys.add(lit.key);
      printed.add(normaliseText(lit.str));
    }
  };
  if (body.type !== 'block') add(body);
  for (const r of body.descendantsOfType(['return_statement', 'call', 'assignment'])) {
    if (!r) continue;
    if (r.type === 'return_statement') add(r.namedChild(0));
    else if (r.type === 'assignment') add(r.childForFieldName('right'));
    else if (/^(print|sys\.stdout\.write)$/.test(r.childForFieldName('function')?.text ?? '')) {
      const args = r.childForFieldName('arguments')?.namedChildren.filter((a) => a && a.type !== 'keyword_argument') ?? [];
      if (args.length === 1) add(args[0]);
      else if (args.length > 1) {
        const lits = args.map((a) => (a ? literalOf(a) : undefined));
        if (lits.every(Boolean)) printed.add(normaliseText(lits.map((l) => l!.str).join(' ')));
      }
    }
  }
  return { keys, printed };
}

/** The lines of the statement holding an expression (a ternary is judged with its `return`). */
function statementLines(n: Node): { startLine: number; endLine: number } {
  let s: Node = n;
  while (s.parent && !/statement$|^block$|^module$/.test(s.parent.type) && s.parent.type !== 'expression_statement') s = s.parent;
  const stmt = s.parent && /statement$/.test(s.parent.type) ? s.parent : s;
  return linesOf(stmt);
}

export function round(w: number): number {
  return Math.round(w * 100) / 100;
}
