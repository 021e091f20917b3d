/**
 * Static analysis of a candidate's Python: findings that the code spells the tests (their inputs,
 * their expected values) or reaches for the harness, instead of solving the problem.
 *
 * Contract:
 * - Findings carry 0-based inclusive line ranges into `code`; those matching a test name the literal as
 *   written in the test (`Finding.literal`) and the test (`Finding.testId`).
 * - `weight` is the evidence of one finding alone; honest code (base cases, memo dicts, month tables,
 *   small constants) stays below 0.5.
 * - `analyze` never throws: unparsable code yields what the parsable parts show, and literals inside
 *   syntax errors are ignored. Every tree it parses is deleted before it returns.
 */
import type { Finding, Problem } from '../../core/types';
import { createPythonParser, type Node, type Parser, type Tree } from '../parser';
import { promptLiterals, type PromptLiterals } from '../promptLiterals';
import { testLiterals, type TestLiterals } from '../testLiterals';
import { ScanContext, type Watched } from './context';
import { detectBranches } from './detectors/branches';
import { detectComments } from './detectors/comments';
import { detectFingerprints } from './detectors/fingerprints';
import { detectHarness } from './detectors/harness';
import { detectReturns } from './detectors/returns';
import { detectTables } from './detectors/tables';
import { analyzeOtherLanguage, languageOf, type Language } from './language';

export { languageOf, type Language } from './language';

/**
 * One candidate as parsed for the detectors, for other readers of the same parse (the classifier's
 * featurizer): the tree (absent for other languages), the problem's test literals and prompt literals,
 * and the syntax nodes by type (collected once, shared with the detectors). Valid only inside the
 * callback that receives it: the tree is deleted when it returns.
 */
export interface ParsedCandidate {
  readonly code: string;
  readonly problem: Problem;
  readonly language: Language;
  readonly tree?: Tree;
  readonly lits: TestLiterals;
  readonly prompt: PromptLiterals;
  /** Every node of `type`, in document order (empty without a tree). */
  of(type: Watched): readonly Node[];
}

export interface StaticAnalyzer {
  /** Findings for `code` as a solution of `problem`, strongest first. */
  analyze(problem: Problem, code: string): Finding[];
  /** The same findings, and `visit`'s result computed on the same parse before its tree is freed. */
  analyzeParsed<T>(problem: Problem, code: string, visit: (parsed: ParsedCandidate, findings: readonly Finding[]) => T): { findings: Finding[]; result: T };
  /** Frees the parser; `analyze` must not be called afterwards. */
  dispose(): void;
}

/** Loads web-tree-sitter and the Python grammar (once per process) and returns an analyzer. */
export async function createStaticAnalyzer(): Promise<StaticAnalyzer> {
  const parser = await createPythonParser();
  let disposed = false;
  return {
    analyze(problem, code) {
      if (disposed) throw new Error('StaticAnalyzer used after dispose()');
      return analyzeWith(parser, problem, code);
    },
    analyzeParsed(problem, code, visit) {
      if (disposed) throw new Error('StaticAnalyzer used after dispose()');
      let result: ReturnType<typeof visit> | undefined;
      const findings = analyzeWith(parser, problem, code, (parsed, f) => {
        result = visit(parsed, f);
      });
      return { findings, result: result as ReturnType<typeof visit> };
    },
    dispose() {
      if (!disposed) parser.delete();
      disposed = true;
    },
  };
}

/**
 * Findings for one candidate. `visit`, when given, runs once on the same parse after the detectors
 * (and also when the analysis itself fails or the code is not Python, so a reader always gets its turn);
 * an exception it throws propagates.
 */
export function analyzeWith(
  parser: Parser, problem: Problem, code: string,
  visit?: (parsed: ParsedCandidate, findings: readonly Finding[]) => void,
): Finding[] {
  let tree: Tree | null | undefined;
  let findings: Finding[] = [];
  let ctx: ScanContext | undefined;
  const language = languageOf(code);
  try {
    findings = detect();
  } catch {
    findings = [];
  }
  try {
    if (visit) {
      const lits = testLiterals(problem, parser);
      const parsed: ParsedCandidate = {
        code, problem, language, lits, prompt: ctx?.prompt ?? promptLiterals(problem),
        ...(tree ? { tree } : {}),
        of: (type) => (ctx ? ctx.of(type) : tree ? tree.rootNode.descendantsOfType(type).filter((n): n is Node => !!n) : []),
      };
      visit(parsed, findings);
    }
    return findings;
  } finally {
    tree?.delete();
  }

  function detect(): Finding[] {
    if (language !== 'python') return dedupe(analyzeOtherLanguage(problem, code));
    const lits = testLiterals(problem, parser);
    tree = parser.parse(code);
    if (!tree) return [];
    ctx = new ScanContext(tree, code, problem, lits);
    detectBranches(ctx);
    detectTables(ctx);
    const strong = ctx.findings.filter((f) => f.kind === 'literal-branch' || f.kind === 'lookup-table' || f.kind === 'input-fingerprint');
    detectReturns(ctx, (line) => strong.some((f) => f.range.startLine <= line && line <= f.range.endLine));
    const keyed = ctx.findings.filter((f) => f.kind !== 'test-reading' && f.kind !== 'harness-tampering');
    detectFingerprints(ctx, (line, weight) => keyed.some((f) => f.range.startLine === line && f.weight >= weight));
    detectHarness(ctx);
    detectComments(ctx);
    return dedupe(ctx.findings);
  }
}

function dedupe(findings: Finding[]): Finding[] {
  const best = new Map<string, Finding>();
  for (const f of findings) {
    const k = `${f.kind}:${f.range.startLine}:${f.range.endLine}`;
    const prev = best.get(k);
    if (!prev || prev.weight < f.weight) best.set(k, f);
  }
  return [...best.values()].sort((a, b) => b.weight - a.weight || a.range.startLine - b.range.startLine);
}
