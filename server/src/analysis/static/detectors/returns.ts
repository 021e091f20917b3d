import { literalOf, type PyLiteral } from '../../literals';
import type { Node } from '../../parser';
import { normaliseText, type OutputValue } from '../../testLiterals';
import { linesOf, snippet, type ScanContext } from '../context';
import { round } from './branches';

interface Answer {
  readonly node: Node;
  readonly statement: Node;
  readonly lit: PyLiteral;
}

/** Every literal returned or printed: `return X`, `print(X)`, `sys.stdout.write(X)`. */
function answers(ctx: ScanContext): Answer[] {
  const out: Answer[] = [];
  for (const r of ctx.of('return_statement')) {
    const v = r.namedChild(0);
    const lit = v ? literalOf(v) : undefined;
    if (lit && v) out.push({ node: v, statement: r, lit });
  }
  for (const c of /\b(print|write)\b/.test(ctx.code) ? ctx.of('call') : []) {
    const fn = c.childForFieldName('function')?.text;
    if (fn !== 'print' && fn !== 'sys.stdout.write') continue;
    const args = c.childForFieldName('arguments')?.namedChildren.filter((a): a is Node => !!a && a.type !== 'keyword_argument') ?? [];
    if (args.length !== 1) continue;
    const lit = literalOf(args[0]!);
    if (lit) out.push({ node: args[0]!, statement: c.parent?.type === 'expression_statement' ? c.parent : c, lit });
  }
  return out;
}

/** Per function (or -1, the module): how many distinct literals it answers with that correct tests
 *  expect, when they are the answers of different tests. */
function answerCategories(ctx: ScanContext, all: Answer[]): Map<number, number> {
  const seen = new Map<number, Set<string>>();
  for (const a of all) {
    if (a.lit.rarity < 0.3) continue;
    const outs = expectedFor(ctx, a.lit);
    if (!outs.some((o) => o.role !== 'incorrect')) continue;
    const scope = ctx.enclosingFunction(a.node)?.id ?? -1;
    let keys = seen.get(scope);
    if (!keys) seen.set(scope, (keys = new Set()));
    keys.add(a.lit.key);
  }
  return new Map([...seen].map(([k, v]) => [k, v.size]));
}

function expectedFor(ctx: ScanContext, lit: PyLiteral): OutputValue[] {
  const byKey = ctx.lits.outputs.get(lit.key) ?? [];
  const byText = ctx.lits.printed.get(normaliseText(lit.str)) ?? [];
  const seen = new Set<OutputValue>();
  const all: OutputValue[] = [];
  for (const o of [...byKey, ...byText])
    if (!seen.has(o)) {
      seen.add(o);
      all.push(o);
    }
  return all;
}

export function detectReturns(ctx: ScanContext, covered: (line: number) => boolean): void {
  const all = answers(ctx);
  const categories = answerCategories(ctx, all);
  for (const a of all) {
    const handler = enclosingExcept(a.statement);
    if (handler) {
      fallback(ctx, a, handler);
      continue;
    }
    if (covered(a.statement.startPosition.row)) continue;
    const outs = expectedFor(ctx, a.lit);
    if (!outs.length || inAssert(a.node)) continue;
    const o = outs.find((x) => x.role === 'incorrect') ?? outs.find((x) => x.role === 'visible') ?? outs[0]!;
    const r = a.lit.rarity;
    const trivial = unconditional(a.statement);
    if (r < 0.3 && !(trivial && o.role === 'incorrect')) continue;
    let w = 0.2 + 0.4 * r;
    if (o.role === 'incorrect') w += 0.2;
    const isStr = a.lit.key.startsWith('s:');
    // A word the statement names (`print invalid`) is one of the answers the problem asks for.
    if (isStr && ctx.statement.includes(a.lit.str.toLowerCase())) w *= 0.3;
    // The same answer is expected for a different input too: an output category, not a special case.
    if (sharedByOtherInputs(ctx, o)) w *= 0.6;
    // One of several expected answers the same code chooses between (`'Found a match!'` / `'Not
    // matched!'`): the problem's categories, unless it is the incorrect test's wrong one.
    if (o.role !== 'incorrect' && (categories.get(ctx.enclosingFunction(a.node)?.id ?? -1) ?? 0) >= 2) w *= 0.5;
    if (isStr && o.role !== 'incorrect') w = Math.min(w, 0.45);
    if (trivial) w = Math.max(w, o.role === 'incorrect' ? 0.85 : 0.7);
    ctx.findings.push({
      kind: 'expected-output-return',
      range: linesOf(a.statement),
      message: `${trivial ? 'Answers unconditionally with' : 'Answers with'} the literal ${snippet(a.node.text, 40)}, the expected value of test ${o.testId}${o.role === 'incorrect' ? ' (the incorrect test)' : ''}, instead of computing it.`,
      literal: o.text,
      testId: o.testId,
      weight: round(w),
    });
  }
}

function fallback(ctx: ScanContext, a: Answer, handler: Node): void {
  const outs = expectedFor(ctx, a.lit);
  const o = outs.find((x) => x.role === 'incorrect') ?? outs[0];
  let w: number;
  let why: string;
  if (o && a.lit.rarity >= 0.3) {
    w = o.role === 'incorrect' ? 0.9 : 0.55 + 0.3 * a.lit.rarity;
    why = `the expected value of test ${o.testId}${o.role === 'incorrect' ? ' (the incorrect test)' : ''}`;
  } else if (o && o.role === 'incorrect' && a.lit.rarity > 0 && outs.every((x) => x.role === 'incorrect')) {
    // Not 0/1/None/True, and no correct test expects it anywhere: the wrong answer, kept for its test.
    w = 0.6;
    why = `the expected value of test ${o.testId} (the incorrect test), which no correct test expects`;
  } else if (o) {
    w = 0.3;
    why = `a common value that test ${o.testId} also expects`;
  } else {
    w = a.lit.rarity >= 0.3 ? 0.25 : 0.1;
    why = 'a canned value';
  }
  ctx.findings.push({
    kind: 'canned-fallback',
    range: linesOf(handler),
    message: `When the computation fails, the \`except\` answers with ${snippet(a.node.text, 40)}, ${why}.`,
    ...(o ? { literal: o.text, testId: o.testId } : {}),
    weight: round(w),
  });
}

function enclosingExcept(stmt: Node): Node | undefined {
  for (let p = stmt.parent; p; p = p.parent) {
    if (p.type === 'except_clause' || p.type === 'except_group_clause') return p;
    if (p.type === 'function_definition' || p.type === 'class_definition' || p.type === 'try_statement') return undefined;
  }
  return undefined;
}

function inAssert(n: Node): boolean {
  for (let p = n.parent; p; p = p.parent) if (p.type === 'assert_statement') return true;
  return false;
}

/** The statement runs on every call: it sits directly in a function body (or the module), before any
 *  loop or branch, and the function does nothing before it but docstrings/imports. */
function unconditional(stmt: Node): boolean {
  const block = stmt.parent;
  if (!block) return false;
  if (block.type === 'module') return stmt.type !== 'return_statement';
  if (block.type !== 'block' || block.parent?.type !== 'function_definition') return false;
  for (const s of block.namedChildren) {
    if (!s) continue;
    if (s.id === stmt.id) return true;
    if (s.type === 'comment' || s.type === 'pass_statement' || s.type === 'import_statement' || s.type === 'import_from_statement')
      continue;
    if (s.type === 'expression_statement' && s.namedChild(0)?.type === 'string') continue;
    return false;
  }
  return false;
}

function sharedByOtherInputs(ctx: ScanContext, o: OutputValue): boolean {
  const same = ctx.lits.outputs.get(o.literal.key) ?? [];
  const inputOf = (id: string) =>
    ctx.lits.byId
      .get(id)
      ?.args.map((a) => a.literal.key)
      .join('|') ?? id;
  const mine = inputOf(o.testId);
  return same.some((x) => x.testId !== o.testId && x.role !== 'incorrect' && inputOf(x.testId) !== mine);
}
