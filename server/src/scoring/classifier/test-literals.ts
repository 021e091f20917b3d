/**
 * The literals a problem's tests are built from — the call arguments (inputs) and the expected values
 * (outputs) — normalised with `literalKey` so that `(1,2)` in a test matches `( 1, 2 )` in code and
 * `"abc"` matches `'abc'`. Used by the test-aware features only.
 */
import type { Node, Parser } from 'web-tree-sitter';
import type { Test } from '../../core/types';

export interface TestLiterals {
  readonly inputs: ReadonlySet<string>;
  readonly outputs: ReadonlySet<string>;
}

function unescape(s: string): string {
  return s.replace(/\\(n|t|r|\\|'|")/g, (_m, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c === 'r' ? '\r' : c));
}

/** A canonical key for a Python literal's source text: `s:<content>`, `n:<number>` or `c:<compact text>`. */
export function literalKey(text: string): string {
  const t = text.trim();
  const str = /^[rbuRBU]{0,2}("""|'''|"|')([\s\S]*)\1$/.exec(t);
  if (str) return 's:' + unescape(str[2]!).trim();
  const num = t.replace(/_/g, '');
  if (/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(num)) return 'n:' + String(Number(num));
  return 'c:' + t.replace(/\s+/g, '').replace(/'/g, '"').replace(/,([)\]}])/g, '$1');
}

/** Keys for the raw text of stdin/stdout, whole and line by line. */
function textKeys(text: string, into: Set<string>): void {
  const whole = text.trim();
  if (!whole) return;
  into.add('s:' + whole);
  if (/^[-+]?\d+(\.\d+)?$/.test(whole)) into.add('n:' + String(Number(whole)));
  for (const line of whole.split('\n')) if (line.trim()) into.add('s:' + line.trim());
}

function maximalLiterals(n: Node, isLit: (n: Node) => boolean, out: string[]): void {
  if (isLit(n)) {
    out.push(n.text);
    return;
  }
  for (const c of n.namedChildren) if (c) maximalLiterals(c, isLit, out);
}

function simpleLiteral(n: Node): boolean {
  const t = n.type;
  if (t === 'string') return !n.namedChildren.some((c) => c?.type === 'interpolation');
  if (['integer', 'float', 'concatenated_string', 'true', 'false', 'none'].includes(t)) return true;
  if (t === 'unary_operator') return /^-\s*[\d.]/.test(n.text);
  if (['tuple', 'list', 'set', 'dictionary', 'pair', 'parenthesized_expression'].includes(t)) return n.namedChildren.every((c) => !!c && simpleLiteral(c));
  return false;
}

export function testLiterals(parser: Parser, tests: readonly Test[]): TestLiterals {
  const inputs = new Set<string>();
  const outputs = new Set<string>();
  for (const t of tests) {
    if (t.kind === 'stdio') {
      textKeys(t.input, inputs);
      textKeys(t.expectedOutput, outputs);
      continue;
    }
    const tree = parser.parse(t.code);
    if (!tree) continue;
    try {
      for (const cmp of tree.rootNode.descendantsOfType('comparison_operator')) {
        if (!cmp) continue;
        for (const side of cmp.namedChildren) {
          if (!side) continue;
          const calls = side.type === 'call' ? [side] : side.descendantsOfType('call').filter((x): x is Node => !!x);
          if (calls.length) {
            for (const call of calls) {
              const args = call.childForFieldName('arguments');
              if (!args) continue;
              const lits: string[] = [];
              maximalLiterals(args, simpleLiteral, lits);
              for (const l of lits) inputs.add(literalKey(l));
              if (lits.length > 1) inputs.add(literalKey('(' + lits.join(',') + ')'));
            }
          } else if (simpleLiteral(side)) {
            outputs.add(literalKey(side.text));
          }
        }
      }
    } finally {
      tree.delete();
    }
  }
  return { inputs, outputs };
}
