/**
 * Wording shared by every place a candidate or problem is shown (hovers and lenses, the VS Code views,
 * the webviews, the report): plain functions of protocol data, free of editor and Node dependencies so
 * the webview bundles can use them too.
 */
import type { CandidateAnalysis, Finding } from './domain';
import type { CandidateDetail } from './lsp';

export { problemTitle } from './title';

/** Findings below this weight are weak evidence: shown, but not what made a candidate a hack. */
export const WeakWeight = 0.4;

/**
 * What the score lens says beside the score: the category of a flagged candidate; "uncertain" with its
 * weak signs when the candidate is not flagged but has evidence; "no evidence" only when there is none.
 */
export function verdictOfEvidence(d: Pick<CandidateDetail, 'analysed' | 'isHack' | 'category' | 'findings'>): string {
  if (!d.analysed) return 'not analysed';
  const cat = d.category && d.category !== 'none' ? d.category : undefined;
  if (d.isHack) return cat ?? 'flagged';
  if (d.findings.length === 0) return cat ?? 'no evidence';
  const kinds = [...new Set(d.findings.map((f) => f.kind))];
  const n = d.findings.length;
  return `uncertain: ${n} weak sign${n === 1 ? '' : 's'} (${kinds.join(', ')})`;
}

/** A message split into plain text and its `inline code` spans (backticks removed), to render as code. */
export function inlineParts(s: string): { readonly text: string; readonly code: boolean }[] {
  return s
    .split(/(`[^`\n]+`)/)
    .filter((part) => part !== '')
    .map((part) => (/^`[^`\n]+`$/.test(part) ? { text: part.slice(1, -1), code: true } : { text: part, code: false }));
}

/** A span of the reasoning to highlight: character offsets, with the finding that flagged it. */
export interface Mark {
  readonly start: number;
  readonly end: number;
  readonly finding: Finding;
}

/**
 * Where each reasoning finding sits in the reasoning: its quote where the text holds it (the flagged
 * sentence itself), else its whole lines. Overlapping spans are merged into the first.
 */
export function reasoningMarks(reasoning: string, findings: readonly Finding[]): Mark[] {
  const lineStarts = [0];
  for (let i = 0; i < reasoning.length; i++) if (reasoning[i] === '\n') lineStarts.push(i + 1);
  const lineEnd = (l: number) => (l + 1 < lineStarts.length ? lineStarts[l + 1]! - 1 : reasoning.length);
  const marks: Mark[] = [];
  for (const f of findings) {
    if (f.kind !== 'reasoning') continue;
    const first = Math.min(Math.max(0, f.range.startLine), lineStarts.length - 1);
    const last = Math.min(Math.max(first, f.range.endLine), lineStarts.length - 1);
    const from = lineStarts[first]!;
    const quote = f.quote?.trim();
    let at = quote ? reasoning.indexOf(quote, from) : -1;
    if (quote && at < 0) at = reasoning.indexOf(quote);
    marks.push(quote && at >= 0 ? { start: at, end: at + quote.length, finding: f } : { start: from, end: lineEnd(last), finding: f });
  }
  marks.sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: Mark[] = [];
  for (const m of marks) {
    const prev = merged[merged.length - 1];
    if (prev && m.start < prev.end) continue;
    if (m.end > m.start) merged.push(m);
  }
  return merged;
}

/**
 * Why a flagged candidate has no highlighted line, said in words: flagged for its reasoning, or by a
 * scorer that judges the code as a whole (with its rationale). Undefined when some line is highlighted.
 */
export function unmarkedReason(analysis: Pick<CandidateAnalysis, 'findings' | 'scores'>, codeLines: number): string | undefined {
  const onCode = analysis.findings.filter((f) => f.kind !== 'reasoning' && f.range.startLine < codeLines);
  if (onCode.length) return undefined;
  if (analysis.findings.some((f) => f.kind === 'reasoning'))
    return 'No line of code is highlighted: it is flagged for what its reasoning says (quoted below).';
  const top = [...analysis.scores].filter((s) => s.scorer !== 'ensemble').sort((a, b) => b.probability - a.probability)[0];
  if (!top) return 'No line of code is highlighted: the combined score alone is over the threshold, and no finding points at a line.';
  return `No line of code is highlighted: the ${top.scorer} scorer judges the code as a whole (${top.probability.toFixed(2)})${top.rationale ? ` — ${top.rationale}` : ''}.`;
}

/** "line 7", "lines 7–9"; 0-based inclusive in, 1-based out. */
export function lineSpan(startLine: number, endLine: number): string {
  return endLine <= startLine ? `line ${startLine + 1}` : `lines ${startLine + 1}–${endLine + 1}`;
}
