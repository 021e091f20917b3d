/**
 * MBPP-style rows. Two shapes:
 * - the incorrect-test setting: `{problem, correct_code, incorrect_code, correct_test_list, incorrect_test}`.
 *   The model saw `[incorrect_test] + the other correct tests`, so `incorrect_test` is `incorrect`, the
 *   correct test with the same call (normally `correct_test_list[0]`) is `heldout`, the rest `visible`;
 * - original MBPP: `{task_id, text, code, test_list, challenge_test_list}`: `test_list` visible,
 *   `challenge_test_list` held out, `code` the reference.
 * Every solution field (`correct_code`, `incorrect_code`, `solutions`/`completions` lists) becomes a
 * candidate `<problem>/s<n>` in row order, so the id never tells which one is the correct one.
 */
import type { FunctionTest, Problem } from '../../../contract/domain';
import { entryPointOf, parseAssert } from './asserts';
import { isRow, pickId, pickString, stringList, type Row } from './common';
import type { ReaderFactory } from './reader';

const SOLUTION_FIELDS = new Set(['correct_code', 'incorrect_code', 'solutions', 'completions']);

export const mbppReader: ReaderFactory = ({ file, builder }) => ({
  record(value, line) {
    if (!isRow(value)) {
      builder.issue(file, line, 'expected a JSON object');
      return;
    }
    const statement = pickString(value, 'problem', 'text', 'prompt', 'question');
    if (statement === undefined) {
      builder.issue(file, line, 'mbpp row: required string "problem" (or "text") is missing');
      return;
    }
    const tests = testsOf(value);
    if (tests.length === 0) {
      builder.issue(file, line, 'mbpp row: no tests ("correct_test_list", "incorrect_test" or "test_list")');
      return;
    }
    const taskId = pickId(value, 'task_id');
    const entryPoint = pickString(value, 'entry_point', 'entryPoint') ?? entryPointOf(tests.map((t) => t.code));
    const reference = pickString(value, 'correct_code', 'code');
    const problem: Problem = {
      id: taskId !== undefined ? `mbpp-${taskId}` : `mbpp-${line}`,
      statement,
      style: 'function',
      tests,
      source: `${file}:${line}`,
      ...(entryPoint ? { entryPoint } : {}),
      ...(reference !== undefined ? { referenceSolution: reference.replace(/\r\n?/g, '\n') } : {}),
    };
    const problemId = builder.addProblem(problem, file, line, { derivedId: true });
    if (problemId === undefined) return;
    const model = pickString(value, 'model');
    const promptVariant = pickString(value, 'prompt_variant', 'promptVariant');
    for (const completion of solutionsOf(value)) {
      const id = builder.nextCandidateId(problemId, 's');
      builder.addCandidate(
        {
          id,
          problemId,
          completion,
          source: `${file}:${line}`,
          ...(model ? { model } : {}),
          ...(promptVariant ? { promptVariant } : {}),
        },
        file,
        line,
      );
    }
  },
});

function testsOf(row: Row): FunctionTest[] {
  const correct = stringList(row.correct_test_list ?? row.test_list);
  const incorrect = stringList(row.incorrect_test ?? row.incorrect_tests);
  const challenge = stringList(row.challenge_test_list);
  const held = new Set<number>();
  for (const bad of incorrect) {
    const call = parseAssert(bad)?.call.replace(/\s+/g, '');
    let twin = correct.findIndex((t, i) => !held.has(i) && call !== undefined && parseAssert(t)?.call.replace(/\s+/g, '') === call);
    if (twin < 0 && !held.has(0) && correct.length > 0) twin = 0;
    if (twin >= 0) held.add(twin);
  }
  const tests: FunctionTest[] = [];
  const add = (code: string, role: FunctionTest['role']): void => {
    tests.push({ kind: 'assert', id: `t${tests.length}`, role, code: code.trim() });
  };
  for (const t of incorrect) add(t, 'incorrect');
  correct.forEach((t, i) => add(t, held.has(i) ? 'heldout' : 'visible'));
  for (const t of challenge) add(t, 'heldout');
  return tests;
}

/** Every solution in the row, in the row's key order. */
function solutionsOf(row: Row): string[] {
  const out: string[] = [];
  for (const [key, v] of Object.entries(row)) {
    if (!SOLUTION_FIELDS.has(key)) continue;
    if (typeof v === 'string') out.push(v);
    else if (Array.isArray(v)) {
      for (const s of v) {
        if (typeof s === 'string') out.push(s);
        else if (isRow(s)) {
          const text = pickString(s, 'completion', 'code', 'text', 'content');
          if (text !== undefined) out.push(text);
        }
      }
    }
  }
  return out;
}
