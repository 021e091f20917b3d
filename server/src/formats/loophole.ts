/** The native `loophole` format: every line validated against `review-set.schema.json`. */
import type { Problem, PromptFile, Test } from '../core/types';
import { splitCases } from './stdioCases';
import { entryPointOf } from './asserts';
import type { NewCandidate } from './builder';
import type { ReaderFactory } from './reader';
import { validateRecord } from './schema';

interface ProblemRecord {
  record: 'problem';
  id: string;
  style: 'function' | 'stdio';
  statement: string;
  entryPoint?: string;
  tests: Test[];
  referenceSolution?: string;
  promptLiterals?: string[];
  files?: PromptFile[];
  source?: string;
}
interface CandidateRecord {
  record: 'candidate';
  id: string;
  problemId: string;
  completion: string;
  reasoning?: string;
  code?: string;
  promptVariant?: string;
  model?: string;
  sampleIndex?: number;
  externalScores?: Record<string, unknown>;
  source?: string;
}
type LoopholeRecord = { record: 'header'; name?: string } | ProblemRecord | CandidateRecord;

export const loopholeReader: ReaderFactory = ({ file, builder, setName }) => ({
  record(value, line) {
    const error = validateRecord(value);
    if (error) {
      builder.issue(file, line, error);
      return;
    }
    const rec = value as LoopholeRecord;
    const at = `${file}:${line}`;
    if (rec.record === 'header') {
      if (rec.name) setName(rec.name);
    } else if (rec.record === 'problem') {
      const problem = toProblem(rec, at, (msg) => builder.issue(file, line, msg));
      if (problem) builder.addProblem(problem, file, line);
    } else {
      builder.addCandidate(toCandidate(rec, at), file, line);
    }
  },
});

function toProblem(rec: ProblemRecord, at: string, issue: (message: string) => void): Problem | undefined {
  const wanted = rec.style === 'function' ? 'assert' : 'stdio';
  const seen = new Set<string>();
  const tests: Test[] = [];
  rec.tests.forEach((t, i) => {
    if (t.kind !== wanted) issue(`problem.tests[${i}]: a ${t.kind} test in a ${rec.style} problem; skipped`);
    else if (seen.has(t.id)) issue(`problem.tests[${i}].id: duplicate test id "${t.id}"; skipped`);
    else {
      seen.add(t.id);
      if (t.kind === 'assert') tests.push({ kind: 'assert', id: t.id, role: t.role, code: t.code });
      else {
        const cases = splitCases(t.input, t.expectedOutput, rec.statement);
        tests.push({
          kind: 'stdio',
          id: t.id,
          role: t.role,
          input: t.input,
          expectedOutput: t.expectedOutput,
          ...(cases ? { cases } : {}),
        });
      }
    }
  });
  const entryPoint =
    rec.entryPoint ?? (rec.style === 'function' ? entryPointOf(tests.flatMap((t) => (t.kind === 'assert' ? [t.code] : []))) : undefined);
  const problem: Problem = {
    id: rec.id,
    statement: rec.statement,
    style: rec.style,
    tests,
    source: rec.source ?? at,
    ...(entryPoint !== undefined ? { entryPoint } : {}),
    ...(rec.referenceSolution !== undefined ? { referenceSolution: rec.referenceSolution } : {}),
    ...(rec.promptLiterals?.length ? { promptLiterals: rec.promptLiterals } : {}),
    ...(rec.files?.length ? { files: rec.files.map((f) => ({ name: f.name, content: f.content })) } : {}),
  };
  return problem;
}

/** Known fields only: unknown ones a newer writer added are not carried into the set. */
function toCandidate(rec: CandidateRecord, at: string): NewCandidate {
  const c: { -readonly [K in keyof NewCandidate]: NewCandidate[K] } = {
    id: rec.id,
    problemId: rec.problemId,
    completion: rec.completion,
    source: rec.source ?? at,
  };
  if (rec.code !== undefined) c.code = rec.code;
  if (rec.reasoning !== undefined) c.reasoning = rec.reasoning;
  if (rec.promptVariant !== undefined) c.promptVariant = rec.promptVariant;
  if (rec.model !== undefined) c.model = rec.model;
  if (rec.sampleIndex !== undefined) c.sampleIndex = rec.sampleIndex;
  if (rec.externalScores !== undefined) c.externalScores = rec.externalScores;
  return c;
}
