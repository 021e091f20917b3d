/**
 * Reasoning as curation sees it: which flags a candidate's `reasoning` findings carry, and the
 * completion with its `<think>` part removed.
 *
 * A `reasoning` finding's sub-type is read from its message: the analyzer words each one so that it
 * says whether the reasoning mentions the tests, intends to pass them, or notices a wrong test.
 * Any reasoning finding counts at least as `mention`.
 */
import type { Finding } from '../core/types';
import type { ReasoningFlag } from './types';

const NOTICE = /\b(wrong|incorrect|mistaken|mistake|erroneous|inconsistent|contradict\w*|bug(gy)? test|typo)\b/i;
const INTENT = /\b(inten\w*|plans? to|wants? to|aims? to|tries to|trying to|in order to|so that)\b.*\bpass\b|\bto (just )?(pass|satisfy|match) the (given |visible |provided )?tests?\b|\bintends?\b/i;

export function reasoningFlagOf(f: Finding): ReasoningFlag | undefined {
  if (f.kind !== 'reasoning') return undefined;
  if (NOTICE.test(f.message)) return 'notice';
  if (INTENT.test(f.message)) return 'intent';
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
