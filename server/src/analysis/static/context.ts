/**
 * One parsed candidate, as the detectors see it: the syntax nodes they look at, bucketed by type in one
 * native walk; which names carry the input (function parameters, stdin reads, and what is computed from
 * them); and the problem's test literals. A context lives only while its tree does.
 */
import type { Finding, Problem } from '../../core/types';
import type { Node, Tree } from '../parser';
import type { TestLiterals } from '../testLiterals';

/** Node types any detector asks for; collected once with `descendantsOfType`. */
export const WATCHED = [
  'if_statement', 'elif_clause', 'conditional_expression', 'match_statement', 'return_statement', 'call',
  'except_clause', 'dictionary', 'list', 'tuple', 'class_definition', 'assignment', 'augmented_assignment',
  'attribute', 'subscript', 'function_definition', 'for_statement', 'import_statement', 'import_from_statement',
  'string',
] as const;

export type Watched = (typeof WATCHED)[number];

/** Reads stdin: `input()`, `sys.stdin…`, `open(0)`, `fileinput`. */
export const STDIN_READ = /\binput\s*\(|\bsys\s*\.\s*stdin\b|\bopen\s*\(\s*0\s*[,)]|\bfileinput\b|\bstdin\s*\.\s*read/;

export class ScanContext {
  readonly nodes = new Map<Watched, Node[]>();
  readonly findings: Finding[] = [];
  readonly statement: string;
  private readonly taints = new Map<number, Set<string>>();
  private readonly assignments: Node[];

  constructor(
    readonly tree: Tree,
    readonly code: string,
    readonly problem: Problem,
    readonly lits: TestLiterals,
  ) {
    for (const t of WATCHED) this.nodes.set(t, []);
    for (const n of tree.rootNode.descendantsOfType(WATCHED as unknown as string[])) {
      if (n) this.nodes.get(n.type as Watched)?.push(n);
    }
    this.statement = problem.statement.toLowerCase();
    this.assignments = [...this.of('assignment'), ...this.of('augmented_assignment'), ...this.of('for_statement')];
  }

  of(type: Watched): readonly Node[] {
    return this.nodes.get(type)!;
  }

  /** The innermost `def` around `node`, or undefined at module level. */
  enclosingFunction(node: Node): Node | undefined {
    for (let p = node.parent; p; p = p.parent) if (p.type === 'function_definition') return p;
    return undefined;
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
    const taint = this.taintAt(at);
    if (expr.type === 'identifier') return taint.has(expr.text);
    if (expr.type === 'call' && STDIN_READ.test(expr.text)) return true;
    for (const id of expr.descendantsOfType('identifier')) if (id && taint.has(id.text)) return true;
    return STDIN_READ.test(expr.text) && expr.type !== 'string';
  }

  /** True when `expr` reads stdin, directly or through a name assigned from a stdin read. */
  readsStdin(expr: Node): boolean {
    if (STDIN_READ.test(expr.text)) return true;
    const names = this.stdinNames();
    if (!names.size) return false;
    if (expr.type === 'identifier') return names.has(expr.text);
    for (const id of expr.descendantsOfType('identifier')) if (id && names.has(id.text)) return true;
    return false;
  }

  private stdinNamesCache: Set<string> | undefined;
  stdinNames(): Set<string> {
    if (this.stdinNamesCache) return this.stdinNamesCache;
    const names = new Set<string>();
    for (let pass = 0; pass < 2; pass++) {
      for (const a of this.assignments) {
        const right = a.type === 'for_statement' ? a.childForFieldName('right') : a.childForFieldName('right');
        const left = a.childForFieldName('left');
        if (!right || !left) continue;
        const rt = right.text;
        if (STDIN_READ.test(rt) || [...names].some((n) => new RegExp(`\\b${escapeRe(n)}\\b`).test(rt))) {
          for (const id of targets(left)) names.add(id);
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
      for (const p of params?.namedChildren ?? []) {
        if (!p) continue;
        if (p.type === 'identifier') taint.add(p.text);
        else {
          const name = p.childForFieldName('name') ?? p.namedChildren.find((c) => c?.type === 'identifier');
          if (name?.type === 'identifier') taint.add(name.text);
        }
      }
    }
    for (const n of this.stdinNames()) taint.add(n);
    const inScope = fn
      ? this.assignments.filter((a) => a.startIndex >= fn.startIndex && a.endIndex <= fn.endIndex)
      : this.assignments;
    for (let pass = 0; pass < 2; pass++) {
      for (const a of inScope) {
        const right = a.childForFieldName('right');
        const left = a.childForFieldName('left');
        if (!right || !left) continue;
        let hit = STDIN_READ.test(right.text);
        if (!hit) {
          if (right.type === 'identifier') hit = taint.has(right.text);
          else for (const id of right.descendantsOfType('identifier')) if (id && taint.has(id.text)) { hit = true; break; }
        }
        if (hit) for (const id of targets(left)) taint.add(id);
      }
    }
    return taint;
  }
}

function targets(left: Node): string[] {
  if (left.type === 'identifier') return [left.text];
  return left.descendantsOfType('identifier').filter((n): n is Node => !!n && n.parent?.type !== 'attribute' && n.parent?.type !== 'subscript').map((n) => n.text);
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
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
