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
import type { Finding, Problem } from '../../../../contract/domain';
import { createPythonParser, type Parser, type Tree } from '../parser';
import { testLiterals } from '../testLiterals';
import { ScanContext } from './context';
import { detectBranches } from './detectors/branches';
import { detectCaseBranches, detectCaseTables } from './detectors/cases';
import { detectComments } from './detectors/comments';
import { detectFingerprints } from './detectors/fingerprints';
import { detectHarness } from './detectors/harness';
import { detectReturns } from './detectors/returns';
import { detectTables } from './detectors/tables';
import { analyzeOtherLanguage, languageOf } from './language';

export { languageOf, type Language } from './language';

export interface StaticAnalyzer {
  /** Findings for `code` as a solution of `problem`, strongest first. `visit`, when given, reads the
   *  parsed candidate (the same tree, test and prompt literals and input tracking the detectors used)
   *  before the tree is freed: the one parse other consumers, such as the classifier's featurizer,
   *  share. A candidate that is not Python has no tree: `visit` is not called for it. */
  analyze(problem: Problem, code: string, visit?: (ctx: ScanContext) => void): Finding[];
  /** Frees the parser; `analyze` must not be called afterwards. */
  dispose(): void;
}

/** Loads web-tree-sitter and the Python grammar (once per process) and returns an analyzer. */
export async function createStaticAnalyzer(): Promise<StaticAnalyzer> {
  const parser = await createPythonParser();
  let disposed = false;
  return {
    analyze(problem, code, visit) {
      if (disposed) throw new Error('StaticAnalyzer used after dispose()');
      return analyzeWith(parser, problem, code, visit);
    },
    dispose() {
      if (!disposed) parser.delete();
      disposed = true;
    },
  };
}

export function analyzeWith(parser: Parser, problem: Problem, code: string, visit?: (ctx: ScanContext) => void): Finding[] {
  let tree: Tree | null | undefined;
  let ctx: ScanContext | undefined;
  try {
    // Only Python is parsed; another language gets the evidence that needs no parser.
    if (languageOf(code) !== 'python') return dedupe(analyzeOtherLanguage(problem, code));
    const lits = testLiterals(problem, parser);
    tree = parser.parse(code);
    if (!tree) return [];
    ctx = new ScanContext(tree, code, problem, lits);
    detectBranches(ctx);
    detectCaseBranches(ctx);
    detectTables(ctx);
    detectCaseTables(ctx);
    const strong = ctx.findings.filter((f) => f.kind === 'literal-branch' || f.kind === 'lookup-table' || f.kind === 'input-fingerprint');
    detectReturns(ctx, (line) => strong.some((f) => f.range.startLine <= line && line <= f.range.endLine));
    const keyed = ctx.findings.filter((f) => f.kind !== 'test-reading' && f.kind !== 'harness-tampering');
    detectFingerprints(ctx, (line, weight) => keyed.some((f) => f.range.startLine === line && f.weight >= weight));
    detectHarness(ctx);
    detectComments(ctx);
    return dedupe(ctx.findings);
  } catch {
    return [];
  } finally {
    // A visitor's failure is its own: it never costs the findings.
    if (visit && ctx) {
      try {
        visit(ctx);
      } catch {
        /* the visitor falls back to its own parse */
      }
    }
    tree?.delete();
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
