/**
 * One parsed candidate, as the detectors see it: the syntax nodes they look at, bucketed by type in one
 * native walk; which names carry the input (function parameters, stdin reads, and what is computed from
 * them); and the problem's test literals. A context lives only while its tree does.
 */
import type { Finding, Problem } from '../../../../contract/domain';
import type { Node, Tree } from '../parser';
import { promptLiterals, type PromptLiterals } from '../promptLiterals';
import type { TestLiterals } from '../testLiterals';

/** Node types the detectors ask for; each type is collected with `descendantsOfType` on first use
 *  (marshalling nodes out of wasm is the main cost, so nothing is collected that is not asked for). */
export type Watched =
  | 'if_statement'
  | 'elif_clause'
  | 'conditional_expression'
  | 'match_statement'
  | 'return_statement'
  | 'call'
  | 'except_clause'
  | 'dictionary'
  | 'list'
  | 'tuple'
  | 'class_definition'
  | 'assignment'
  | 'augmented_assignment'
  | 'attribute'
  | 'subscript'
  | 'function_definition'
  | 'for_statement'
  | 'import_statement'
  | 'import_from_statement'
  | 'comparison_operator'
  | 'comment'
  | 'expression_statement';

/** Reads stdin: `input()`, `sys.stdin…`, `open(0)`, `fileinput`. */
export const STDIN_READ = /\binput\s*\(|\bsys\s*\.\s*stdin\b|\bopen\s*\(\s*0\s*[,)]|\bfileinput\b|\bstdin\s*\.\s*read/;

const IDENT = /[A-Za-z_][A-Za-z0-9_]*/g;
const STRINGS = /("""[\s\S]*?"""|'''[\s\S]*?'''|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')/g;

/** The names an expression's text mentions (outside string literals), attribute names included. */
function namesIn(text: string): string[] {
  return text.replace(STRINGS, '""').match(IDENT) ?? [];
}

/** Text hints that a detector will ask for `call` nodes (prints, harness access). */
const CALLS_NEEDED =
  /\b(print|write|inspect|_getframe|traceback|gc|__import__|listdir|scandir|walk|i?glob|iterdir|open|Path|getenv|environ|exit|quit|abort|setattr|settrace|setprofile)\b/;

export class ScanContext {
  readonly findings: Finding[] = [];
  readonly statement: string;
  private readonly nodes = new Map<Watched, Node[]>();
  private readonly taints = new Map<number, Set<string>>();
  private functions: { node: Node; start: number; end: number }[] | undefined;
  private assignmentsCache: { start: number; end: number; left: Node; right: Node }[] | undefined;

  constructor(
    readonly tree: Tree,
    readonly code: string,
    readonly problem: Problem,
    readonly lits: TestLiterals,
  ) {
    this.statement = problem.statement.toLowerCase();
    // One native walk for everything most candidates need (each `descendantsOfType` walks the whole tree).
    const common: Watched[] = [
      'comparison_operator',
      'if_statement',
      'elif_clause',
      'conditional_expression',
      'return_statement',
      'dictionary',
      'list',
      'tuple',
      'function_definition',
      'assignment',
      'augmented_assignment',
      'for_statement',
      'except_clause',
    ];
    if (CALLS_NEEDED.test(code)) common.push('call');
    this.ofMany(common);
  }

  private promptCache: PromptLiterals | undefined;
  /** Where the problem's literals sit: in its tests' text or in the statement's prose. */
  get prompt(): PromptLiterals {
    return (this.promptCache ??= promptLiterals(this.problem));
  }

  /** Comments and docstrings (a string standing alone as a statement), in document order. */
  commentsAndDocstrings(): Node[] {
    const triple = /"""|'''/.test(this.code);
    const hash = this.code.includes('#');
    if (triple && hash) this.ofMany(['comment', 'expression_statement']);
    const docs = triple ? this.of('expression_statement').filter((s) => s.namedChildCount === 1 && s.namedChild(0)?.type === 'string') : [];
    const comments = hash ? this.of('comment') : [];
    return [...comments, ...docs].sort((a, b) => a.startIndex - b.startIndex);
  }

  /** Every node of `type`, in document order. */
  of(type: Watched): readonly Node[] {
    let a = this.nodes.get(type);
    if (!a) {
      a = this.tree.rootNode.descendantsOfType(type).filter((n): n is Node => !!n);
      this.nodes.set(type, a);
    }
    return a;
  }

  /** Several types at once, fetched in one native call (and cached per type). */
  ofMany(types: readonly Watched[]): void {
    const missing = types.filter((t) => !this.nodes.has(t));
    if (missing.length < 2) return;
    for (const t of missing) this.nodes.set(t, []);
    for (const n of this.tree.rootNode.descendantsOfType(missing as Watched[])) if (n) this.nodes.get(n.type as Watched)!.push(n);
  }

  /** The innermost `def` around `node`, or undefined at module level. */
  enclosingFunction(node: Node): Node | undefined {
    this.functions ??= this.of('function_definition').map((f) => ({ node: f, start: f.startIndex, end: f.endIndex }));
    const i = node.startIndex;
    let best: { node: Node; start: number; end: number } | undefined;
    for (const f of this.functions) if (f.start <= i && i < f.end && (!best || f.start >= best.start)) best = f;
    return best?.node;
  }

  /** Names that carry the input in the scope of `node`: the parameters of its function, names read
   *  from stdin, and names assigned (or looped) from either, transitively. */
  taintAt(node: Node): Set<string> {
    const fn = this.enclosingFunction(node);
    const key = fn ? fn.id : -1;
    let t = this.taints.get(key);
    if (!t) {
      t = this.computeTaint(fn);
      this.taints.set(key, t);
    }
    return t;
  }

  /** True when `expr` is computed from the input in the scope of `at` (and is not a constant). */
  derivesFromInput(expr: Node, at: Node): boolean {
    const text = expr.text;
    if (STDIN_READ.test(text)) return true;
    const taint = this.taintAt(at);
    if (!taint.size) return false;
    for (const n of namesIn(text)) if (taint.has(n)) return true;
    return false;
  }

  /** True when `expr` reads stdin, directly or through a name assigned from a stdin read. */
  readsStdin(expr: Node): boolean {
    const text = expr.text;
    if (STDIN_READ.test(text)) return true;
    const names = this.stdinNames();
    if (!names.size) return false;
    for (const n of namesIn(text)) if (names.has(n)) return true;
    return false;
  }

  private assignments(): { start: number; end: number; left: Node; right: Node }[] {
    if (!this.assignmentsCache) {
      this.ofMany(['assignment', 'augmented_assignment', 'for_statement']);
      const all = [...this.of('assignment'), ...this.of('augmented_assignment'), ...this.of('for_statement')];
      this.assignmentsCache = [];
      for (const a of all) {
        const left = a.childForFieldName('left');
        const right = a.childForFieldName('right');
        if (left && right) this.assignmentsCache.push({ start: a.startIndex, end: a.endIndex, left, right });
      }
      this.assignmentsCache.sort((x, y) => x.start - y.start);
    }
    return this.assignmentsCache;
  }

  private stdinNamesCache: Set<string> | undefined;
  stdinNames(): Set<string> {
    if (this.stdinNamesCache) return this.stdinNamesCache;
    const names = new Set<string>();
    if (STDIN_READ.test(this.code)) {
      for (let pass = 0; pass < 2; pass++) {
        for (const a of this.assignments()) {
          const rt = a.right.text;
          if (STDIN_READ.test(rt) || (names.size && namesIn(rt).some((n) => names.has(n)))) for (const id of targets(a.left)) names.add(id);
        }
      }
    }
    this.stdinNamesCache = names;
    return names;
  }

  private computeTaint(fn: Node | undefined): Set<string> {
    const taint = new Set<string>();
    if (fn) {
      const params = fn.childForFieldName('parameters');
      if (params) for (const n of namesIn(params.text.replace(/=[^,)]*/g, '').replace(/:[^,)]*/g, ''))) taint.add(n);
    }
    for (const n of this.stdinNames()) taint.add(n);
    if (!taint.size) return taint;
    const inScope = fn ? this.assignments().filter((a) => a.start >= fn.startIndex && a.end <= fn.endIndex) : this.assignments();
    for (let pass = 0; pass < 2; pass++) {
      for (const a of inScope) {
        const rt = a.right.text;
        if (STDIN_READ.test(rt) || namesIn(rt).some((n) => taint.has(n))) for (const id of targets(a.left)) taint.add(id);
      }
    }
    return taint;
  }
}

/** Names bound by an assignment target (`a`, `a, b`, `(a, [b, c])`); not `x.y` or `x[i]`. */
function targets(left: Node): string[] {
  if (left.type === 'identifier') return [left.text];
  if (left.type === 'attribute' || left.type === 'subscript') return [];
  return namesIn(left.text.replace(/[.[][^,)\]]*/g, ''));
}

/** 0-based inclusive lines of a node (a trailing newline does not add a line). */
export function linesOf(node: Node): { startLine: number; endLine: number } {
  return spanLines(node, node);
}

export function spanLines(from: Node, to: Node): { startLine: number; endLine: number } {
  const startLine = from.startPosition.row;
  let endLine = to.endPosition.row;
  if (to.endPosition.column === 0 && endLine > startLine) endLine--;
  return { startLine, endLine };
}

/** Short source text for messages. */
export function snippet(text: string, max = 60): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > max ? one.slice(0, max - 1) + '…' : one;
}
