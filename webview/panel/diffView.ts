import { structuredPatch } from 'diff';
import { html, type TemplateResult } from 'lit';

/**
 * A unified diff of two candidates' code, coloured by line kind (`diff-add`, `diff-del`, `diff-ctx`,
 * `diff-hunk`). Identical code says so instead of showing an empty box.
 */
export function renderDiff(aName: string, a: string, bName: string, b: string): TemplateResult {
  const patch = structuredPatch(aName, bName, a, b, '', '', { context: 3 });
  const lineClass = (line: string) =>
    line.startsWith('+') ? 'diff-add' : line.startsWith('-') ? 'diff-del' : line.startsWith('\\') ? 'diff-meta' : 'diff-ctx';
  // No whitespace between the rows: this is a <pre>.
  const body =
    patch.hunks.length === 0
      ? html`<div class="diff-ctx">(identical code)</div>`
      : patch.hunks.map(
          (hunk) =>
            html`<div class="diff-hunk">@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@</div>${hunk.lines.map(
              (line) => html`<div class=${lineClass(line)}>${line}</div>`,
            )}`,
        );
  return html`<pre class="diff" data-testid="diff"><div class="diff-file">--- ${aName}</div><div class="diff-file">+++ ${bName}</div>${body}</pre>`;
}
