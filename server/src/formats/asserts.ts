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
 * Walks Python source and reports, for each index, whether it is outside strings and at bracket
 * depth 0. Calls `visit(i, depth)` for every code (non-string) character; returning `true` stops.
 */
function scan(src: string, visit: (i: number, depth: number) => boolean | void): void {
  let depth = 0;
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (c === '"' || c === "'") {
      const triple = src.startsWith(c.repeat(3), i);
      const quote = triple ? c.repeat(3) : c;
      i += quote.length;
      while (i < src.length && !src.startsWith(quote, i)) {
        if (src[i] === '\\') i++;
        else if (!triple && src[i] === '\n') break;
        i++;
      }
      i += quote.length - 1;
      continue;
    }
    if (c === '#') {
      while (i < src.length && src[i] !== '\n') i++;
      continue;
    }
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    if (visit(i, depth)) return;
  }
}

/** Splits at top-level occurrences of `sep` (a comma, by default). */
export function splitTopLevel(src: string, sep = ','): string[] {
  const out: string[] = [];
  let last = 0;
  scan(src, (i, depth) => {
    const c = src[i]!;
    if (depth === 0 && c === sep) {
      out.push(src.slice(last, i).trim());
      last = i + 1;
    }
  });
  const tail = src.slice(last).trim();
  if (tail || out.length) out.push(tail);
  return out.filter((s, i, a) => s !== '' || i < a.length - 1);
}

/** The index of the bracket closing the one at `open`, or -1. */
function closing(src: string, open: number): number {
  let found = -1;
  const tail = src.slice(open);
  scan(tail, (i, depth) => {
    if (i > 0 && depth === 0 && ')]}'.includes(tail[i]!)) { found = open + i; return true; }
    return false;
  });
  return found;
}

const CALL = /([A-Za-z_][\w.]*(?:\(\))?(?:\.[A-Za-z_]\w*)*)\s*\(/g;
const WRAPPERS = new Set(['set', 'sorted', 'list', 'tuple', 'str', 'int', 'float', 'round', 'abs', 'len', 'frozenset', 'dict', 'bool', 'repr']);

/** The first call in `expr` (or the call to `entryPoint` when given), skipping wrappers like `set(...)`. */
function findCall(expr: string, entryPoint?: string): { callee: string; call: string; args: string } | undefined {
  const calls: { callee: string; call: string; args: string }[] = [];
  const inString = stringMask(expr);
  for (const m of expr.matchAll(CALL)) {
    const at = m.index!;
    if (inString[at]) continue;
    const open = at + m[0].length - 1;
    const close = closing(expr, open);
    if (close < 0) continue;
    calls.push({ callee: m[1]!, call: expr.slice(at, close + 1), args: expr.slice(open + 1, close) });
  }
  if (entryPoint) {
    const exact = calls.find((c) => c.callee === entryPoint || c.callee.endsWith(`.${entryPoint}`));
    if (exact) return exact;
  }
  return calls.find((c) => !WRAPPERS.has(c.callee) && !c.callee.startsWith('math.')) ?? calls[0];
}

/** `true` at every index inside a string literal or comment. */
function stringMask(src: string): boolean[] {
  const mask = new Array<boolean>(src.length).fill(true);
  scan(src, (i) => { mask[i] = false; });
  return mask;
}

/** Finds the first top-level binary operator from `ops` in `expr`. */
function topLevelOp(expr: string, ops: readonly string[]): { at: number; op: string } | undefined {
  let hit: { at: number; op: string } | undefined;
  scan(expr, (i, depth) => {
    if (depth !== 0) return false;
    for (const op of ops) {
      if (!expr.startsWith(op, i)) continue;
      if (/^[a-z]/.test(op)) {
        const before = expr[i - 1] ?? ' ';
        const after = expr[i + op.length] ?? ' ';
        if (/\w/.test(before) || /\w/.test(after)) continue;
      } else if (op === '==' && (expr[i - 1] === '=' || expr[i - 1] === '!' || expr[i - 1] === '<' || expr[i - 1] === '>')) continue;
      hit = { at: i, op };
      return true;
    }
    return false;
  });
  return hit;
}

/**
 * Parses one assert statement. Understands `assert call == expected` (either side), `!=`, `is`,
 * `is not`, a bare `assert call` / `assert not call`, and `assert math.isclose(call, expected, …)`.
 * A trailing `, "message"` is ignored. Returns `undefined` for anything else.
 */
export function parseAssert(code: string, entryPoint?: string): ParsedAssert | undefined {
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
    const leftIsCall = leftCall && (!rightCall || !entryPoint || leftCall.callee.endsWith(entryPoint) || !rightCall.callee.endsWith(entryPoint));
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
  while (e.startsWith('(') && closing(e, 0) === e.length - 1) e = e.slice(1, -1).trim();
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

function openDepth(src: string): number {
  let d = 0;
  scan(src, (_i, depth) => { d = depth; });
  return d;
}
