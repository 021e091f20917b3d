/**
 * Competitive-programming rows: `{statement|problem|question|description, solutions|completions|completion, …}`.
 * The statement's examples are visible tests. Extra tests are honoured, held out unless they say
 * otherwise: `tests: [{input, output|expectedOutput, role?}]`, CodeContests `public_tests` (visible)
 * and `private_tests`/`generated_tests` (`{input: [], output: []}`), APPS `input_output` (a JSON
 * string `{inputs, outputs}`). A test the statement already shows stays visible.
 */
import type { Problem, StdioTest, TestRole } from '../../../contract/domain';
import { isRow, pickId, pickInt, pickString, type Row } from './common';
import type { ReaderFactory } from './reader';
import { splitCases } from './stdioCases';
import { statementExamples } from './stdioExamples';

export const stdioReader: ReaderFactory = ({ file, builder }) => ({
  record(value, line) {
    if (!isRow(value)) {
      builder.issue(file, line, 'expected a JSON object');
      return;
    }
    const statement = pickString(value, 'statement', 'problem', 'question', 'description', 'prompt');
    if (statement === undefined) {
      builder.issue(file, line, 'stdio row: required string "statement" (or "problem", "question") is missing');
      return;
    }
    const tests = testsOf(statement, value, (msg) => builder.issue(file, line, msg));
    const named = pickId(value, 'id', 'problem_id', 'problemId', 'task_id', 'name');
    const reference = pickString(value, 'reference_solution', 'referenceSolution', 'canonical_solution');
    const problem: Problem = {
      id: named ?? `stdio-${line}`,
      statement,
      style: 'stdio',
      tests,
      source: `${file}:${line}`,
      ...(reference !== undefined ? { referenceSolution: reference } : {}),
    };
    const problemId = builder.addProblem(problem, file, line, { derivedId: true, mergeTests: named !== undefined });
    if (problemId === undefined) return;
    const model = pickString(value, 'model');
    const promptVariant = pickString(value, 'prompt_variant', 'promptVariant');
    const solutions = value.solutions ?? value.completions ?? value.completion;
    const list = Array.isArray(solutions) ? solutions : solutions === undefined ? [] : [solutions];
    list.forEach((s, k) => {
      const row: Row = isRow(s) ? s : {};
      const completion = typeof s === 'string' ? s : pickString(row, 'completion', 'code', 'text', 'content');
      if (completion === undefined) {
        builder.issue(file, line, `stdio row: solution ${k} has no text; skipped`);
        return;
      }
      const m = pickString(row, 'model') ?? model;
      const pv = pickString(row, 'prompt_variant', 'promptVariant') ?? promptVariant;
      const reasoning = pickString(row, 'reasoning', 'reasoning_content');
      builder.addCandidate(
        {
          id: builder.nextCandidateId(problemId, 's'),
          problemId,
          completion,
          source: `${file}:${line}`,
          sampleIndex: pickInt(row, 'sample_index', 'sampleIndex') ?? k,
          ...(m ? { model: m } : {}),
          ...(pv ? { promptVariant: pv } : {}),
          ...(reasoning ? { reasoning } : {}),
        },
        file,
        line,
      );
    });
  },
});

const ROLES = new Set<TestRole>(['visible', 'incorrect', 'heldout']);

function testsOf(statement: string, row: Row, issue: (message: string) => void): StdioTest[] {
  const tests: StdioTest[] = [];
  const seen = new Set<string>();
  const add = (input: string, expectedOutput: string, role: TestRole): void => {
    const key = `${input.trimEnd()}\0${expectedOutput.trimEnd()}`;
    if (seen.has(key)) return;
    seen.add(key);
    const cases = splitCases(input, expectedOutput, statement);
    tests.push({ kind: 'stdio', id: `t${tests.length}`, role, input, expectedOutput, ...(cases ? { cases } : {}) });
  };
  for (const ex of statementExamples(statement)) add(ex.input, ex.output, 'visible');
  if (Array.isArray(row.tests)) {
    row.tests.forEach((t, i) => {
      const input = isRow(t) ? t.input : undefined;
      const output = isRow(t) ? (t.output ?? t.expectedOutput ?? t.expected_output) : undefined;
      if (typeof input !== 'string' || typeof output !== 'string') {
        issue(`stdio row: tests[${i}] needs string "input" and "output"; skipped`);
        return;
      }
      const role = isRow(t) && ROLES.has(t.role as TestRole) ? (t.role as TestRole) : 'heldout';
      add(input, output, role);
    });
  }
  const pairs = (v: unknown, role: TestRole): void => {
    if (!isRow(v) || !Array.isArray(v.input) || !Array.isArray(v.output)) return;
    v.input.forEach((inp, i) => {
      const out = (v.output as unknown[])[i];
      if (typeof inp === 'string' && typeof out === 'string') add(inp, out, role);
    });
  };
  pairs(row.public_tests, 'visible');
  pairs(row.private_tests, 'heldout');
  pairs(row.generated_tests, 'heldout');
  if (typeof row.input_output === 'string') {
    try {
      const io = JSON.parse(row.input_output) as { inputs?: unknown; outputs?: unknown };
      pairs({ input: io.inputs, output: io.outputs }, 'heldout');
    } catch {
      issue('stdio row: "input_output" is not valid JSON; ignored');
    }
  }
  return tests;
}
