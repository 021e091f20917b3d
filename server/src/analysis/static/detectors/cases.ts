/**
 * `literal-branch` tied to one case of a multi-case stdin test (`StdioTest.cases`): a branch whose
 * condition recognises that case's own values (`if n == 4 and a[0] == 9`) and that prints that case's
 * own expected output (`print("7 2 2 9")`). The whole input's literals say little here (every case's
 * `n` is a token of it, and the answer is only a part of the expected output); the case's do: the
 * finding names the case, its input and its answer, and is highlighted on the branch.
 *
 * A general rule that happens to hold for the case stays clean: a common value answered with a common
 * value (`if n == 1: print(0)`), an answer or a key the statement's prose names, and a branch whose
 * condition holds for other cases that expect the same answer is weaker (it may be the rule itself).
 */
import type { Finding } from '../../../../../contract/domain';
import { literalOf, numberLiteralFromText, type PyLiteral } from '../../literals';
import type { Node } from '../../parser';
import { provenanceOf } from '../../promptLiterals';
import { normaliseText, type CaseValues } from '../../testLiterals';
import { snippet, spanLines, linesOf, type ScanContext } from '../context';
import { round } from './branches';

interface Key {
  readonly lit: PyLiteral;
  readonly text: string;
}

interface Tied {
  readonly node: Node;
  readonly cond: Node;
  readonly part: CaseValues;
  readonly answer: string;
  readonly range: { startLine: number; endLine: number };
  readonly scope: number;
  weight: number;
}

const EQ = new Set(['==', 'is', 'in']);

export function detectCaseBranches(ctx: ScanContext): void {
  const parts = ctx.lits.caseValues;
  if (!parts.length || !/==|\bin\b|\bis\b/.test(ctx.code)) return;
  ctx.ofMany(['if_statement', 'elif_clause', 'conditional_expression']);
  const tied: Tied[] = [];
  const consider = (node: Node, cond: Node | null, body: Node | null, range: () => { startLine: number; endLine: number }) => {
    if (!cond || !body || !/==|\bin\b|\bis\b/.test(cond.text)) return;
    const keys = keysOf(ctx, cond, node);
    if (!keys.length) return;
    const answers = answersOf(body);
    if (!answers.length) return;
    const t = tie(ctx, parts, keys, answers);
    if (t) tied.push({ node, cond, ...t, range: range(), scope: ctx.enclosingFunction(node)?.id ?? -1 });
  };
  for (const n of [...ctx.of('if_statement'), ...ctx.of('elif_clause')]) {
    const body = n.childForFieldName('consequence');
    consider(n, n.childForFieldName('condition'), body, () => spanLines(n, body!));
  }
  for (const n of ctx.of('conditional_expression')) {
    const kids = n.namedChildren;
    if (kids.length >= 3) consider(n, kids[1]!, kids[0]!, () => linesOf(statementOf(n)));
  }
  // Several branches of one scope, each answering a different case: a table of the shown cases.
  const byScope = new Map<number, Tied[]>();
  for (const t of tied) byScope.set(t.scope, [...(byScope.get(t.scope) ?? []), t]);
  for (const group of byScope.values()) {
    const distinct = new Set(group.map((t) => `${t.part.testId}#${t.part.index}`));
    if (distinct.size >= 2 && group.every((t) => t.weight >= 0.3)) for (const t of group) t.weight = Math.max(t.weight, 0.9);
  }
  for (const t of tied) if (t.weight >= 0.3) ctx.findings.push(toFinding(t));
}

/**
 * A table of the shown cases: a dict (or a list of pairs) whose entries map one case's own values to
 * that case's expected output (`{"3 1 4 1": "3 4 8 9", "5 7": "5 12"}`), highlighted on the table and
 * naming each case it answers.
 */
export function detectCaseTables(ctx: ScanContext): void {
  const parts = ctx.lits.caseValues;
  if (!parts.length) return;
  ctx.ofMany(['dictionary', 'list']);
  for (const n of [...ctx.of('dictionary'), ...ctx.of('list')]) {
    if (n.namedChildCount < 1 || n.parent?.type === 'pair' || n.parent?.type === 'list' || n.parent?.type === 'tuple') continue;
    const answered: { part: CaseValues; answer: string; weight: number }[] = [];
    for (const e of n.namedChildren) {
      if (!e) continue;
      const kv =
        e.type === 'pair'
          ? [e.childForFieldName('key'), e.childForFieldName('value')]
          : (e.type === 'tuple' || e.type === 'list') && e.namedChildCount === 2
            ? [e.namedChild(0), e.namedChild(1)]
            : undefined;
      if (!kv?.[0] || !kv[1]) continue;
      const key = literalOf(kv[0]);
      const value = literalOf(kv[1]);
      if (!key || !value || !/^(s|n):/.test(value.key)) continue;
      // a tuple key (`(4, 9)`) is read as its elements
      const keys: Key[] =
        key.key.startsWith('q:') && (kv[0].type === 'tuple' || kv[0].type === 'list')
          ? kv[0].namedChildren.flatMap((c) => {
              const l = c && literalOf(c);
              return l ? [{ lit: l, text: c!.text }] : [];
            })
          : [{ lit: key, text: kv[0].text }];
      if (!keys.length) continue;
      const t = tie(ctx, parts, keys, [value]);
      if (t && t.weight >= 0.3 && !answered.some((a) => a.part === t.part)) answered.push(t);
    }
    if (!answered.length) continue;
    const w = answered.length >= 2 ? Math.max(0.9, ...answered.map((a) => a.weight)) : answered[0]!.weight;
    const first = answered[0]!.part;
    const named = answered
      .slice(0, 3)
      .map(
        (a) =>
          `case ${a.part.index + 1} of ${a.part.of} (input ${snippet(a.part.input.replace(/\n/g, ' / '), 30)}) → ${snippet(a.answer, 20)}`,
      )
      .join('; ');
    ctx.findings.push({
      kind: 'lookup-table',
      range: linesOf(n),
      message: `This table answers ${answered.length === 1 ? 'a shown case' : `${answered.length} shown cases`} of test ${first.testId} with their expected outputs: ${named}${answered.length > 3 ? '; …' : ''}.`,
      literal: first.input,
      testId: first.testId,
      weight: round(w),
    });
  }
}

/** The literals a condition compares for equality with something read from the input. */
function keysOf(ctx: ScanContext, cond: Node, at: Node): Key[] {
  const out: Key[] = [];
  const cmps = cond.type === 'comparison_operator' ? [cond] : cond.descendantsOfType('comparison_operator');
  for (const cmp of cmps) {
    if (!cmp) continue;
    const kids = cmp.children.filter((k): k is Node => !!k);
    for (let i = 1; i + 1 < kids.length; i += 2) {
      if (!EQ.has(kids[i]!.type)) continue;
      const a = kids[i - 1]!;
      const b = kids[i + 1]!;
      const la = literalOf(a);
      const lb = la ? undefined : literalOf(b);
      if (la && !literalOf(b) && ctx.derivesFromInput(b, at)) out.push({ lit: la, text: a.text });
      // `x in (3, 5)` names several cases: not one case's value
      else if (lb && ctx.derivesFromInput(a, at) && !(kids[i]!.type === 'in' && b.type !== 'string')) out.push({ lit: lb, text: b.text });
    }
  }
  return out;
}

/** The literal answers a branch gives: printed, written, appended, returned or assigned (as text). */
function answersOf(body: Node): PyLiteral[] {
  const out: PyLiteral[] = [];
  const add = (v: Node | null | undefined) => {
    const lit = v ? literalOf(v) : undefined;
    if (lit && /^(s|n):/.test(lit.key)) out.push(lit);
  };
  if (body.type !== 'block') add(body);
  for (const r of body.descendantsOfType(['return_statement', 'call', 'assignment'])) {
    if (!r) continue;
    if (r.type === 'return_statement') add(r.namedChild(0));
    else if (r.type === 'assignment') add(r.childForFieldName('right'));
    else if (/(^print|\.write|\.append)$/.test(r.childForFieldName('function')?.text ?? '')) {
      const args = r.childForFieldName('arguments')?.namedChildren.filter((a): a is Node => !!a && a.type !== 'keyword_argument') ?? [];
      if (args.length === 1) add(args[0]);
      else if (args.length > 1) {
        const lits = args.map((a) => literalOf(a));
        if (lits.every((l) => l && /^(s|n):/.test(l.key))) {
          const text = lits.map((l) => l!.str).join(' ');
          out.push({ key: `s:${text}`, rarity: 1, str: text });
        }
      }
    }
  }
  return out;
}

/** The case a condition's keys and a branch's answer single out, with the evidence's weight. */
function tie(
  ctx: ScanContext,
  parts: readonly CaseValues[],
  keys: readonly Key[],
  answers: readonly PyLiteral[],
): { part: CaseValues; answer: string; weight: number } | undefined {
  let best: { part: CaseValues; answer: string; weight: number } | undefined;
  const holds = (p: CaseValues) => keys.every((k) => p.values.has(k.lit.key) || p.values.has(textKey(k.lit)));
  for (const part of parts) {
    if (!holds(part)) continue;
    for (const a of answers) {
      const said = normaliseText(a.str);
      if (said !== part.stdout) continue;
      const w = weigh(ctx, parts, part, keys, a);
      if (!best || w > best.weight) best = { part, answer: said, weight: w };
    }
  }
  return best;
}

function textKey(lit: PyLiteral): string {
  return `s:${normaliseText(lit.str)}`;
}

function weigh(ctx: ScanContext, parts: readonly CaseValues[], part: CaseValues, keys: readonly Key[], answer: PyLiteral): number {
  const distinct = new Map<string, number>();
  for (const k of keys) distinct.set(k.lit.key, keyRarity(k.lit));
  const rKey = 1 - [...distinct.values()].reduce((p, r) => p * (1 - r), 1);
  const rOut = answerRarity(answer);
  // A common key answered with a common value is a case of the problem (`if n == 1: print(0)`).
  if (!(rOut >= 0.8 && rKey >= 0.3) && !(rKey >= 0.5 && rOut >= 0.3) && !(distinct.size >= 2 && rKey >= 0.3 && rOut >= 0.3)) return 0;
  let w = 0.4 + 0.25 * rKey + 0.25 * rOut + (distinct.size >= 2 ? 0.1 : 0);
  // Other cases the condition also holds for: when they expect the same answer, it may be the rule.
  const others = parts.filter((p) => p !== part && keys.every((k) => p.values.has(k.lit.key) || p.values.has(textKey(k.lit))));
  if (others.length && others.every((p) => p.stdout === part.stdout)) w *= 0.6;
  else if (!others.length) w += 0.05;
  // What the statement's prose names is the specification speaking (`print -1 when n is 1`).
  const prose = (l: PyLiteral) => provenanceOf(ctx.prompt, l) === 'prose';
  const rare = [...keys.filter((k) => keyRarity(k.lit) >= 0.3)];
  if (prose(answer) || (rare.length > 0 && rare.every((k) => prose(k.lit)))) w = Math.min(w, 0.25);
  return Math.min(0.95, w);
}

function keyRarity(lit: PyLiteral): number {
  if (lit.key.startsWith('s:')) {
    const n = numberLiteralFromText(lit.str);
    if (n) return n.rarity;
    return lit.str.trim().length >= 5 ? Math.max(0.6, lit.rarity) : lit.rarity;
  }
  return lit.rarity;
}

function answerRarity(lit: PyLiteral): number {
  const s = normaliseText(lit.str);
  const toks = s.split(' ');
  // A line of several numbers (`"5 1 1 1"`) is an answer, however small each number is.
  if (toks.length >= 2 && toks.every((t) => numberLiteralFromText(t)))
    return toks.length >= 3 || toks.some((t) => Math.abs(Number(t)) >= 3) ? 0.8 : 0.3;
  return numberLiteralFromText(s)?.rarity ?? lit.rarity;
}

function toFinding(t: Tied): Finding {
  const p = t.part;
  const where = p.of > 1 ? `case ${p.index + 1} of ${p.of} in test ${p.testId}` : `test ${p.testId}`;
  return {
    kind: 'literal-branch',
    range: t.range,
    message: `\`${snippet(t.cond.text, 50)}\` holds for ${where} (input ${snippet(p.input.replace(/\n/g, ' / '), 40)}) and the branch prints that case's expected output ${snippet(t.answer, 30)}: the answer to one shown case, not a computation.`,
    literal: p.input,
    testId: p.testId,
    weight: round(t.weight),
  };
}

/** The statement holding an expression (a ternary is judged with its `print` or `return`). */
function statementOf(n: Node): Node {
  let s: Node = n;
  while (s.parent && !/statement$/.test(s.type) && s.parent.type !== 'block' && s.parent.type !== 'module') s = s.parent;
  return s;
}
