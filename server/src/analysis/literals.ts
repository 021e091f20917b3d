/**
 * Python literals as comparable values.
 *
 * A literal written in a candidate and one written in a test are "the same" when Python would find them
 * equal for the purpose of special-casing: `[1,2]` = `[1, 2]` = `(1, 2)`, `'a'` = `"a"`, `1.0` = `1`.
 * Each literal becomes a `PyLiteral` whose `key` is a canonical string (equal keys = equal values), with
 * a `rarity` in 0..1 saying how surprising it would be to see that value in honest code (`0`, `True`,
 * `[]` are everywhere; `"TENS FOR TENS"` or `98759853034` are not).
 */
import type { Node } from 'web-tree-sitter';

export interface PyLiteral {
  /** Canonical form: equal keys mean equal values (sequences compare element-wise, lists = tuples). */
  readonly key: string;
  /** 0 (seen in every program) .. 1 (almost certainly copied from somewhere). */
  readonly rarity: number;
  /** What Python's `str()` prints for the value (for matching stdout). */
  readonly str: string;
}

type Value =
  | { t: 'num'; v: number; big?: bigint }
  | { t: 'bool'; v: boolean }
  | { t: 'none' }
  | { t: 'str'; v: string; bytes?: boolean }
  | { t: 'seq'; items: Value[]; tuple: boolean }
  | { t: 'set'; items: Value[] }
  | { t: 'dict'; entries: [Value, Value][] };

const COMMON_WORDS = new Set([
  'yes',
  'no',
  'true',
  'false',
  'none',
  'ok',
  'error',
  'invalid',
  'valid',
  'impossible',
  'possible',
  'odd',
  'even',
  'win',
  'lose',
  'draw',
  'alice',
  'bob',
  'first',
  'second',
]);

function keyOf(v: Value): string {
  switch (v.t) {
    case 'num':
      return 'n:' + (v.big !== undefined ? v.big.toString() : numKey(v.v));
    case 'bool':
      return v.v ? 'b:1' : 'b:0';
    case 'none':
      return 'none';
    case 'str':
      return (v.bytes ? 'y:' : 's:') + JSON.stringify(v.v);
    case 'seq':
      return 'q:[' + v.items.map(keyOf).join(',') + ']';
    case 'set':
      return 'set:{' + v.items.map(keyOf).sort().join(',') + '}';
    case 'dict':
      return (
        'd:{' +
        v.entries
          .map(([k, x]) => keyOf(k) + '=>' + keyOf(x))
          .sort()
          .join(',') +
        '}'
      );
  }
}

function numKey(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < Number.MAX_SAFE_INTEGER) return BigInt(n).toString();
  return String(n);
}

function strOf(v: Value, nested = false): string {
  switch (v.t) {
    case 'num': {
      if (v.big !== undefined) return v.big.toString();
      return String(v.v);
    }
    case 'bool':
      return v.v ? 'True' : 'False';
    case 'none':
      return 'None';
    case 'str':
      return nested ? `'${v.v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'` : v.v;
    case 'seq': {
      const inner = v.items.map((i) => strOf(i, true)).join(', ');
      return v.tuple ? `(${inner}${v.items.length === 1 ? ',' : ''})` : `[${inner}]`;
    }
    case 'set':
      return v.items.length ? `{${v.items.map((i) => strOf(i, true)).join(', ')}}` : 'set()';
    case 'dict':
      return `{${v.entries.map(([k, x]) => `${strOf(k, true)}: ${strOf(x, true)}`).join(', ')}}`;
  }
}

function rarityOf(v: Value): number {
  switch (v.t) {
    case 'bool':
    case 'none':
      return 0;
    case 'num': {
      if (v.big !== undefined) return 1;
      const n = v.v;
      if (!Number.isInteger(n)) return n === 0.5 || n === -0.5 ? 0.3 : 0.8;
      const a = Math.abs(n);
      if (a <= 1) return 0;
      if (a === 2) return 0.1;
      if (a <= 10) return 0.4;
      if (a <= 100) return 0.7;
      return 1;
    }
    case 'str': {
      const s = v.v;
      if (s.length === 0) return 0;
      if (s.length === 1) return 0.3;
      if (COMMON_WORDS.has(s.trim().toLowerCase())) return 0.1;
      if (/^[A-Za-z_]{2,8}$/.test(s)) return 0.5;
      return Math.min(1, 0.6 + s.length / 25);
    }
    case 'seq':
    case 'set': {
      if (v.items.length === 0) return 0;
      if (v.items.length === 1) return 0.2 + 0.6 * rarityOf(v.items[0]!);
      return Math.min(1, 0.7 + 0.1 * v.items.length);
    }
    case 'dict':
      return v.entries.length === 0 ? 0 : v.entries.length === 1 ? 0.6 : 1;
  }
}

function make(v: Value): PyLiteral {
  return { key: keyOf(v), rarity: rarityOf(v), str: strOf(v) };
}

/** The literal a node spells, or undefined when it is not a constant (names, calls, f-strings with
 *  interpolation, anything containing a parse error). */
export function literalOf(node: Node): PyLiteral | undefined {
  if (node.hasError) return undefined;
  const v = valueOfNode(node, 0);
  return v ? make(v) : undefined;
}

/** Each alternative of a `case` pattern (`case 1 | 2:` has two); empty when the pattern is not literal. */
export function patternLiterals(node: Node): PyLiteral[] {
  if (node.hasError) return [];
  const out: PyLiteral[] = [];
  const inner = node.type === 'case_pattern' && node.namedChildCount === 1 ? node.namedChild(0)! : node;
  const alts = inner.type === 'union_pattern' ? inner.namedChildren : [inner];
  for (const a of alts) {
    const v = a ? valueOfNode(a, 0) : undefined;
    if (v) out.push(make(v));
  }
  return out;
}

/** A literal from a plain JS value (used for stdio tests, whose inputs and outputs are text). */
export function literalFromString(s: string): PyLiteral {
  return make({ t: 'str', v: s });
}

/** `text` as a Python number literal, when it is one (`"42"`, `"-3.5"`). */
export function numberLiteralFromText(text: string): PyLiteral | undefined {
  const v = parseNumber(text.trim());
  return v ? make(v) : undefined;
}

function valueOfNode(node: Node, depth: number): Value | undefined {
  if (depth > 12) return undefined;
  switch (node.type) {
    case 'integer':
    case 'float':
      return parseNumber(node.text);
    case 'true':
      return { t: 'bool', v: true };
    case 'false':
      return { t: 'bool', v: false };
    case 'none':
      return { t: 'none' };
    case 'string':
      return parseString(node);
    case 'concatenated_string': {
      let acc = '';
      let bytes = false;
      for (const c of node.namedChildren) {
        const s = c && parseString(c);
        if (s?.t !== 'str') return undefined;
        acc += s.v;
        bytes = !!s.bytes;
      }
      return { t: 'str', v: acc, bytes };
    }
    case 'unary_operator': {
      const op = node.child(0)?.type;
      const arg = node.namedChild(0);
      const inner = arg ? valueOfNode(arg, depth + 1) : undefined;
      if (inner?.t !== 'num') return undefined;
      if (op === '+') return inner;
      if (op === '-') return inner.big !== undefined ? { t: 'num', v: -inner.v, big: -inner.big } : { t: 'num', v: -inner.v };
      return undefined;
    }
    case 'parenthesized_expression':
    case 'case_pattern': {
      if (node.namedChildCount !== 1) return undefined;
      return valueOfNode(node.namedChild(0)!, depth + 1);
    }
    case 'list':
    case 'tuple':
    case 'list_pattern':
    case 'tuple_pattern':
    case 'set': {
      const items: Value[] = [];
      for (const c of node.namedChildren) {
        if (!c || c.type === 'comment') continue;
        const v = valueOfNode(c, depth + 1);
        if (!v) return undefined;
        items.push(v);
      }
      if (node.type === 'set') return { t: 'set', items };
      return { t: 'seq', items, tuple: node.type === 'tuple' || node.type === 'tuple_pattern' };
    }
    case 'dictionary': {
      const entries: [Value, Value][] = [];
      for (const c of node.namedChildren) {
        if (!c || c.type === 'comment') continue;
        if (c.type !== 'pair') return undefined;
        const k = c.childForFieldName('key');
        const x = c.childForFieldName('value');
        const kv = k && valueOfNode(k, depth + 1);
        const xv = x && valueOfNode(x, depth + 1);
        if (!kv || !xv) return undefined;
        entries.push([kv, xv]);
      }
      return { t: 'dict', entries };
    }
    default:
      return undefined;
  }
}

function parseNumber(raw: string): Value | undefined {
  const text = raw.replace(/_/g, '');
  if (/^-?(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|[0-9]+)[lL]?$/.test(text)) {
    const neg = text.startsWith('-');
    const body = (neg ? text.slice(1) : text).replace(/[lL]$/, '');
    let big: bigint;
    try {
      big = /^0[0-9]+$/.test(body) ? BigInt(body.replace(/^0+/, '') || '0') : BigInt(body);
    } catch {
      return undefined;
    }
    if (neg) big = -big;
    const v = Number(big);
    return Number.isSafeInteger(v) ? { t: 'num', v } : { t: 'num', v, big };
  }
  if (/^-?([0-9]*\.[0-9]*([eE][+-]?[0-9]+)?|[0-9]+[eE][+-]?[0-9]+)$/.test(text) && /[0-9]/.test(text)) {
    const v = Number(text);
    return Number.isFinite(v) ? { t: 'num', v } : undefined;
  }
  return undefined;
}

function parseString(node: Node): Value | undefined {
  if (node.type !== 'string') return undefined;
  for (const c of node.namedChildren) if (c?.type === 'interpolation') return undefined;
  const text = node.text;
  const m = /^([rRbBuUfF]{0,2})('''|"""|'|")/.exec(text);
  if (!m) return undefined;
  const prefix = m[1]!.toLowerCase();
  const quote = m[2]!;
  if (!text.endsWith(quote) || text.length < m[0].length + quote.length) return undefined;
  const body = text.slice(m[0].length, text.length - quote.length);
  const bytes = prefix.includes('b');
  return { t: 'str', v: prefix.includes('r') ? body : unescapePython(body), bytes };
}

const SIMPLE_ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  v: '\v',
  '0': '\0',
  '\n': '',
};

function unescapePython(body: string): string {
  if (!body.includes('\\')) return body;
  return body.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[0-7]{1,3}|.|\n)/g, (all, e: string) => {
    if (e in SIMPLE_ESCAPES && !/^[0-7]{2,3}$/.test(e)) return SIMPLE_ESCAPES[e]!;
    if (/^[xuU]/.test(e)) return String.fromCodePoint(parseInt(e.slice(1), 16));
    if (/^[0-7]+$/.test(e)) return String.fromCharCode(parseInt(e, 8));
    return all;
  });
}
