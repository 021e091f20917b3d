/**
 * Reasoning as curation sees it: which flags a candidate's `reasoning` findings carry, and the
 * completion with its `<think>` part removed.
 *
 * The reasoning monitor (`analysis/reasoning.ts`) words each finding's message as
 * `<what it is>[ (qualifier)]: “<quoted sentence>”`, where <what it is> says whether the reasoning
 * states an intention to pass the tests, notices that a test is wrong, or mentions the tests. Only
 * the part before the quote is read, so words inside the quoted sentence never change the flag.
 * Generic self-testing talk ("let me test it mentally") is not a flag.
 */
import type { Finding } from '../../../contract/domain';
import type { ReasoningFlag } from '../../../contract/curation';

const NOTICE = /\bnotices?\b|\b(wrong|incorrect|mistaken|erroneous|buggy|typo)\b/i;
const INTENT = /\binten(d|ds|tion|tions|t)\b|\bto (just )?(pass|satisfy|fit|match) the (given |visible |provided )?tests?\b/i;
const GENERIC = /\(generic self-testing talk\)/i;

/** The message before its quoted sentence. */
function headOf(message: string): string {
  const i = message.search(/:\s*[“"]/);
  return i === -1 ? message : message.slice(0, i);
}

export function reasoningFlagOf(f: Finding): ReasoningFlag | undefined {
  if (f.kind !== 'reasoning') return undefined;
  const head = headOf(f.message);
  if (GENERIC.test(head)) return undefined;
  if (NOTICE.test(head)) return 'notice';
  if (INTENT.test(head)) return 'intent';
  return 'mention';
}

export function reasoningFlags(findings: readonly Finding[]): Set<ReasoningFlag> {
  const out = new Set<ReasoningFlag>();
  for (const f of findings) {
    const flag = reasoningFlagOf(f);
    if (flag) out.add(flag);
  }
  return out;
}

const THINK = /<think>[\s\S]*?(<\/think>|$)\s*/gi;

/** The completion without any `<think>…</think>` block (an unclosed one runs to the end). */
export function stripThink(completion: string): string {
  if (!/<think>/i.test(completion)) return completion;
  return completion.replace(THINK, '');
}
