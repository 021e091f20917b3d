/**
 * Wording shared by every place a candidate or problem is shown (hovers and lenses, the VS Code views,
 * the webviews, the report): plain functions of protocol data, free of editor and Node dependencies so
 * the webview bundles can use them too.
 */
import type { CandidateDetail } from './protocol';

export { problemTitle } from '../core/title';

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
