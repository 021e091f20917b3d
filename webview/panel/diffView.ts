import { structuredPatch } from 'diff';
import { h } from './dom';

/**
 * A unified diff of two candidates' code, coloured by line kind (`diff-add`, `diff-del`, `diff-ctx`,
 * `diff-hunk`). Identical code says so instead of showing an empty box.
 */
export function renderDiff(aName: string, a: string, bName: string, b: string): HTMLElement {
  const patch = structuredPatch(aName, bName, a, b, '', '', { context: 3 });
  const pre = h('pre', { class: 'diff', 'data-testid': 'diff' });
  pre.append(h('div', { class: 'diff-file' }, `--- ${aName}`), h('div', { class: 'diff-file' }, `+++ ${bName}`));
  if (patch.hunks.length === 0) {
    pre.append(h('div', { class: 'diff-ctx' }, '(identical code)'));
    return pre;
  }
  for (const hunk of patch.hunks) {
    pre.append(h('div', { class: 'diff-hunk' }, `@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@`));
    for (const line of hunk.lines) {
      const cls = line.startsWith('+') ? 'diff-add' : line.startsWith('-') ? 'diff-del' : line.startsWith('\\') ? 'diff-meta' : 'diff-ctx';
      pre.append(h('div', { class: cls }, line));
    }
  }
  return pre;
}
