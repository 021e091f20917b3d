/**
 * Tests written into a prompt in any of the ways people write them, turned into `assert` statements:
 *
 * - `assert` lines (several lines while brackets are open), with the setup they use — `records = [...]`,
 *   `from datetime import date`, a helper `def` — kept with them: a literal assigned once and used only
 *   by the asserts is written into them, anything else is run before each assert that needs it;
 * - prose: `f(x) should return y`, `f(x) -> y` / `=> y` / `== y` / `returns y` / `gives y` (after any
 *   list marker, `#` or `Expected:`), doctests (`>>> f(x)` then `y`), `Input: x … Expected output: y` on
 *   one line or two, `Inputs:` / `Outputs:` lists, and `x -> y` when the function's name is known.
 *
 * A test line that cannot be read as a call and an expected value still gives its literals (quoted
 * strings, numbers, bracketed values, the contents of a given file): detectors key on those.
 */
import { depths, openDepth, splitTopLevel } from './asserts';

export interface ExtractedTests {
  /** The prompt without the lines that became tests (and without their setup). */
  readonly statement: string;
  /** One Python snippet per test: setup lines (if any) then one `assert`. */
  readonly asserts: readonly string[];
  /** Literals of test lines that could not be read as a call and an expected value. */
  readonly literals: readonly string[];
}

const MAYBE_TEST = /[(:]|->|=>|→|⇒|==|\b(?:should|must|returns?|gives?|outputs?|yields?|produces?|equals?|is)\b/i;

/** A statement (an assert, a setup value) runs on over at most this many lines. */
const MAX_STATEMENT_LINES = 200;

/** A span of prompt lines, `[start, end]` inclusive. */
interface Span {
  readonly start: number;
  readonly end: number;
}

interface Setup extends Span {
  /** `def`/`class`/assignment/import: defines `names`; `expr`: a statement that only acts (`cache.put(…)`). */
  readonly kind: 'define' | 'expr';
  readonly names: readonly string[];
  readonly text: string;
  /** `name = <literal>` on its own: can be written into the asserts that use it. */
  readonly literal?: string;
}

const IDENT = /[A-Za-z_]\w*/g;
const PY_WORDS = new Set([
  'True',
  'False',
  'None',
  'and',
  'or',
  'not',
  'in',
  'is',
  'assert',
  'lambda',
  'for',
  'if',
  'else',
  'import',
  'from',
  'as',
  'return',
  'def',
]);

/** Brackets left open, or a string left unterminated (a triple-quoted value runs on). */
function incomplete(src: string): boolean {
  if (openDepth(src) > 0) return true;
  let inTriple: string | undefined;
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (inTriple) {
      if (c === '\\') i++;
      else if (src.startsWith(inTriple, i)) {
        i += 2;
        inTriple = undefined;
      }
      continue;
    }
    if (c === '#') {
      while (i < src.length && src[i] !== '\n') i++;
      continue;
    }
    if (c === '"' || c === "'") {
      if (src.startsWith(c + c + c, i)) {
        inTriple = c + c + c;
        i += 2;
        continue;
      }
      i++;
      while (i < src.length && src[i] !== c && src[i] !== '\n') {
        if (src[i] === '\\') i++;
        i++;
      }
    }
  }
  return inTriple !== undefined;
}

/** Names used in code outside strings and comments (attribute names after a dot excluded). */
function namesUsed(code: string): Set<string> {
  const d = depths(code);
  const out = new Set<string>();
  for (const m of code.matchAll(IDENT)) {
    const at = m.index!;
    if (d[at] === -1 || /[\w.]/.test(code[at - 1] ?? ' ')) continue;
    out.add(m[0]);
  }
  return out;
}

/** Replaces whole-word uses of `name` (outside strings, not attributes, not keyword names) with `value`. */
function inline(code: string, name: string, value: string): string {
  const d = depths(code);
  let out = '';
  let last = 0;
  for (const m of code.matchAll(new RegExp(`\\b${name}\\b`, 'g'))) {
    const at = m.index!;
    if (d[at] === -1 || /[\w.]/.test(code[at - 1] ?? ' ') || /^\s*=(?!=)/.test(code.slice(at + name.length))) continue;
    out += code.slice(last, at) + value;
    last = at + name.length;
  }
  return out + code.slice(last);
}

/**
 * A Python value as people write expected values and arguments: a number, a quoted string, `True`/
 * `False`/`None`, a bracketed literal, a signed or negated one, or a simple call of such (`date(2024, 1, 1)`,
 * `set([1])`). Returns the value trimmed of a trailing comment or full stop, or undefined.
 */
export function literalText(text: string): string | undefined {
  let t = text
    .trim()
    .replace(/^`+|`+$/g, '')
    .trim();
  if (!t) return undefined;
  // cut a trailing comment, a trailing full stop / comma, or a parenthetical remark after the value
  const d = depths(t);
  for (let i = 0; i < t.length; i++) {
    if (d[i] === -1 && t[i] === '#' && (i === 0 || d[i - 1] !== -1)) {
      t = t.slice(0, i).trim();
      break;
    }
  }
  t = t.replace(/[.,;]\s*$/, '').trim();
  if (!t || openDepth(t) !== 0) return undefined;
  const dd = depths(t);
  // the whole text must be one value: no top-level space outside brackets and strings (unless in a call)
  const ATOM =
    /^(?:-?\d[\d_]*(?:\.\d+)?(?:[eE][-+]?\d+)?|-?\.\d+|True|False|None|float\('(?:inf|-inf|nan)'\)|(?:[rbuf]|br|rb)?(?:"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|"""[\s\S]*?"""|'''[\s\S]*?'''))$/;
  if (ATOM.test(t)) return t;
  if (/^[-+]?[[({]/.test(t) || /^[A-Za-z_][\w.]*\(/.test(t)) {
    // a bracketed value or a call: it must end where its first bracket closes
    const open = t.search(/[[({]/);
    let close = -1;
    for (let j = open + 1; j < t.length; j++)
      if (dd[j] === dd[open]! + 1 && ')]}'.includes(t[j]!)) {
        close = j;
        break;
      }
    if (close !== t.length - 1) return undefined;
    // no prose inside: three words in a row outside strings is a sentence, not a value
    const code = t
      .split('')
      .filter((_, i) => dd[i] !== -1)
      .join('');
    if (/\b[a-z]{2,}\s+[a-z]{2,}\s+[a-z]{2,}\b/i.test(code)) return undefined;
    return t;
  }
  return undefined;
}

/** `name(args)` at the start of `text`: the call and what follows it. */
function leadingCall(text: string): { callee: string; call: string; rest: string } | undefined {
  const m = /^([A-Za-z_][\w.]*)\s*\(/.exec(text);
  if (!m || PY_WORDS.has(m[1]!)) return undefined;
  const d = depths(text);
  const open = m[0].length - 1;
  for (let j = open + 1; j < text.length; j++) {
    if (d[j] === 1 && text[j] === ')') return { callee: m[1]!, call: text.slice(0, j + 1), rest: text.slice(j + 1) };
  }
  return undefined;
}

/** The arguments `f(...)` would take for a written input (`'abc'`, `[1, 2], 3`, `s = 'x', k = 2`), or undefined. */
/** `...` written outside strings: a placeholder, not a value. */
function hasEllipsis(text: string): boolean {
  return /(^|[^.])\.\.\.(?!\.)/.test(text.replace(/(["'])(?:\\.|(?!\1)[^\\])*\1/g, '""'));
}

function argsText(input: string): string | undefined {
  if (hasEllipsis(input)) return undefined;
  const t = input
    .trim()
    .replace(/^`+|`+$/g, '')
    .trim()
    .replace(/[.;]\s*$/, '');
  if (!t) return undefined;
  const parts = splitTopLevel(t);
  const out: string[] = [];
  for (const p of parts) {
    const kw = /^([A-Za-z_]\w*)\s*=(?!=)\s*([\s\S]+)$/.exec(p);
    const value = literalText(kw ? kw[2]! : p);
    if (value === undefined) return undefined;
    out.push(kw ? `${kw[1]}=${value}` : value);
  }
  return out.join(', ');
}

/** A list marker, comment mark or lead-in word before a test on its line. */
const PREFIX =
  /^\s*(?:#+|\/\/|--|[-*•]|\d+[.)]|\(\d+\)|(?:test(?:\s*case)?|example|expected(?:\s+(?:result|output))?|e\.g\.|check)\s*\d*\s*[:.)-])\s*/i;

function stripPrefix(line: string): string {
  let t = line;
  for (let k = 0; k < 4; k++) {
    const next = t.replace(PREFIX, '');
    if (next === t) break;
    t = next;
  }
  return t
    .trim()
    .replace(/^`+|`+$/g, '')
    .trim();
}

const VERB =
  /^\s*(?:should\s+(?:return|be|give|output|equal|yield|produce)|must\s+return|returns?|gives?|==|->|=>|→|⇒|outputs?|yields?|produces?|equals?|is)\s*:?\s*/i;

interface Parsed {
  readonly callee?: string;
  readonly call?: string;
  readonly args?: string;
  readonly expected: string;
  /** An `assert` written inside a line of prose. */
  readonly assert?: string;
}

/** A line cut at numbered markers (`1) … 2) …`) and `;` outside strings and brackets. */
export function segments(line: string): string[] {
  const text = line.replace(/`/g, '');
  // `1)` list markers close no bracket
  const d = depths(text.replace(/(^|\s)(\d+)\)(?=\s)/g, '$1$2.'));
  const cuts: number[] = [0];
  for (let i = 1; i < text.length; i++) {
    if (d[i] !== 0) continue;
    if (text[i] === ';') cuts.push(i);
    else if (/\s/.test(text[i - 1]!) && /^\d+[.)]\s/.test(text.slice(i)) && /[.:;,)'"\]}\w]\s*$/.test(text.slice(0, i))) cuts.push(i);
  }
  const out: string[] = [];
  for (let k = 0; k < cuts.length; k++) {
    const part = text.slice(cuts[k]! + (text[cuts[k]!] === ';' ? 1 : 0), cuts[k + 1] ?? text.length).trim();
    if (part) out.push(part);
  }
  return out;
}

const VERB_SPLIT_ALL =
  /\s+(?:should\s+(?:return|give|output|equal|yield|produce|be)|must\s+return|returns?|gives?|==|->|=>|→|⇒|outputs?|yields?|produces?)\s*:?\s+/gi;

/** One test written in prose, or undefined. */
export function parseSegment(segment: string): Parsed | undefined {
  // a lead-in ending in a colon before the test ("Here are the tests: assert f(1) == 2")
  let text = stripPrefix(segment);
  const inlineAssert = /(?:^|:\s*)(assert\b[\s\S]*)$/.exec(text);
  if (inlineAssert) {
    const stmt = inlineAssert[1]!.replace(/[.;]\s*$/, '').trim();
    return openDepth(stmt) === 0 && /==|\bis\b|!=|\(/.test(stmt) ? { assert: stmt, expected: '' } : undefined;
  }
  let call = leadingCall(text);
  // print(f(x))  # 5   /   print(f(x))  # Output: 5
  if (call && call.callee === 'print') {
    const inner = leadingCall(call.call.slice(call.call.indexOf('(') + 1, -1).trim());
    if (inner && !inner.rest.trim()) call = { ...inner, rest: call.rest };
    else call = undefined;
  }
  // `f(...)`: the arguments are elsewhere (a file given above), not in the test
  if (call && hasEllipsis(call.call)) return undefined;
  if (call) {
    // a comment after the call states the result: `f(x)  # returns 5`, `f(x)  # Output: 5`, `f(x)  # 5`
    let rest = call.rest;
    if (/^\s*#/.test(rest)) {
      rest = rest.replace(/^\s*#\s*/, ' ').replace(/^\s*(?:output|prints?|result|expected)\s*:?\s*/i, ' == ');
      if (!VERB.test(rest)) rest = ` == ${rest}`;
    }
    const verb = VERB.exec(rest);
    const expected = verb ? literalText(rest.slice(verb[0].length)) : undefined;
    return expected !== undefined ? { callee: call.callee, call: call.call, expected } : undefined;
  }
  // Input: x … Expected output: y   /   if (the) input is x, (it) should return y
  const inp =
    /^(?:if\s+)?(?:the\s+)?(?:test\s*\d*\s*[:.-]\s*)?inputs?\s*(?:\d*\s*:|is|=)\s*(.+?)\s*(?:[-–—,;|]\s*|\s{2,}|\s+)?(?:(?:expected|correct)\s*(?:output|result|answer)?\s*(?::|is)|outputs?\s*:|returns?\s*:?|result\s*:|(?:it\s+|the\s+function\s+|then\s+)?should\s+(?:return|output|give|be))\s*(.+)$/i.exec(
      text,
    );
  if (inp) {
    const args = argsText(inp[1]!);
    const expected = literalText(inp[2]!);
    return args !== undefined && expected !== undefined ? { args, expected } : undefined;
  }
  // x -> y, x should return y: the function is named elsewhere
  text = text.replace(/^(?:for|with|given)\s+(?:the\s+|an?\s+)?(?:inputs?\s+|arguments?\s+)?/i, '');
  // the first verb whose two sides read as values (`the output should be 6`: not at `output`)
  VERB_SPLIT_ALL.lastIndex = 0;
  for (let verb = VERB_SPLIT_ALL.exec(text); verb; VERB_SPLIT_ALL.lastIndex = verb.index + 1, verb = VERB_SPLIT_ALL.exec(text)) {
    // "[1, 2, 3], the output should be 6": the words before the verb name what is returned
    const left = text
      .slice(0, verb.index)
      .replace(/,?\s*(?:then\s+)?(?:the\s+)?(?:expected\s+)?(?:output|result|answer|return\s+value|function|it)\s*$/i, '');
    const args = argsText(left);
    const expected = args === undefined ? undefined : literalText(text.slice(verb.index! + verb[0].length));
    if (args !== undefined && expected !== undefined) return { args, expected };
  }
  return undefined;
}

/** The function most calls in `calls` name. */
function mostCalled(calls: readonly string[]): string | undefined {
  const counts = new Map<string, number>();
  for (const c of calls) counts.set(c, (counts.get(c) ?? 0) + 1);
  let best: string | undefined;
  for (const [k, n] of counts) if (!best || n > counts.get(best)!) best = k;
  return best;
}

/** A function name the statement gives: `` `name(`` , `def name(`, "a function name(…)", "called/named name". */
export function statementEntryPoint(text: string): string | undefined {
  const found =
    /\bdef\s+([A-Za-z_]\w*)\s*\(/.exec(text) ??
    /`([A-Za-z_]\w*)\s*\([^`]*\)?`/.exec(text) ??
    /\bfunction\s+(?:called\s+|named\s+)?`?([A-Za-z_]\w*)`?\s*\(/i.exec(text) ??
    /\b(?:called|named)\s+`([A-Za-z_]\w*)`/i.exec(text);
  const name = found?.[1];
  return name && !PY_WORDS.has(name) ? name : undefined;
}

/** Top-level function names a code answer defines, when exactly one is not called by the others. */
export function codeEntryPoint(code: string): string | undefined {
  const defs = [...code.matchAll(/^def\s+([A-Za-z_]\w*)\s*\(/gm)].map((m) => m[1]!);
  if (defs.length === 0) return undefined;
  if (defs.length === 1) return defs[0];
  const uncalled = defs.filter((d) => !new RegExp(`[^\\w.]${d}\\s*\\(`).test(code.replace(new RegExp(`^def\\s+${d}\\s*\\(`, 'm'), '')));
  return uncalled.length === 1 ? uncalled[0] : defs[defs.length - 1];
}

const TEST_HEADING =
  /\b(?:tests?|test\s+cases?|unit\s+tests?|examples?|expected(?:\s+(?:output|results?|behaviou?r))?|inputs?\s+and\s+(?:expected\s+)?outputs?|sample\s+(?:inputs?|outputs?))\b[^\n]*:\s*$/i;
const TESTISH = /\bshould\s+(?:return|give|output)\b|->|=>|→|\bexpected\b|^\s*(?:#\s*)?input\s*:|\boutput\s*:|>>>/i;

export function extractPromptTests(prompt: string, opts: { entryPoint?: string } = {}): ExtractedTests {
  const lines = prompt.replace(/\r\n?/g, '\n').split('\n');
  const used = new Set<number>();
  const take = (s: Span) => {
    for (let i = s.start; i <= s.end; i++) used.add(i);
  };
  const found: { line: number; code: string; usesSetup: boolean }[] = [];

  // 1. assert statements (with continuation lines while brackets are open)
  for (let i = 0; i < lines.length; i++) {
    const m = /^\s*(?:>>>\s*)?(assert\b.*)$/.exec(lines[i]!);
    if (!m) continue;
    const start = i;
    let stmt = m[1]!;
    while (i + 1 < lines.length && i - start < MAX_STATEMENT_LINES && incomplete(stmt)) stmt += '\n' + lines[++i]!.trim();
    stmt = stmt.replace(/`+\s*$/, '').trim();
    take({ start, end: i });
    found.push({ line: start, code: stmt, usesSetup: true });
  }

  // 2. prose tests: each line, or each numbered / `;`-separated part of a line
  const callees: string[] = [];
  const pending: { line: number; end: number; call?: string; args?: string; expected: string; assert?: string }[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (used.has(i)) continue;
    const raw = lines[i]!;
    const doctest = /^\s*>>>\s*(.+)$/.exec(raw);
    if (doctest) {
      const call = leadingCall(doctest[1]!.trim());
      let j = i + 1;
      while (j < lines.length && !lines[j]!.trim()) j++;
      const expected = j < lines.length && !/^\s*>>>/.test(lines[j]!) ? literalText(lines[j]!) : undefined;
      if (call && !call.rest.trim() && expected !== undefined) {
        callees.push(call.callee);
        pending.push({ line: i, end: j, call: call.call, expected });
        i = j;
      }
      continue;
    }
    // only lines with a call, an arrow, a verb or a label can hold a test
    if (!MAYBE_TEST.test(raw)) continue;
    let parts = segments(raw).map(parseSegment);
    // a lead-in before the tests on the same line ("Here are the tests: 1) …")
    if (parts.length > 1 && parts[0] === undefined) parts = parts.slice(1);
    if (parts.length && parts.every((p) => p !== undefined)) {
      for (const p of parts) {
        if (p!.callee) callees.push(p!.callee);
        pending.push({ line: i, end: i, ...p! });
      }
      continue;
    }
    // `Input: x` with the output on the next non-blank line
    const inOnly = /^\s*(?:[-*•]\s*|\d+[.)]\s*|#\s*)*(?:test\s*\d*\s*[:.-]\s*)?inputs?\s*\d*\s*:\s*(.+)$/i.exec(raw);
    if (inOnly) {
      let j = i + 1;
      while (j < lines.length && !lines[j]!.trim()) j++;
      const out =
        j < lines.length
          ? /^\s*(?:[-*•]\s*|#\s*)*(?:(?:expected|correct)\s*(?:output|result|answer)?|outputs?|returns?|result)\s*\d*\s*:\s*(.+)$/i.exec(
              lines[j]!,
            )
          : null;
      const args = argsText(inOnly[1]!);
      const expected = out ? literalText(out[1]!) : undefined;
      if (args !== undefined && expected !== undefined) {
        pending.push({ line: i, end: j, args, expected });
        i = j;
      }
    }
  }

  // `Inputs:` / `Outputs:` lists of values, paired in order
  pairLists(lines, used, pending);

  const entryPoint = opts.entryPoint ?? mostCalled(callees) ?? statementEntryPoint(prompt);
  for (const p of pending) {
    if (p.assert !== undefined) {
      take({ start: p.line, end: p.end });
      found.push({ line: p.line, code: p.assert, usesSetup: true });
      continue;
    }
    if (p.call === undefined && entryPoint === undefined) continue;
    const call = p.call ?? `${entryPoint}(${p.args})`;
    const op = p.expected === 'None' ? 'is' : '==';
    take({ start: p.line, end: p.end });
    found.push({ line: p.line, code: `assert ${call} ${op} ${p.expected}`, usesSetup: false });
  }
  found.sort((a, b) => a.line - b.line);

  // 3. the setup the tests use: definitions, and the statements between asserts that change the state
  // the asserts read (`cache.put(…)`); an earlier assert on that state is replayed as an expression,
  // so the state is the same and a failure is charged to its own test only
  const setups = found.length ? setupStatements(lines, used) : [];
  const uses = new Map(setups.map((o) => [o, namesUsed(o.text)]));
  const definers = new Map<string, Setup[]>();
  for (const o of setups) for (const n of o.names) definers.set(n, [...(definers.get(n) ?? []), o]);
  const defined = (n: string) => (definers.get(n) ?? []).some((o) => o.kind !== 'expr');
  const needed = new Set<Setup>();
  const asserts: string[] = [];
  const seen = new Set<string>();
  for (const f of found) {
    let code = f.code;
    if (setups.length === 0) {
      if (!seen.has(code)) seen.add(code), asserts.push(code);
      continue;
    }
    const want = namesUsed(code);
    // a literal assigned once and used only by asserts is written into the assert
    for (const s of setups) {
      const name = s.names[0];
      if (s.literal === undefined || name === undefined || s.start > f.line || !want.has(name) || (definers.get(name) ?? []).length !== 1)
        continue;
      if (setups.some((o) => o !== s && uses.get(o)!.has(name))) continue;
      code = inline(code, name, s.literal);
      needed.add(s);
    }
    const closure = new Set(namesUsed(code));
    const before = new Set<Setup>();
    for (let changed = true; changed; ) {
      changed = false;
      for (const s of setups) {
        if (before.has(s) || s.start > f.line || (s.literal !== undefined && !closure.has(s.names[0]!))) continue;
        const u = uses.get(s)!;
        const relevant = s.names.some((n) => closure.has(n)) || (s.kind === 'expr' && [...u].some((n) => closure.has(n) && defined(n)));
        if (!relevant) continue;
        before.add(s);
        for (const n of u) closure.add(n);
        changed = true;
      }
    }
    const steps: { line: number; text: string }[] = [...before].map((s) => ({ line: s.start, text: s.text }));
    // state the earlier asserts may change: an object or list set up before them (not an import or a def)
    // the state set up before this assert (an object, a list), which earlier asserts may change: they are
    // replayed as expressions, with the definitions they use (a helper that appends to the list)
    const state = new Set([...before].filter((s) => s.kind === 'expr' || /^[A-Za-z_]\w*\s*=(?!=)/.test(s.text)).flatMap((s) => s.names));
    if (state.size || [...before].some((s) => s.kind === 'expr')) {
      for (const g of found) {
        if (g.line >= f.line || !g.usesSetup) continue;
        const body = /^assert\s+([\s\S]+?)(?:,\s*(?:f?["'][\s\S]*))?$/.exec(g.code)?.[1];
        if (!body) continue;
        const reach = new Set(namesUsed(body));
        const extra: Setup[] = [];
        for (let grew = true; grew; ) {
          grew = false;
          for (const s of setups) {
            if (extra.includes(s) || before.has(s) || s.kind === 'expr' || s.start > g.line || !s.names.some((n) => reach.has(n))) continue;
            extra.push(s);
            for (const n of uses.get(s)!) reach.add(n);
            grew = true;
          }
        }
        if (![...reach].some((n) => state.has(n) || (closure.has(n) && defined(n)))) continue;
        steps.push({ line: g.line, text: body });
        for (const s of extra) {
          before.add(s);
          steps.push({ line: s.start, text: s.text });
        }
      }
    }
    steps.sort((x, y) => x.line - y.line);
    for (const s of before) needed.add(s);
    const full = [...steps.map((s) => s.text), code].join('\n');
    if (seen.has(full)) continue;
    seen.add(full);
    asserts.push(full);
  }
  for (const s of needed) take(s);

  // 4. literals of test lines that did not become tests
  const literals = leftoverLiterals(lines, used);

  const kept = lines.filter((_, i) => !used.has(i));
  let statement = kept
    .join('\n')
    .replace(/^[ \t]*(`{3,}|~{3,})[^\n]*\n(?:[ \t]*\n)*[ \t]*\1[ \t]*$/gm, '') // fences left empty
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  if (asserts.length) {
    // a lead-in line that only announced the tests, now at the end with nothing after it
    statement = statement
      .replace(/\n[^\n]*\b(?:tests?|examples?|assert(?:ion)?s?|pass(?:es)?|cases?|expected)\b[^\n]*:\s*$/i, '')
      .replace(/\n[ \t]*(?:#+|\*\*)[ \t]*[^\n]{0,30}\b(?:tests?|examples?|test cases?)\b[ \t]*(?:\*\*)?[ \t]*$/i, '')
      .trim();
  }
  return { statement, asserts, literals };
}

/** `Inputs:` then a list of values, later `Outputs:` then as many: one test per pair. */
function pairLists(
  lines: readonly string[],
  used: ReadonlySet<number>,
  pending: { line: number; end: number; args?: string; expected: string }[],
): void {
  const listAfter = (i: number): { values: string[]; end: number } => {
    const values: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const l = lines[j]!;
      if (!l.trim()) {
        if (values.length) break;
        continue;
      }
      const item = /^\s*(?:[-*•]|\d+[.)])\s*(.+)$/.exec(l);
      if (!item) break;
      values.push(item[1]!);
    }
    return { values, end: j - 1 };
  };
  for (let i = 0; i < lines.length; i++) {
    if (used.has(i) || !/^\s*(?:\*\*)?inputs?\s*(?:\*\*)?\s*:\s*$/i.test(lines[i]!)) continue;
    const ins = listAfter(i);
    let k = ins.end + 1;
    while (k < lines.length && !lines[k]!.trim()) k++;
    if (k >= lines.length || !/^\s*(?:\*\*)?(?:expected\s+)?outputs?\s*(?:\*\*)?\s*:\s*$/i.test(lines[k]!)) continue;
    const outs = listAfter(k);
    if (!ins.values.length || ins.values.length !== outs.values.length) continue;
    const pairs = ins.values.map((v, n) => ({ args: argsText(v), expected: literalText(outs.values[n]!) }));
    if (pairs.some((p) => p.args === undefined || p.expected === undefined)) continue;
    pending.push(
      ...pairs.map((p, n) => ({
        line: n === 0 ? i : ins.end,
        end: n === pairs.length - 1 ? outs.end : ins.end,
        args: p.args!,
        expected: p.expected!,
      })),
    );
    i = outs.end;
  }
}

/** Python statements at the start of a line that define names: assignments, imports, `def`/`class` blocks. */
function setupStatements(lines: readonly string[], used: ReadonlySet<number>): Setup[] {
  const out: Setup[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (used.has(i)) continue;
    const line = lines[i]!;
    const indent = /^\s*/.exec(line)![0];
    const assign = /^\s*([A-Za-z_]\w*)\s*=(?!=)\s*(.*)$/.exec(line);
    const imp = /^\s*(?:from\s+[\w.]+\s+)?import\s+([\w., ]+?)(?:\s+as\s+(\w+))?\s*$/.exec(line);
    const block = /^\s*(?:def|class)\s+([A-Za-z_]\w*)\s*[(:]/.exec(line);
    if (assign && assign[2]!.trim()) {
      const start = i;
      let text = line;
      while (i + 1 < lines.length && i - start < MAX_STATEMENT_LINES && incomplete(text)) text += '\n' + lines[++i]!;
      if (incomplete(text)) continue;
      const value = text.slice(text.indexOf('=') + 1).trim();
      // prose like "x = the number of items" is not code
      if (/^[a-z]{2,}\s+[a-z]{2,}\s+[a-z]{2,}/i.test(value) && !/^[[({'"]/.test(value)) continue;
      const lit = value.includes('\n') ? (literalText(value.replace(/\n\s*/g, ' ')) !== undefined ? value : undefined) : literalText(value);
      // a call is not a literal to copy: it may build state (`cache = Cache(2)`)
      const copyable = lit !== undefined && !/[A-Za-z_]\w*\s*\(/.test(lit.replace(/(["'])(?:\\.|(?!\1)[^\\])*\1/g, '""'));
      out.push({ kind: 'define', start, end: i, names: [assign[1]!], text: dedent(text, indent), ...(copyable ? { literal: lit } : {}) });
      continue;
    }
    if (imp) {
      const names = imp[2]
        ? [imp[2]]
        : imp[1]!
            .split(',')
            .map(
              (s) =>
                s
                  .trim()
                  .split(/\s+as\s+/)
                  .pop()!
                  .split('.')[0]!,
            )
            .filter(Boolean);
      out.push({ kind: 'define', start: i, end: i, names, text: line.trim() });
      continue;
    }
    if (block) {
      const start = i;
      let j = i + 1;
      while (
        j < lines.length &&
        (!lines[j]!.trim() ? /^\s+\S/.test(lines[j + 1] ?? '') : lines[j]!.startsWith(indent + ' ') || lines[j]!.startsWith(indent + '\t'))
      )
        j++;
      if (j === i + 1) continue;
      i = j - 1;
      out.push({ kind: 'define', start, end: i, names: [block[1]!], text: dedent(lines.slice(start, j).join('\n'), indent) });
      continue;
    }
    // `obj.method(…)` / `obj[k] = v` / `f(…)` on its own line: acts on state a test may read
    const expr = /^\s*[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*\s*(?:\(|\[)/.exec(line);
    if (expr && !PY_WORDS.has(/^\s*(\w+)/.exec(line)![1]!)) {
      const start = i;
      let text = line;
      while (i + 1 < lines.length && i - start < MAX_STATEMENT_LINES && incomplete(text)) text += '\n' + lines[++i]!;
      const code = text
        .split('')
        .filter((_, k) => depths(text)[k] !== -1)
        .join('');
      if (incomplete(text) || /\b[a-z]{2,}\s+[a-z]{2,}\s+[a-z]{2,}\b/i.test(code)) {
        i = start;
        continue;
      }
      out.push({ kind: 'expr', start, end: i, names: [], text: dedent(text, indent).replace(/\s+#[^\n'"]*$/, '') });
    }
  }
  return out;
}

function dedent(text: string, indent: string): string {
  return text
    .split('\n')
    .map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l))
    .join('\n');
}

const LITERAL_TOKEN = /"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|\[[^\]\n]*\]|\{[^}\n]*\}|-?\b\d+(?:\.\d+)?\b/g;

/**
 * Literals of the test-like lines that did not become tests: lines under a test heading or written like
 * a test, and the contents of a fenced block given as a file.
 */
function leftoverLiterals(lines: readonly string[], used: ReadonlySet<number>): string[] {
  const out = new Set<string>();
  let inTests = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (!line.trim()) continue;
    if (TEST_HEADING.test(line)) {
      inTests = true;
      continue;
    }
    const fence = /^\s*(`{3,}|~{3,})\s*([\w+-]*)\s*$/.exec(line);
    if (fence) {
      let j = i + 1;
      const body: string[] = [];
      while (j < lines.length && !lines[j]!.trim().startsWith(fence[1]!)) body.push(lines[j++]!);
      const lead = lines.slice(Math.max(0, i - 2), i).join(' ');
      const isFile = /\b(?:file|contents?|containing|contains|data|csv|json|log)\b/i.test(lead) && !/^(?:python|py)$/i.test(fence[2]!);
      if (isFile || inTests) {
        const text = body.join('\n').trim();
        if (isFile && text) out.add(text);
        for (let k = i + 1; k < j; k++) if (!used.has(k)) for (const t of tokens(lines[k]!)) out.add(t);
      }
      i = j;
      continue;
    }
    if (used.has(i)) continue;
    // a sentence (not a list item) ends the tests
    if (inTests && /^[^\s#*\d•-]/.test(line) && /[a-z]{3,}\s+[a-z]{3,}\s+[a-z]{3,}\s+[a-z]{3,}/i.test(line) && !TESTISH.test(line))
      inTests = false;
    if (inTests || TESTISH.test(line)) for (const t of tokens(line)) out.add(t);
  }
  return [...out];
}

function tokens(line: string): string[] {
  const out: string[] = [];
  for (const m of line.matchAll(LITERAL_TOKEN)) {
    const t = m[0];
    // an apostrophe inside a word (`I'll`, `isn't`) opens no string; brackets must pair up
    if (t[0] === "'" && /\w/.test(line[m.index! - 1] ?? ' ')) continue;
    if (openDepth(t) !== 0) continue;
    // single small numbers and list markers say nothing
    if (/^-?\d$/.test(t)) continue;
    out.push(t);
  }
  return out;
}
