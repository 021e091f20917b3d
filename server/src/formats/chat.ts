/**
 * OpenAI-style chat rows: `{"messages": [{role, content}, …], "metadata"?: {…}}`.
 * The first user turn is the problem (its asserts are the visible tests, taken out of the statement);
 * the last assistant turn is the candidate, with reasoning from `reasoning_content`/`reasoning` or
 * `<think>` kept apart from the code. Rows with the same user turn share one problem, `chat-<hash>`
 * unless `metadata.problem_id` names it. Metadata (or top-level) `model`, `prompt_variant`,
 * `sample_index`, `entry_point`, `heldout_tests`, `incorrect_tests` are honoured.
 */
import type { Problem } from '../core/types';
import { entryPointOf } from './asserts';
import { contentText, isRow, pickId, pickInt, pickString, shortHash, type Row } from './common';
import { extractCode } from './extract';
import { promptFiles } from './promptFiles';
import { promptProblemTests, splitPromptTests } from './promptTests';
import { codeEntryPoint, statementEntryPoint } from './proseTests';
import type { ReaderFactory } from './reader';

export const chatReader: ReaderFactory = ({ file, builder }) => ({
  record(value, line) {
    if (!isRow(value) || !Array.isArray(value.messages)) {
      builder.issue(file, line, 'chat row: required array "messages" is missing');
      return;
    }
    const messages = value.messages.filter(isRow);
    const user = messages.find((m) => m.role === 'user');
    const assistant = [...messages].reverse().find((m) => m.role === 'assistant');
    if (!user) {
      builder.issue(file, line, 'chat row: no user message');
      return;
    }
    if (!assistant) {
      builder.issue(file, line, 'chat row: no assistant message');
      return;
    }
    const meta: Row = { ...value, ...(isRow(value.metadata) ? value.metadata : {}) };
    const prompt = contentText(user.content).text;
    const { text: completion, reasoning: parts } = contentText(assistant.content);
    // Tests written as `Input: … Expected output: …` name no function: the statement may, else the answer's own.
    const named0 = pickString(meta, 'entry_point', 'entryPoint');
    const hint = named0 ?? statementEntryPoint(prompt) ?? codeEntryPoint(extractCode(completion).code);
    const { statement, asserts, literals } = splitPromptTests(prompt, hint ? { entryPoint: hint } : {});
    const tests = promptProblemTests(asserts, meta.incorrect_tests ?? meta.incorrect_test, meta.heldout_tests ?? meta.heldout_test);
    const entryPoint = named0 ?? entryPointOf(tests.map((t) => t.code)) ?? (asserts.length ? hint : undefined);
    const named = pickId(meta, 'problem_id', 'problemId', 'task_id');
    const files = promptFiles(prompt);
    const problem: Problem = {
      id: named ?? `chat-${shortHash(prompt)}`,
      statement,
      style: 'function',
      tests,
      source: `${file}:${line}`,
      ...(entryPoint ? { entryPoint } : {}),
      ...(literals.length ? { promptLiterals: literals } : {}),
      ...(files.length ? { files } : {}),
    };
    const problemId = builder.addProblem(problem, file, line, { derivedId: named === undefined, mergeTests: true });
    if (problemId === undefined) return;

    const reasoning = pickString(assistant, 'reasoning_content', 'reasoning', 'thinking') ?? parts;
    const model = pickString(meta, 'model');
    const promptVariant = pickString(meta, 'prompt_variant', 'promptVariant');
    const sampleIndex = pickInt(meta, 'sample_index', 'sampleIndex');
    const id = pickId(meta, 'candidate_id', 'candidateId') ?? builder.nextCandidateId(problemId, 'c');
    builder.addCandidate(
      {
        id,
        problemId,
        completion,
        source: `${file}:${line}`,
        ...(reasoning ? { reasoning } : {}),
        ...(model ? { model } : {}),
        ...(promptVariant ? { promptVariant } : {}),
        ...(sampleIndex !== undefined ? { sampleIndex } : {}),
      },
      file,
      line,
    );
  },
});
