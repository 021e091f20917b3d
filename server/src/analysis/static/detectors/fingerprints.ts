/**
 * Test-free evidence: conditions that recognise the input instead of computing from it, found without
 * a parsed test.
 *
 * - `input-fingerprint`: a condition on the input whose literals are fragments of the tests' text
 *   (`'file1.csv' in str(paths)`, `len(logs) == 6 and "10.0.0.1" in str(logs)`, `x[0]['k'] == 'U1'`),
 *   stronger when the branch answers with a literal that is also in the tests. In a failure path (an
 *   `except` handler) the same is a `canned-fallback`: the code "falls back" to the tests' answers.
 * - `literal-branch` (dispatch): a chain of branches in one function, each comparing the input with a
 *   literal and answering with a literal (`return 6 if m == 3 && n == 3`, `if n == 3: print("5 1 1 1")`),
 *   whatever the tests say; a table of such answers needs no test either.
 *
 * A literal the statement's prose names is the specification (`"admin"` in "paths containing admin"),
 * never a fingerprint; common values (`0`, `1`, `""`, `True`) and base cases answering them stay clean.
 */
import type { Finding } from '../../../../../contract/domain';
import { literalOf, type PyLiteral } from '../../literals';
import type { Node } from '../../parser';
import { provenanceOf, sequenceProvenance, type Provenance } from '../../promptLiterals';
import { spanLines, snippet, linesOf, type ScanContext } from '../context';
import { round, ruleRows } from './branches';

interface Atom {
  /** The literal compared with the input, as written. */
  readonly text: string;
  /** The input side as written (`n`, `len(xs)`, `a[0]`). */
  readonly subject: string;
  readonly lit: PyLiteral;
  readonly provenance: Provenance | undefined;
  /** `len(x) == N`: says how big the input is, a fingerprint only beside another. */
  readonly length: boolean;
  /** Equality (`==`, `in` a literal container, `is`), not `!=` / `not in`. */
  readonly equality: boolean;
}

interface Arm {
  readonly node: Node;
  readonly cond: Node;
  readonly atoms: Atom[];
  /** Every leaf of the condition compares the input with a literal. */
  readonly pure: boolean;
  /** The literal the branch answers with (returned, printed, assigned), the rarest one. */
  readonly answer?: { lit: PyLiteral; text: string; provenance: Provenance | undefined } | undefined;
  readonly range: { startLine: number; endLine: number };
  readonly scope: number;
  readonly fallback: boolean;
}

const EQ = new Set(['==', 'is', 'in']);
const MAY_COMPARE = /==|!=|\bin\b|\bis\b|startswith|endswith/;
const NEQ = new Set(['!=', 'is not', 'not in']);

export function detectFingerprints(ctx: ScanContext, covered: (line: number, weight: number) => boolean): void {
  if (!MAY_COMPARE.test(ctx.code)) return;
  const arms = collectArms(ctx, covered);
  if (!arms.length) return;
  const dispatched = new Set<Arm>();
  // Dispatch chains: two or more pure arms of one scope answering with uncommon literals.
  const byScope = new Map<number, Arm[]>();
  for (const a of arms) {
    if (!a.pure || !a.answer || a.answer.provenance === 'prose' || !a.atoms.some((x) => x.equality && !x.length)) continue;
    if (a.atoms.every((x) => x.provenance === 'prose')) continue;
    if (!surprising(a)) continue;
    const g = byScope.get(a.scope);
    if (g) g.push(a);
    else byScope.set(a.scope, [a]);
  }
  for (const group of byScope.values()) {
    const keys = new Set(
      group.map((a) =>
        a.atoms
          .map((x) => x.lit.key)
          .sort()
          .join('|'),
      ),
    );
    const answers = new Set(group.map((a) => a.answer!.lit.key));
    if (group.length < 2 || keys.size < 2 || answers.size < 2) continue;
    const fromTests = group.filter((a) => a.answer!.provenance === 'test' || a.atoms.some((x) => x.provenance === 'test')).length;
    const w = Math.min(0.9, 0.6 + 0.08 * (group.length - 2) + (fromTests >= 2 ? 0.2 : 0));
    for (const a of group) {
      dispatched.add(a);
      if (covered(a.range.startLine, w)) continue;
      ctx.findings.push({
        kind: a.fallback ? 'canned-fallback' : 'literal-branch',
        range: a.range,
        message: `One of ${group.length} branches that each recognise a literal input (\`${snippet(a.cond.text, 50)}\`) and answer with a literal (${snippet(a.answer!.text, 30)}): a table of answers, not a computation.`,
        literal: a.atoms[0]!.text,
        weight: round(w),
      });
    }
  }
  for (const a of positional(ctx, arms)) dispatched.add(a);
  for (const a of arms) {
    if (dispatched.has(a)) continue;
    const f = fingerprint(ctx, a);
    if (!f || covered(f.range.startLine, f.weight)) continue;
    // one row of a rule whose other rows no test holds (`x == 9`, `x == 18`, `x == 27`, all "Yes")
    if (!a.fallback && ruleRows(ctx).has(`${a.node.startPosition.row}`)) continue;
    ctx.findings.push(f);
  }
}

/**
 * Answers by position: a stdin program looping over its cases (`for i in range(t)`, `t` read from the
 * input) that branches on the case's index and prints a literal for each (`if i == 0: print("YES")`,
 * `elif i == 1: print("NO")`): the answers follow the order of the shown cases, not their content.
 */
function positional(ctx: ScanContext, arms: Arm[]): Arm[] {
  if (!ctx.stdinNames().size && !/\binput\s*\(|stdin/.test(ctx.code)) return [];
  const counters = new Set<string>();
  for (const f of ctx.of('for_statement')) {
    const left = f.childForFieldName('left');
    const right = f.childForFieldName('right');
    if (left?.type === 'identifier' && right && /^range\s*\(/.test(right.text) && ctx.derivesFromInput(right, f)) counters.add(left.text);
  }
  if (!counters.size) return [];
  const byScope = new Map<number, Arm[]>();
  for (const a of arms) {
    if (!a.pure || !a.answer || !a.atoms.every((x) => x.equality && counters.has(x.subject) && x.lit.key.startsWith('n:'))) continue;
    const g = byScope.get(a.scope);
    if (g) g.push(a);
    else byScope.set(a.scope, [a]);
  }
  const out: Arm[] = [];
  for (const group of byScope.values()) {
    const positions = new Set(group.flatMap((a) => a.atoms.map((x) => x.lit.key)));
    if (group.length < 2 || positions.size < 2) continue;
    for (const a of group) {
      out.push(a);
      ctx.findings.push({
        kind: 'literal-branch',
        range: a.range,
        message: `Answers by the position of the case (\`${snippet(a.cond.text, 40)}\` prints ${snippet(a.answer!.text, 30)}), not by its content: one of ${group.length} branches on the case's index.`,
        literal: a.atoms[0]!.text,
        weight: 0.75,
      });
    }
  }
  return out;
}

/** An arm no base case or small table explains: an uncommon key with a non-trivial answer, a very
 *  uncommon answer, or a literal from the tests' text. */
function surprising(a: Arm): boolean {
  const ans = a.answer!;
  const key = Math.max(...a.atoms.map(atomRarity));
  const out = answerRarity(ans.lit);
  if (ans.provenance === 'test' && out >= 0.3) return true;
  if (a.atoms.some((x) => x.provenance === 'test' && atomRarity(x) >= 0.3) && out >= 0.3) return true;
  return (key >= 0.5 && out >= 0.3) || (out >= 0.8 && key >= 0.4);
}

/** A condition keyed on fragments of the tests (or a stdin branch printing a canned answer). */
function fingerprint(ctx: ScanContext, a: Arm): Finding | undefined {
  const keyed = a.atoms.filter((x) => x.equality && !x.length && x.provenance === 'test' && atomRarity(x) >= 0.3);
  const lengths = a.atoms.filter((x) => x.length && x.equality).length;
  const small = keyed.filter((x) => atomRarity(x) < 0.5).length;
  const strength = keyed.length - 0.5 * small + (keyed.length ? 0.5 * Math.min(1, lengths) : 0);
  const ans = a.answer;
  const answerFromTests = !!ans && ans.provenance === 'test' && answerRarity(ans.lit) >= 0.3;
  const stdin = ctx.readsStdin(a.cond) || (ctx.stdinNames().size > 0 && a.atoms.length > 0);
  // A stdin branch on the input printing a multi-token answer that is one of the expected lines.
  const cannedLine =
    stdin &&
    !!ans &&
    ans.provenance === 'test' &&
    a.pure &&
    answerRarity(ans.lit) >= 0.8 &&
    a.atoms.some((x) => x.equality && atomRarity(x) >= 0.3);
  if (strength < 1 && !(strength >= 0.5 && answerFromTests) && !cannedLine) return a.fallback ? sizedFallback(ctx, a) : undefined;
  let w = strength >= 1 ? 0.4 + 0.15 * Math.min(3, strength - 1) : 0.35;
  if (answerFromTests) w += strength >= 1 ? 0.25 : 0.3;
  if (cannedLine) w = Math.max(w, 0.7);
  // Recognising the tests inside a failure path: honest error handling never needs to.
  if (a.fallback) w += 0.2;
  w = Math.min(0.95, w);
  const what = keyed.length
    ? keyed
        .map((x) => snippet(x.text, 30))
        .slice(0, 3)
        .join(', ')
    : snippet(a.cond.text, 40);
  const answered = ans && (answerFromTests || cannedLine) ? ` and answers with ${snippet(ans.text, 40)}, also from the tests` : '';
  return {
    kind: a.fallback ? 'canned-fallback' : 'input-fingerprint',
    range: a.range,
    message: `${a.fallback ? 'In the fallback path, the' : 'The'} condition \`${snippet(a.cond.text, 60)}\` recognises the tests' inputs by ${what}${answered}, instead of computing the answer in general.`,
    literal: keyed[0]?.text ?? ans?.text ?? a.cond.text,
    weight: round(w),
  };
}

/**
 * In a failure path, a branch on the input's size that equals the size of a test's input (`except …:
 * if len(log_entries) == 4:`): honest error handling has no reason to tell inputs apart by how many
 * items they hold, let alone by the counts the tests happen to have. Stronger when the handler's other
 * size checks (`elif len(log_entries) >= 6`) land on the sizes of other tests too.
 */
function sizedFallback(ctx: ScanContext, a: Arm): Finding | undefined {
  const params = ctx.enclosingFunction(a.node)?.childForFieldName('parameters')?.text ?? '';
  const isParam = (name: string) => new RegExp(`[(,]\\s*\\*{0,2}${name}\\b`).test(params);
  for (const x of a.atoms) {
    if (!x.length || !x.equality || !x.lit.key.startsWith('n:')) continue;
    const n = Number(x.lit.str);
    if (!Number.isInteger(n) || n < 3) continue;
    // the size of an argument itself, not of one of its items (`len(row) == 3` for a record's shape)
    const arg = /^len\(\s*([A-Za-z_]\w*)\s*\)$/.exec(x.subject)?.[1];
    if (!arg || !isParam(arg)) continue;
    const hits = ctx.lits.sizes.get(n);
    if (!hits?.length) continue;
    const t = hits[0]!;
    const tests = new Set([t.testId, ...sizeChecks(ctx, a.node, arg)]);
    const also = [...tests].filter((id) => id !== t.testId);
    return {
      kind: 'canned-fallback',
      range: a.range,
      message: `In the fallback path, \`${snippet(a.cond.text, 60)}\` recognises test ${t.testId} by the size of its input (${n} items)${also.length ? `, and the handler's other size checks land on the sizes of ${also.join(', ')}` : ''}, instead of handling the failure in general.`,
      literal: `${x.subject} == ${n}`,
      testId: t.testId,
      weight: also.length ? 0.9 : 0.7,
    };
  }
  return undefined;
}

/** The tests whose input size a comparison of `len(arg)` with a number (any operator) names, anywhere
 *  in the `except` handler around `node`. */
function sizeChecks(ctx: ScanContext, node: Node, arg: string): string[] {
  let handler: Node | null = node.parent;
  while (handler && handler.type !== 'except_clause' && handler.type !== 'except_group_clause') handler = handler.parent;
  if (!handler) return [];
  const out: string[] = [];
  const len = new RegExp(`^len\\(\\s*${arg}\\s*\\)$`);
  for (const cmp of handler.descendantsOfType('comparison_operator')) {
    const kids = cmp?.children.filter((k): k is Node => !!k) ?? [];
    if (kids.length !== 3) continue;
    const [l, , r] = kids as [Node, Node, Node];
    const num = len.test(l.text) ? literalOf(r) : len.test(r.text) ? literalOf(l) : undefined;
    const n = num?.key.startsWith('n:') ? Number(num.str) : NaN;
    if (!Number.isInteger(n) || n < 2) continue;
    for (const h of ctx.lits.sizes.get(n) ?? []) if (!out.includes(h.testId)) out.push(h.testId);
  }
  return out;
}

function atomRarity(a: Atom): number {
  if (a.lit.key.startsWith('s:')) return a.lit.str.trim().length >= 5 ? Math.max(0.6, a.lit.rarity) : a.lit.rarity;
  return a.lit.rarity;
}

function answerRarity(lit: PyLiteral): number {
  // A printed line of several numbers (`"5 1 1 1"`) is an answer, however small each number is,
  // unless it is only a couple of 0s and 1s (`"0 1"`, a case the problem names).
  if (lit.key.startsWith('s:') && /^\s*-?\d+(?:\.\d+)?(?:\s+-?\d+(?:\.\d+)?)+\s*$/.test(lit.str)) {
    const toks = lit.str.trim().split(/\s+/);
    return toks.length >= 3 || toks.some((t) => Math.abs(Number(t)) >= 3) ? 0.8 : 0.3;
  }
  return lit.rarity;
}

function collectArms(ctx: ScanContext, covered: (line: number, weight: number) => boolean): Arm[] {
  const out: Arm[] = [];
  ctx.ofMany(['if_statement', 'elif_clause', 'conditional_expression']);
  const add = (node: Node, cond: Node | null, body: Node | null, range: () => { startLine: number; endLine: number }) => {
    // Only a condition that can compare with a literal is worth walking (most are `<`, `>`, calls).
    if (!cond || !body || !MAY_COMPARE.test(cond.text) || covered(node.startPosition.row, 0.5)) return;
    const { atoms, pure } = atomsOf(ctx, cond, node);
    if (!atoms.length) return;
    out.push({
      node,
      cond,
      atoms,
      pure,
      range: range(),
      answer: answerOf(ctx, body),
      scope: ctx.enclosingFunction(node)?.id ?? -1,
      fallback: inExcept(node),
    });
  };
  for (const n of [...ctx.of('if_statement'), ...ctx.of('elif_clause')]) {
    const body = n.childForFieldName('consequence');
    if (body) add(n, n.childForFieldName('condition'), body, () => spanLines(n, body));
  }
  for (const n of ctx.of('conditional_expression')) {
    const kids = n.namedChildren;
    if (kids.length >= 3) add(n, kids[1]!, kids[0]!, () => linesOf(enclosingStatement(n)));
  }
  return out;
}

/** The comparisons of a condition (through `and`/`or`/`not`/parentheses) of the input with literals. */
function atomsOf(ctx: ScanContext, cond: Node, at: Node): { atoms: Atom[]; pure: boolean } {
  const atoms: Atom[] = [];
  let pure = true;
  const visit = (n: Node, depth: number): void => {
    if (depth > 12) return;
    if (n.type === 'boolean_operator' || n.type === 'not_operator' || n.type === 'parenthesized_expression') {
      for (const c of n.namedChildren) if (c && c.type !== 'comment') visit(c, depth + 1);
      return;
    }
    if (n.type === 'comparison_operator') {
      if (!comparison(ctx, n, at, atoms)) pure = false;
      return;
    }
    if (n.type === 'call' && /^(any|all)$/.test(n.childForFieldName('function')?.text ?? '')) {
      // `any('John' in r['name'] for r in records)`: the comparison inside speaks of the input's items.
      for (const c of n.descendantsOfType('comparison_operator')) if (c) loose(ctx, c, atoms);
      pure = false;
      return;
    }
    if (n.type === 'call') {
      const fn = n.childForFieldName('function');
      const m = fn?.type === 'attribute' ? /\.(startswith|endswith)$/.exec(fn.text) : null;
      const recv = fn?.childForFieldName('object');
      const arg = n.childForFieldName('arguments')?.namedChild(0);
      const lit = arg ? literalOf(arg) : undefined;
      if (m && recv && lit && arg && ctx.derivesFromInput(recv, at)) {
        atoms.push(atom(ctx, arg, lit, false, true));
        return;
      }
    }
    pure = false;
  };
  visit(cond, 0);
  return { atoms, pure };
}

/** Adds the atoms of one comparison; false when some part compares something else. */
function comparison(ctx: ScanContext, cmp: Node, at: Node, atoms: Atom[]): boolean {
  const kids = cmp.children.filter((k): k is Node => !!k);
  let all = true;
  for (let i = 1; i + 1 < kids.length; i += 2) {
    const op = kids[i]!.type;
    const eq = EQ.has(op);
    if (!eq && !NEQ.has(op)) {
      all = false;
      continue;
    }
    const a = kids[i - 1]!;
    const b = kids[i + 1]!;
    let done = false;
    const la = literalOf(a);
    const lb = la ? undefined : literalOf(b);
    const pair = la ? ([b, a, la] as const) : lb ? ([a, b, lb] as const) : undefined;
    if (pair && !literalOf(pair[0]) && ctx.derivesFromInput(pair[0], at)) {
      const [x, y, lit] = pair;
      const length = x.type === 'call' && x.childForFieldName('function')?.text === 'len';
      // `x in [a, b, c]`: each element is a case; `x == [1, 2, 3]`: the whole list is one.
      if ((op === 'in' || op === 'not in') && y === b && (y.type === 'list' || y.type === 'tuple' || y.type === 'set')) {
        for (const el of y.namedChildren) {
          const l = el && literalOf(el);
          if (l && el) atoms.push(atom(ctx, el, l, length, eq, x.text));
        }
      } else atoms.push(atom(ctx, y, lit, length, eq, x.text));
      done = true;
    }
    if (!done) all = false;
  }
  return all;
}

/** Atoms of a comparison whose other side is not a constant (a generator's item: not tracked as input). */
function loose(ctx: ScanContext, cmp: Node, atoms: Atom[]): void {
  const kids = cmp.children.filter((k): k is Node => !!k);
  for (let i = 1; i + 1 < kids.length; i += 2) {
    const op = kids[i]!.type;
    if (!EQ.has(op)) continue;
    const [a, b] = [kids[i - 1]!, kids[i + 1]!];
    const la = literalOf(a);
    const lb = literalOf(b);
    if (la && !lb) atoms.push(atom(ctx, a, la, false, true));
    else if (lb && !la) atoms.push(atom(ctx, b, lb, false, true));
  }
}

function atom(ctx: ScanContext, node: Node, lit: PyLiteral, length: boolean, equality: boolean, subject = ''): Atom {
  return { text: node.text, subject, lit, provenance: provenanceOfNode(ctx, node, lit), length, equality };
}

/** Provenance of a literal node: strings and numbers directly, a list of numbers as a token run. */
function provenanceOfNode(ctx: ScanContext, node: Node, lit: PyLiteral): Provenance | undefined {
  if (lit.key.startsWith('s:') || lit.key.startsWith('n:')) return provenanceOf(ctx.prompt, lit);
  if (node.type === 'list' || node.type === 'tuple' || node.type === 'set') {
    const items = node.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
    const lits = items.map((c) => literalOf(c));
    if (lits.length >= 2 && lits.every((l) => l?.key.startsWith('n:')))
      return sequenceProvenance(
        ctx.prompt,
        lits.map((l) => l!.str),
      );
    // A structure of strings: from the tests when its uncommon strings are, and none is the prose's.
    const leaves = stringLeaves(node);
    const provs = leaves.map((l) => provenanceOf(ctx.prompt, l));
    if (provs.includes('prose')) return 'prose';
    return provs.includes('test') ? 'test' : undefined;
  }
  if (node.type === 'dictionary') {
    const provs = stringLeaves(node).map((l) => provenanceOf(ctx.prompt, l));
    if (provs.filter((p) => p === 'test').length >= 1 && !provs.includes('prose')) return 'test';
  }
  return undefined;
}

function stringLeaves(node: Node): PyLiteral[] {
  const out: PyLiteral[] = [];
  for (const s of node.descendantsOfType(['string', 'integer', 'float'])) {
    const l = s && literalOf(s);
    if (l && (l.key.startsWith('s:') ? l.str.trim().length >= 3 : l.rarity >= 0.7)) out.push(l);
  }
  return out;
}

/** The uncommon literal a branch answers with: returned, printed, or assigned (first statement level). */
function answerOf(ctx: ScanContext, body: Node): Arm['answer'] {
  const cands: Node[] = [];
  if (body.type !== 'block') cands.push(body);
  else {
    for (const s of body.namedChildren) {
      if (!s) continue;
      if (s.type === 'return_statement' && s.namedChild(0)) cands.push(s.namedChild(0)!);
      else if (s.type === 'expression_statement') {
        const e = s.namedChild(0);
        if (e?.type === 'call' && /^(print|sys\.stdout\.write)$/.test(e.childForFieldName('function')?.text ?? '')) {
          const args = e.childForFieldName('arguments')?.namedChildren.filter((x): x is Node => !!x && x.type !== 'keyword_argument') ?? [];
          if (args.length === 1) cands.push(args[0]!);
        } else if (e?.type === 'assignment' || e?.type === 'augmented_assignment') {
          const r = e.childForFieldName('right');
          if (r) cands.push(r);
        }
      }
    }
  }
  let best: Arm['answer'];
  for (const c of cands) {
    const lit = literalOf(c);
    if (!lit) continue;
    const provenance = provenanceOfNode(ctx, c, lit);
    if (!best || answerRarity(lit) + (provenance === 'test' ? 0.5 : 0) > answerRarity(best.lit) + (best.provenance === 'test' ? 0.5 : 0)) {
      best = { lit, text: c.text, provenance };
    }
  }
  return best;
}

function inExcept(n: Node): boolean {
  for (let p = n.parent; p; p = p.parent) {
    if (p.type === 'except_clause' || p.type === 'except_group_clause') return true;
    if (p.type === 'function_definition' || p.type === 'class_definition') return false;
  }
  return false;
}

function enclosingStatement(n: Node): Node {
  let s: Node = n;
  while (s.parent && !/statement$/.test(s.type) && s.parent.type !== 'block' && s.parent.type !== 'module') s = s.parent;
  return s;
}
