/**
 * Inspect AI eval logs. The driver hands over the log's top level (`{version, eval, …}`; in a `.eval`
 * zip, `header.json`) as context, then each sample. A sample's input text is the problem (its asserts
 * visible, as in `chat`); `metadata.test_list`, list-valued `target`s of asserts and `metadata.test`
 * add the tests the prompt did not show, held out; `metadata.incorrect_tests`/`heldout_tests` are
 * honoured. Samples sharing an id (several epochs) share the problem `<task>-<id>`. Each sample is a
 * candidate `<problem>/epoch<n>`: the model from `eval.model`, `sampleIndex` = epoch - 1, the
 * scorers' results kept in `externalScores`.
 */
import type { Problem } from '../core/types';
import { entryPointOf, findAsserts } from './asserts';
import { contentText, isRow, pickId, pickInt, pickString, shortHash, stringList, type Row } from './common';
import { promptFiles } from './promptFiles';
import { promptProblemTests, splitPromptTests } from './promptTests';
import type { ReaderFactory } from './reader';

export const inspectReader: ReaderFactory = ({ file, builder, setName }) => {
  let task: string | undefined;
  let model: string | undefined;
  return {
    context(top) {
      const ev = isRow(top.eval) ? top.eval : top;
      task = pickString(ev, 'task', 'task_id') ?? task;
      model = pickString(ev, 'model') ?? model;
      if (task) setName(task);
    },
    record(value, line) {
      if (!isRow(value)) {
        builder.issue(file, line, 'inspect sample: expected a JSON object');
        return;
      }
      const { text: prompt } = inputText(value.input);
      if (!prompt.trim()) {
        builder.issue(file, line, 'inspect sample: required "input" (a string or messages) is missing');
        return;
      }
      const meta: Row = isRow(value.metadata) ? value.metadata : {};
      const ep = pickString(meta, 'entry_point', 'entryPoint');
      const { statement, asserts, literals } = splitPromptTests(prompt, ep ? { entryPoint: ep } : {});
      const shown = new Set(asserts.map((a) => a.replace(/\s+/g, '')));
      const hidden = [
        ...stringList(meta.test_list),
        ...stringList(meta.challenge_test_list),
        ...targetAsserts(value.target),
        ...stringList(meta.test),
      ].filter((t) => !shown.has(t.replace(/\s+/g, '')));
      const heldout = [...stringList(meta.heldout_tests), ...hidden];
      const tests = promptProblemTests(asserts, meta.incorrect_tests ?? meta.incorrect_test, heldout);
      const entryPoint = pickString(meta, 'entry_point', 'entryPoint') ?? entryPointOf(tests.map((t) => t.code));
      const sampleId = pickId(value, 'id');
      const named = pickId(meta, 'problem_id', 'problemId');
      const files = promptFiles(prompt);
      const problem: Problem = {
        id: named ?? `${task ?? 'inspect'}-${sampleId ?? shortHash(prompt)}`,
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

      const { completion, reasoning } = outputText(value);
      const epoch = pickInt(value, 'epoch') ?? 1;
      const m = model ?? (isRow(value.output) ? pickString(value.output, 'model') : undefined);
      const promptVariant = pickString(meta, 'prompt_variant', 'promptVariant');
      const id = builder.hasCandidate(`${problemId}/epoch${epoch}`)
        ? builder.nextCandidateId(problemId, `epoch${epoch}.`)
        : `${problemId}/epoch${epoch}`;
      builder.addCandidate(
        {
          id,
          problemId,
          completion,
          source: `${file}:${line}`,
          sampleIndex: Math.max(0, epoch - 1),
          ...(reasoning ? { reasoning } : {}),
          ...(m ? { model: m } : {}),
          ...(promptVariant ? { promptVariant } : {}),
          ...(isRow(value.scores) ? { externalScores: value.scores } : {}),
        },
        file,
        line,
      );
    },
  };
};

/** The user-visible text of a sample's input: a string, or the user messages of a message list. */
function inputText(input: unknown): { text: string } {
  if (typeof input === 'string') return { text: input };
  if (!Array.isArray(input)) return { text: '' };
  const users = input.filter((m) => isRow(m) && m.role === 'user');
  return { text: users.map((m) => contentText((m as Row).content).text).join('\n\n') };
}

function outputText(sample: Row): { completion: string; reasoning?: string } {
  const output = isRow(sample.output) ? sample.output : {};
  const choice = Array.isArray(output.choices) && isRow(output.choices[0]) ? output.choices[0] : undefined;
  let message = choice && isRow(choice.message) ? choice.message : undefined;
  if (!message && Array.isArray(sample.messages)) {
    message = [...sample.messages].reverse().find((m): m is Row => isRow(m) && m.role === 'assistant');
  }
  if (message) {
    const { text, reasoning } = contentText(message.content);
    const r = pickString(message, 'reasoning', 'reasoning_content') ?? reasoning;
    return r ? { completion: text, reasoning: r } : { completion: text };
  }
  return { completion: pickString(output, 'completion') ?? '' };
}

function targetAsserts(target: unknown): string[] {
  return stringList(Array.isArray(target) ? target : typeof target === 'string' ? [target] : []).flatMap((t) => findAsserts(t));
}
