/**
 * Tells a file's format from its extension and its first record. The rules, first match wins:
 * `.eval` → inspect; `record` is header/problem/candidate → loophole; `messages` array → chat;
 * `correct_test_list`/`incorrect_test`, or `test_list` with a statement → mbpp; an Inspect log's
 * top level (`eval` object, or `version` + `samples`) or an Inspect sample (`input` with `epoch`,
 * `target`, `output` or `scores`) → inspect; a statement with solutions or stdio tests → stdio.
 */
import { isRow } from './common';
import type { FormatName } from './reader';

export function detectFormat(file: string, firstRecord: unknown): FormatName | undefined {
  if (/\.eval$/i.test(file)) return 'inspect';
  if (!isRow(firstRecord)) return undefined;
  const r = firstRecord;
  const has = (k: string): boolean => r[k] !== undefined;
  if (typeof r.record === 'string' && ['header', 'problem', 'candidate'].includes(r.record)) return 'loophole';
  if (Array.isArray(r.messages) && !has('input')) return 'chat';
  if (has('correct_test_list') || has('incorrect_test')) return 'mbpp';
  if (has('test_list') && (has('text') || has('problem') || has('prompt')) && !has('input')) return 'mbpp';
  if (isRow(r.eval) || (has('version') && has('samples'))) return 'inspect';
  if (has('input') && (has('epoch') || has('target') || has('scores') || isRow(r.output))) return 'inspect';
  const statement = has('statement') || has('problem') || has('question') || has('description');
  if (
    statement &&
    (has('solutions') || has('completions') || has('completion') || has('tests') || has('public_tests') || has('input_output'))
  )
    return 'stdio';
  return undefined;
}
