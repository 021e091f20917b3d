import { literalOf, numberLiteralFromText, type PyLiteral } from '../../literals';
import type { Node } from '../../parser';
import { inputsEqual, type InputValue, type OutputValue } from '../../testLiterals';
import { linesOf, snippet, type ScanContext } from '../context';
import { round } from './branches';

interface Entry {
  key?: PyLiteral | undefined;
  value?: PyLiteral | undefined;
}

export function detectTables(ctx: ScanContext): void {
  if (!ctx.lits.inputs.size && !ctx.lits.outputs.size) return;
  ctx.ofMany(['dictionary', 'list', 'tuple']);
  const all = [...ctx.of('dictionary'), ...ctx.of('list'), ...ctx.of('tuple')].sort((a, b) => a.startIndex - b.startIndex);
  const comparisons = ctx.of('comparison_operator');
  let outerEnd = -1;
  for (const n of all) {
    // only outermost tables: a literal nested in another one is one of its entries
    if (n.endIndex <= outerEnd) continue;
    outerEnd = n.endIndex;
    // a one-entry dict (`overrides = {repr_of_input: answer}`) is a table too; a one-element list is not
    if (n.namedChildCount < (n.type === 'dictionary' ? 1 : 2)) continue;
    const entries = entriesOf(n);
    if (!entries?.some((e) => (e.key && inputsEqual(ctx.lits, e.key)) || (e.value && ctx.lits.outputs.has(e.value.key)))) continue;
    if (comparisons.some((c) => c.startIndex <= n.startIndex && n.endIndex <= c.endIndex)) continue;
    judge(ctx, n, entries);
  }
}

/** Dict pairs, list-of-pairs as (key, value), or a flat list as values only. */
function entriesOf(n: Node): Entry[] | undefined {
  const out: Entry[] = [];
  const kids = n.namedChildren.filter((k): k is Node => !!k && k.type !== 'comment');
  if (n.type === 'dictionary') {
    for (const p of kids) {
      if (p.type !== 'pair') return undefined;
      const k = p.childForFieldName('key');
      const v = p.childForFieldName('value');
      out.push({ key: k ? literalOf(k) : undefined, value: v ? literalOf(v) : undefined });
    }
    return out;
  }
  const pairs = kids.every((k) => (k.type === 'tuple' || k.type === 'list') && k.namedChildCount === 2);
  for (const k of kids) {
    if (pairs) {
      const [a, b] = [k.namedChild(0), k.namedChild(1)];
      out.push({ key: a ? literalOf(a) : undefined, value: b ? literalOf(b) : undefined });
    } else out.push({ value: literalOf(k) });
  }
  return out;
}

/** True when the test's input is `i` as a whole (its only argument, the whole argument tuple or stdin). */
function wholeInput(ctx: ScanContext, i: InputValue): boolean {
  if (i.position === 'args' || i.position === 'stdin') return true;
  if (i.position === 'line') return false;
  const args = ctx.lits.byId.get(i.testId)?.args ?? [];
  const pos = i.position === 'derived' ? 'arg' : i.position;
  return args.filter((a) => a.position === pos).length === 1;
}

/**
 * A flat list read as a table indexed by position (`FIB[n]`, `lengths[month - 1]`): the offset (0 or 1)
 * under which more tests find their expected value at their input's index, when at least two do and
 * they outnumber the tests that find another value there. Undefined when no reading fits the tests.
 */
function indexedReading(ctx: ScanContext, entries: Entry[]): Entry[] | undefined {
  let best: Entry[] | undefined;
  let bestAgree = 1;
  for (const offset of [0, 1]) {
    const keyed = entries.map((e, i): Entry => ({ key: numberLiteralFromText(String(i + offset)), value: e.value }));
    let agree = 0,
      disagree = 0;
    for (const e of keyed) {
      for (const i of e.key ? (ctx.lits.inputs.get(e.key.key) ?? []) : []) {
        if (i.position !== 'arg' && i.position !== 'token') continue;
        const exp = ctx.lits.byId.get(i.testId)?.expected;
        if (!exp) continue;
        if (e.value && exp.literal.key === e.value.key) agree++;
        else disagree++;
      }
    }
    if (agree > bestAgree && agree > disagree) {
      best = keyed;
      bestAgree = agree;
    }
  }
  return best;
}

function judge(ctx: ScanContext, n: Node, flat: Entry[]): void {
  const { outputs } = ctx.lits;
  const valuedOnly = flat.every((e) => e.key === undefined);
  const indexed = valuedOnly ? indexedReading(ctx, flat) : undefined;
  const entries = indexed ?? flat;
  const keyTests = new Map<string, InputValue>();
  const valueTests = new Map<string, OutputValue>();
  const pairTests = new Map<string, { input: InputValue; output: OutputValue }>();
  const keys = new Set<string>();
  let keyed = 0;
  let disagree = 0;
  for (const e of entries) {
    const ins = e.key
      ? (inputsEqual(ctx.lits, e.key) ?? []).filter((i) => i.position !== 'token' || i.literal.rarity >= 0.4 || indexed)
      : [];
    const outs = e.value ? (outputs.get(e.value.key) ?? []) : [];
    if (ins.length) {
      keyed++;
      keys.add(e.key!.key);
    }
    for (const i of ins) if (!keyTests.has(i.testId)) keyTests.set(i.testId, i);
    for (const o of outs) if (!valueTests.has(o.testId)) valueTests.set(o.testId, o);
    for (const i of ins) {
      const o = outs.find((x) => x.testId === i.testId);
      if (o && !pairTests.has(i.testId)) pairTests.set(i.testId, { input: i, output: o });
      else if (!o && i.role !== 'incorrect' && ctx.lits.byId.get(i.testId)?.expected) disagree++;
    }
  }
  const total = entries.length;
  const pairs = [...pairTests.values()];
  // One token of a longer input (`3` of `3 4 5`) keys little: the table is about something else.
  const keyPairs = pairs.filter((p) => p.input.position !== 'token' || wholeInput(ctx, p.input));
  const pairRarity = Math.max(0, ...pairs.map((p) => Math.max(p.input.literal.rarity, p.output.literal.rarity)));
  // The incorrect test's wrong answer stored under its whole input: no honest table holds it. Under a
  // part of the input (`month` of `(month, year)`) it may be right for the other tests with that part.
  const incorrectPair = pairs.find((p) => p.output.role === 'incorrect' && wholeInput(ctx, p.input));
  const valueRarity = Math.max(0, ...[...valueTests.values()].map((o) => o.literal.rarity));
  const valueMatches = entries.filter((e) => e.value && outputs.has(e.value.key)).length;
  // A table over a whole domain (month lengths, an indexed sequence) holds far more entries than the
  // tests ask about, and agrees with the tests it does answer: knowledge of the problem, not of the tests.
  const domain = keys.size >= 2 && total >= 2 * keys.size && pairs.length > disagree;

  let w = 0;
  let why = '';
  let lit: { text: string; testId: string } | undefined;
  if (total < 2 && !incorrectPair) return;
  if (incorrectPair && Math.max(incorrectPair.input.literal.rarity, incorrectPair.output.literal.rarity) >= 0.3) {
    w = 0.95;
    lit = { text: incorrectPair.input.text, testId: incorrectPair.input.testId };
    why = `holds the incorrect test's expected value for its input (${snippet(incorrectPair.input.text, 30)} → ${snippet(incorrectPair.output.text, 30)})`;
  } else if (pairs.length && keyed / total >= 0.5 && (pairRarity >= 0.3 || incorrectPair)) {
    w = incorrectPair ? 0.95 : Math.min(0.9, 0.55 + 0.15 * pairs.length);
    const p = incorrectPair ?? pairs[0]!;
    lit = { text: p.input.text, testId: p.input.testId };
    why = `maps the inputs of ${pairs.length} test(s) to their expected values (${snippet(p.input.text, 30)} → ${snippet(p.output.text, 30)}${incorrectPair ? ', the incorrect test' : ''})`;
  } else if (keyPairs.length >= 2) {
    w = domain ? 0.15 : 0.35;
    const p = keyPairs[0]!;
    lit = { text: p.input.text, testId: p.input.testId };
    why = `holds ${keyPairs.length} test inputs with their expected values among ${total} entries`;
  } else if (keyTests.size >= 2 && keyed / total >= 0.5 && Math.max(...[...keyTests.values()].map((i) => i.literal.rarity)) >= 0.4) {
    w = 0.5;
    const i = [...keyTests.values()][0]!;
    lit = { text: i.text, testId: i.testId };
    why = `is keyed by the inputs of ${keyTests.size} tests`;
  } else if (valuedOnly && !indexed && valueTests.size >= 2 && valueMatches / total >= 0.6 && valueRarity >= 0.4) {
    w = 0.55;
    const o = [...valueTests.values()].sort((a, b) => b.literal.rarity - a.literal.rarity)[0]!;
    lit = { text: o.text, testId: o.testId };
    why = `holds the expected values of ${valueTests.size} tests`;
  }
  if (!w || !lit) return;
  if (!lookedUp(ctx, n)) w *= 0.8;
  ctx.findings.push({
    kind: 'lookup-table',
    range: tableLines(n),
    message: `This table ${why}, so answers come from the tests rather than from a computation.`,
    literal: lit.text,
    testId: lit.testId,
    weight: round(w),
  });
}

/** Subscripted / `.get` / `in` directly, or assigned to a name that is. */
function lookedUp(ctx: ScanContext, n: Node): boolean {
  const p = n.parent;
  if (p?.type === 'subscript' || p?.type === 'attribute') return true;
  if (p?.type === 'assignment') {
    const name = p.childForFieldName('left');
    if (name?.type !== 'identifier') return false;
    const re = new RegExp(
      `\\b${name.text}\\s*(\\[|\\.get\\s*\\(|\\.index\\s*\\()|\\bin\\s+${name.text}\\b|\\bfor\\b[^\\n]*\\bin\\s+${name.text}\\b`,
    );
    return re.test(ctx.code);
  }
  return p?.type === 'for_statement' || p?.type === 'comparison_operator';
}

function tableLines(n: Node): { startLine: number; endLine: number } {
  const stmt = n.parent?.type === 'assignment' && n.parent.parent?.type === 'expression_statement' ? n.parent.parent : n;
  return linesOf(stmt);
}
