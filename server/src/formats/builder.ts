/**
 * Collects the problems and candidates every format reader produces into one `ReviewSet`, and is the
 * one place that decides what happens when ids collide:
 * - the same problem arriving again (same statement and tests) is merged; new tests are appended
 *   when the reader asks for it (chat rows and Inspect samples that share a prompt);
 * - a different problem under an id the reader *chose* (`loophole`) is an issue and is skipped;
 * - a different problem under an id the reader *derived* (`mbpp-<line>`, a hash) is renamed
 *   `<file stem>:<id>` so that two files of one folder never shadow each other;
 * - a candidate whose problem never arrives is an issue at the end of the import.
 */
import path from 'node:path';
import { extractCode } from './extract';
import type { Candidate, ImportIssue, Problem, ReviewSet, Test } from '../../../contract/domain';

/** A candidate as a reader hands it over: `code` may be left for the builder to extract. */
export type NewCandidate = Omit<Candidate, 'code'> & { readonly code?: string };

interface Placed<T> {
  readonly value: T;
  readonly file: string;
  readonly line: number;
}

export interface ProblemOptions {
  /** The id was made up by the reader, not chosen by the user: rename instead of rejecting on collision. */
  readonly derivedId?: boolean;
  /** Append tests this problem has and the stored one lacks (the statement must match). */
  readonly mergeTests?: boolean;
}

export class ReviewSetBuilder {
  readonly issues: ImportIssue[] = [];
  private readonly problems = new Map<string, Placed<Problem>>();
  private readonly candidates = new Map<string, Placed<NewCandidate>>();
  private readonly counters = new Map<string, number>();

  issue(file: string, line: number, message: string): void {
    this.issues.push({ file, line, message });
  }

  hasProblem(id: string): boolean {
    return this.problems.has(id);
  }

  /** Stores `problem` and returns the id it is stored under, or `undefined` when it was rejected. */
  addProblem(problem: Problem, file: string, line: number, opts: ProblemOptions = {}): string | undefined {
    const prior = this.problems.get(problem.id);
    if (!prior) {
      this.problems.set(problem.id, { value: withTestIds(problem), file, line });
      return problem.id;
    }
    if (prior.value.statement === problem.statement && prior.value.style === problem.style) {
      if (opts.mergeTests) {
        const merged = mergeTests(prior.value, problem);
        if (merged !== prior.value) this.problems.set(problem.id, { ...prior, value: merged });
        return problem.id;
      }
      if (sameTests(prior.value.tests, problem.tests)) return problem.id;
    }
    if (opts.derivedId) {
      const stem = path.basename(file).replace(/\..*$/, '');
      const renamed = `${stem}:${problem.id}`;
      return renamed === problem.id ? undefined : this.addProblem({ ...problem, id: renamed }, file, line, { ...opts, derivedId: false });
    }
    this.issue(file, line, `duplicate problem id "${problem.id}" (first at ${prior.file}:${prior.line}); skipped`);
    return undefined;
  }

  hasCandidate(id: string): boolean {
    return this.candidates.has(id);
  }

  /** The next free `<problemId>/<prefix><n>` candidate id (n counts up from 0 per problem and prefix). */
  nextCandidateId(problemId: string, prefix: string): string {
    const key = `${problemId}/${prefix}`;
    let n = this.counters.get(key) ?? 0;
    while (this.candidates.has(`${key}${n}`)) n++;
    this.counters.set(key, n + 1);
    return `${key}${n}`;
  }

  /**
   * Stores a candidate. Without `code`, the code (and, when absent, the reasoning) is extracted from
   * the completion in `build()`, once the problem's entry point is known: the problem may come later.
   */
  addCandidate(candidate: NewCandidate, file: string, line: number): void {
    const prior = this.candidates.get(candidate.id);
    if (prior) {
      this.issue(file, line, `duplicate candidate id "${candidate.id}" (first at ${prior.file}:${prior.line}); skipped`);
      return;
    }
    this.candidates.set(candidate.id, { value: candidate, file, line });
  }

  /** The finished set. Candidates whose problem is missing become issues here. */
  build(name: string): ReviewSet {
    const candidates: Candidate[] = [];
    for (const c of this.candidates.values()) {
      const problem = this.problems.get(c.value.problemId);
      if (problem) candidates.push(complete(c.value, problem.value.entryPoint));
      else this.issue(c.file, c.line, `candidate "${c.value.id}": problem "${c.value.problemId}" is not in the input; skipped`);
    }
    return { name, problems: [...this.problems.values()].map((p) => p.value), candidates };
  }
}

function complete(c: NewCandidate, entryPoint: string | undefined): Candidate {
  if (c.code !== undefined) return c as Candidate;
  const { code, reasoning } = extractCode(c.completion, entryPoint);
  const r = c.reasoning ?? reasoning;
  return r === undefined ? { ...c, code } : { ...c, code, reasoning: r };
}

function testKey(t: Test): string {
  return t.kind === 'assert' ? `a\0${t.code.trim()}` : `s\0${t.input}\0${t.expectedOutput}`;
}

function sameTests(a: readonly Test[], b: readonly Test[]): boolean {
  return a.length === b.length && a.every((t, i) => testKey(t) === testKey(b[i]!) && t.role === b[i]!.role);
}

function mergeTests(prior: Problem, next: Problem): Problem {
  const have = new Set(prior.tests.map(testKey));
  const extra = next.tests.filter((t) => !have.has(testKey(t)));
  if (extra.length === 0) return prior;
  const referenceSolution = prior.referenceSolution ?? next.referenceSolution;
  return withTestIds({ ...prior, tests: [...prior.tests, ...extra], ...(referenceSolution !== undefined ? { referenceSolution } : {}) });
}

/** Gives tests without an id `t<index>` (readers build tests first and number them here). */
function withTestIds(p: Problem): Problem {
  if (p.tests.every((t) => t.id)) return p;
  const used = new Set(p.tests.map((t) => t.id).filter(Boolean));
  let n = 0;
  const next = (): string => {
    while (used.has(`t${n}`)) n++;
    used.add(`t${n}`);
    return `t${n}`;
  };
  return { ...p, tests: p.tests.map((t) => (t.id ? t : { ...t, id: next() })) };
}
