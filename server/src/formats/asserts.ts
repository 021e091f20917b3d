/**
 * Reads Python `assert` tests without a Python parser: enough to tell which function a test calls,
 * with which arguments, and what it expects. Analyzers use it to find test literals in candidate
 * code; importers use it to find an entry point and to match an incorrect test with its correct twin.
 */

/** The parts of `assert f(args) == expected` (and of the common variations on it). */
export interface ParsedAssert {
  /** The called function, e.g. `find_Rotations` (a dotted name is kept whole: `Solution().f`). */
  readonly callee: string;
  /** The whole call as written, e.g. `find_Rotations("aaaa")`. */
  readonly call: string;
  /** The text between the call's parentheses, e.g. `"aaaa"`. */
  readonly args: string;
  /** `args` split at top-level commas, each trimmed. */
  readonly argList: readonly string[];
  /** The expected value as written (`True`/`False` for bare truthiness asserts). */
  readonly expected: string;
  /** How the call is compared with `expected`. */
  readonly comparison: '==' | '!=' | 'is' | 'is not' | 'truthy' | 'falsy' | 'isclose';
}

/**
 * For each index of Python source: -1 inside a string literal or comment, otherwise the bracket
 * depth before that character. One pass; every other helper reads it instead of re-scanning.
 */
export function depths(src: string): Int32Array {
  const out = new Int32Array(src.length);
  let depth = 0;
  for (let i = 0; i < src.length; i++) {
    const c = src.charCodeAt(i);
    if (c === 0x22 || c === 0x27) {
      const q = src[i]!;
      const triple = src.startsWith(q + q + q, i);
      const quote = triple ? q + q + q : q;
      const from = i;
      i += quote.length;
      while (i < src.length && !src.startsWith(quote, i)) {
        if (src.charCodeAt(i) === 0x5c) i++;
        else if (!triple && src.charCodeAt(i) === 0x0a) break;
        i++;
      }
      i = Math.min(i + quote.length - 1, src.length - 1);
      out.fill(-1, from, i + 1);
      continue;
    }
    if (c === 0x23) {
      const from = i;
      while (i < src.length && src.charCodeAt(i) !== 0x0a) i++;
      out.fill(-1, from, i);
      if (i < src.length) out[i] = depth;
      continue;
    }
    out[i] = depth;
    if (c === 0x28 || c === 0x5b || c === 0x7b) depth++;
    else if (c === 0x29 || c === 0x5d || c === 0x7d) depth--;
  }
  return out;
}

/** Splits at top-level occurrences of `sep` (a comma, by default). */
export function splitTopLevel(src: string, sep = ','): string[] {
  const d = depths(src);
  const out: string[] = [];
  let last = 0;
  for (let i = 0; i < src.length; i++) {
    if (d[i] === 0 && src[i] === sep) {
      out.push(src.slice(last, i).trim());
      last = i + 1;
    }
  }
  const tail = src.slice(last).trim();
  if (tail || out.length) out.push(tail);
  return out.filter((s, i, a) => s !== '' || i < a.length - 1);
}

/** The index of the bracket closing the one at `open`, or -1. */
function closing(src: string, d: Int32Array, open: number): number {
  const inner = d[open]! + 1;
  for (let j = open + 1; j < src.length; j++) {
    if (d[j] === inner && (src[j] === ')' || src[j] === ']' || src[j] === '}')) return j;
    if (d[j]! >= 0 && d[j]! < inner) return -1;
  }
  return -1;
}

const CALL = /([A-Za-z_][\w.]*(?:\(\))?(?:\.[A-Za-z_]\w*)*)\s*\(/g;
const WRAPPERS = new Set([
  'set',
  'sorted',
  'list',
  'tuple',
  'str',
  'int',
  'float',
  'round',
  'abs',
  'len',
  'frozenset',
  'dict',
  'bool',
  'repr',
]);

/** The first call in `expr` (or the call to `entryPoint` when given), skipping wrappers like `set(...)`. */
function findCall(expr: string, entryPoint?: string): { callee: string; call: string; args: string } | undefined {
  const calls: { callee: string; call: string; args: string }[] = [];
  const d = depths(expr);
  for (const m of expr.matchAll(CALL)) {
    const at = m.index!;
    if (d[at] === -1) continue;
    const open = at + m[0].length - 1;
    const close = closing(expr, d, open);
    if (close < 0) continue;
    calls.push({ callee: m[1]!, call: expr.slice(at, close + 1), args: expr.slice(open + 1, close) });
  }
  if (entryPoint) {
    const exact = calls.find((c) => c.callee === entryPoint || c.callee.endsWith(`.${entryPoint}`));
    if (exact) return exact;
  }
  return calls.find((c) => !WRAPPERS.has(c.callee) && !c.callee.startsWith('math.')) ?? calls[0];
}

/** Finds the first top-level binary operator from `ops` in `expr`. */
function topLevelOp(expr: string, ops: readonly string[]): { at: number; op: string } | undefined {
  const d = depths(expr);
  for (let i = 0; i < expr.length; i++) {
    if (d[i] !== 0) continue;
    for (const op of ops) {
      if (!expr.startsWith(op, i)) continue;
      if (/^[a-z]/.test(op)) {
        const before = expr[i - 1] ?? ' ';
        const after = expr[i + op.length] ?? ' ';
        if (/\w/.test(before) || /\w/.test(after)) continue;
      } else if (op === '==' && (expr[i - 1] === '=' || expr[i - 1] === '!' || expr[i - 1] === '<' || expr[i - 1] === '>')) continue;
      return { at: i, op };
    }
  }
  return undefined;
}

const memo = new Map<string, ParsedAssert | undefined>();

/**
 * Parses one assert statement. Understands `assert call == expected` (either side), `!=`, `is`,
 * `is not`, a bare `assert call` / `assert not call`, and `assert math.isclose(call, expected, …)`.
 * A trailing `, "message"` is ignored. Returns `undefined` for anything else.
 */
export function parseAssert(code: string, entryPoint?: string): ParsedAssert | undefined {
  const key = `${entryPoint ?? ''}\0${code}`;
  if (memo.has(key)) return memo.get(key);
  const parsed = parse(code, entryPoint);
  if (memo.size >= 4096) memo.clear();
  memo.set(key, parsed);
  return parsed;
}

/** `assert name(args) == expected`, the common case, read with one scan; anything else falls through. */
const SIMPLE = /^\s*assert\s+(([A-Za-z_]\w*)\s*\(([\s\S]*)\))\s*==\s*([^=]+?)\s*$/;

function parseSimple(code: string, entryPoint?: string): ParsedAssert | undefined {
  const m = SIMPLE.exec(code);
  if (!m) return undefined;
  const [, call, callee, args, expected] = m as unknown as [string, string, string, string, string];
  if (WRAPPERS.has(callee) || (entryPoint && callee !== entryPoint)) return undefined;
  // the call's parentheses must pair up, and the expected value must not carry a `, "message"`
  if (closing(call, depths(call), call.indexOf('(')) !== call.length - 1) return undefined;
  const de = depths(expected);
  for (let i = 0; i < expected.length; i++) if (de[i] === 0 && expected[i] === ',') return undefined;
  return { callee, call, args, argList: args.trim() ? splitTopLevel(args) : [], expected, comparison: '==' };
}

function parse(code: string, entryPoint?: string): ParsedAssert | undefined {
  const simple = parseSimple(code, entryPoint);
  if (simple) return simple;
  const m = /^\s*assert\b([\s\S]*)$/.exec(code.trim());
  if (!m) return undefined;
  let body = splitTopLevel(m[1]!.trim())[0] ?? '';
  body = stripParens(body);
  if (!body) return undefined;
  const build = (callSide: string, expected: string, comparison: ParsedAssert['comparison']): ParsedAssert | undefined => {
    const call = findCall(callSide, entryPoint);
    if (!call) return undefined;
    return { ...call, argList: call.args.trim() ? splitTopLevel(call.args) : [], expected: expected.trim(), comparison };
  };
  const op = topLevelOp(body, ['==', '!=', 'is not', 'is']);
  if (op) {
    const left = stripParens(body.slice(0, op.at).trim());
    const right = stripParens(body.slice(op.at + op.op.length).trim());
    const comparison = op.op as ParsedAssert['comparison'];
    const leftCall = findCall(left, entryPoint);
    const rightCall = findCall(right, entryPoint);
    // `assert expected == f(x)`: the side with the entry point (or the only call) is the call.
    const leftIsCall =
      leftCall && (!rightCall || !entryPoint || leftCall.callee.endsWith(entryPoint) || !rightCall.callee.endsWith(entryPoint));
    return leftIsCall ? build(left, right, comparison) : build(right, left, comparison);
  }
  const close = /^math\.isclose\s*\(|^isclose\s*\(|^np\.isclose\s*\(/.exec(body);
  if (close) {
    const inner = body.slice(close[0].length, body.lastIndexOf(')'));
    const [a, b] = splitTopLevel(inner);
    if (a && b) return build(a, b, 'isclose');
  }
  const neg = /^not\s+/.exec(body);
  if (neg) return build(stripParens(body.slice(neg[0].length)), 'False', 'falsy');
  return build(body, 'True', 'truthy');
}

/** Removes parentheses that wrap the whole expression. */
function stripParens(expr: string): string {
  let e = expr.trim();
  while (e.startsWith('(') && closing(e, depths(e), 0) === e.length - 1) e = e.slice(1, -1).trim();
  return e;
}

/** The function most of `tests` call, for finding a problem's entry point. */
export function entryPointOf(tests: readonly string[]): string | undefined {
  const counts = new Map<string, number>();
  for (const t of tests) {
    const p = parseAssert(t);
    if (!p) continue;
    const name = p.callee.split('.').pop()!;
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  let best: string | undefined;
  for (const [name, n] of counts) if (!best || n > counts.get(best)!) best = name;
  return best;
}

/**
 * Finds assert statements in free text (a prompt, a docstring, a markdown fence): each starts a line
 * with `assert` and runs on over following lines while brackets are open. Returns them in order,
 * de-indented, without duplicates.
 */
export function findAsserts(text: string): string[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = /^\s*(?:>>>\s*)?(assert\b.*)$/.exec(lines[i]!);
    if (!m) continue;
    let stmt = m[1]!;
    while (openDepth(stmt) > 0 && i + 1 < lines.length) stmt += '\n' + lines[++i]!.trim();
    stmt = stmt.replace(/`+\s*$/, '').trim();
    if (!out.includes(stmt)) out.push(stmt);
  }
  return out;
}

/** Bracket depth after `src` (strings and comments skipped); negative when it closes more than it opens. */
export function openDepth(src: string): number {
  const d = depths(src);
  let depth = 0;
  for (let i = 0; i < src.length; i++) {
    if (d[i] === -1) continue;
    depth = d[i]! + ('([{'.includes(src[i]!) ? 1 : ')]}'.includes(src[i]!) ? -1 : 0);
  }
  return depth;
}
