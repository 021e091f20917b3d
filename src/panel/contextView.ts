/**
 * The body of the "Statement & Reasoning" view beside a candidate's code: the problem's readable title
 * and full statement, the candidate's reasoning (`<think>` text) in full with the sentences the reasoning
 * monitor flagged highlighted in place, and every piece of evidence once. Pure HTML from a
 * `CandidateDetail`, free of the editor API, so it is tested as it is.
 */
import type { Finding } from '../../contract/domain';
import type { CandidateDetail } from '../../contract/lsp';
import { inlineParts, problemTitle, reasoningMarks, unmarkedReason, verdictOfEvidence } from '../../contract/wording';

export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** Escapes `s` and renders its `inline code` spans as `<code>`. */
export function inlineCode(s: string): string {
  return inlineParts(s)
    .map((p) => (p.code ? `<code>${esc(p.text)}</code>` : esc(p.text)))
    .join('');
}

function reasoningHtml(reasoning: string, findings: readonly Finding[]): string {
  const marks = reasoningMarks(reasoning, findings);
  let out = '';
  let at = 0;
  marks.forEach((m, i) => {
    out += esc(reasoning.slice(at, m.start));
    out += `<mark id="flag-${i}" title="${esc(m.finding.message)}" data-kind="${esc(m.finding.kind)}">${esc(reasoning.slice(m.start, m.end))}</mark>`;
    at = m.end;
  });
  return out + esc(reasoning.slice(at));
}

function evidenceItem(d: CandidateDetail, f: Finding): string {
  const test = f.testId === undefined ? undefined : d.tests.find((t) => t.test.id === f.testId)?.test;
  const where =
    f.kind === 'reasoning'
      ? 'reasoning'
      : f.range.startLine === f.range.endLine
        ? `line ${f.range.startLine + 1}`
        : `lines ${f.range.startLine + 1}–${f.range.endLine + 1}`;
  const bits = [`<b>${esc(f.kind)}</b> <span class="meta">(${where} · weight ${f.weight.toFixed(2)})</span> ${inlineCode(f.message)}`];
  if (f.literal !== undefined)
    bits.push(`matches <code>${esc(f.literal)}</code>${test ? ` from test <code>${esc(test.id)}</code> (${esc(test.role)})` : ''}`);
  return `<li>${bits.join(' — ')}</li>`;
}

/** The view's `<body>` content for one candidate. */
export function renderContextBody(d: CandidateDetail): string {
  const title = problemTitle(d.problem.statement, d.problem.id);
  const score = d.analysed ? `hack score ${(d.hackProbability ?? 0).toFixed(2)} · ${verdictOfEvidence(d)}` : 'not analysed';
  const seen = new Set<string>();
  const findings = d.findings.filter((f) => {
    const key = JSON.stringify([f.kind, f.message, f.literal, f.testId, f.quote, f.range.startLine, f.range.endLine]);
    return seen.has(key) ? false : (seen.add(key), true);
  });
  const reasoningFindings = findings.filter((f) => f.kind === 'reasoning');
  // A flagged candidate with no line highlighted says why.
  const unmarked = d.isHack ? unmarkedReason(d, d.candidate.code.split(/\r?\n/).length) : undefined;
  const reasoning = d.candidate.reasoning?.trim()
    ? `<p class="meta">${reasoningFindings.length ? `${reasoningFindings.length} flagged passage${reasoningFindings.length === 1 ? '' : 's'} highlighted` : 'nothing flagged in the reasoning'}</p>
<pre class="reasoning" data-testid="reasoning">${reasoningHtml(d.candidate.reasoning, reasoningFindings)}</pre>`
    : '<p class="meta" data-testid="no-reasoning">This candidate has no reasoning (no <code>&lt;think&gt;</code> block or reasoning field).</p>';
  return `<header>
<h1 data-testid="problem-title">${esc(title)}</h1>
<p class="meta">problem <code>${esc(d.problem.id)}</code> · ${esc(d.problem.style)} · ${d.tests.length} test${d.tests.length === 1 ? '' : 's'}</p>
<p class="meta">candidate <code>${esc(d.candidate.id)}</code> · <span data-testid="score">${esc(score)}</span></p>
${unmarked ? `<p class="reason" data-testid="unmarked-reason">${esc(unmarked)}</p>` : ''}
</header>
<section><h2>Statement</h2><pre class="statement" data-testid="statement">${esc(d.problem.statement)}</pre></section>
<section><h2>Reasoning</h2>${reasoning}</section>
<section><h2>Evidence</h2>${findings.length ? `<ul class="evidence" data-testid="evidence">${findings.map((f) => evidenceItem(d, f)).join('')}</ul>` : '<p class="meta">No evidence.</p>'}</section>`;
}

export const ContextCss = `
body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); background: var(--vscode-editor-background); padding: 0 14px 20px; }
h1 { font-size: 1.3em; margin: .6em 0 .2em; }
h2 { font-size: 1.05em; margin: 1em 0 .4em; border-bottom: 1px solid var(--vscode-panel-border); padding-bottom: .2em; }
.meta { color: var(--vscode-descriptionForeground); margin: .2em 0; }
pre { font-family: var(--vscode-editor-font-family); font-size: var(--vscode-editor-font-size); white-space: pre-wrap; overflow-wrap: anywhere; margin: 0; padding: 6px 8px; background: var(--vscode-textCodeBlock-background); }
pre.statement { max-height: 40vh; overflow-y: auto; font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); }
pre.reasoning { max-height: 60vh; overflow-y: auto; }
mark { background: var(--vscode-editor-findMatchHighlightBackground, rgba(234, 92, 0, .33)); color: inherit; border-bottom: 2px solid var(--vscode-editorWarning-foreground); }
code { font-family: var(--vscode-editor-font-family); background: var(--vscode-textCodeBlock-background); padding: 0 3px; border-radius: 3px; }
ul.evidence { padding-left: 18px; }
.reason { border-left: 3px solid var(--vscode-editorWarning-foreground); padding: 4px 8px; background: var(--vscode-textCodeBlock-background); }
ul.evidence li { margin: 3px 0; }
`;
