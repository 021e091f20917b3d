/**
 * Every flag explained: a candidate flagged as a hack must show the reviewer why, as a highlighted line
 * of code or a quoted sentence of its reasoning. When no finding does (the decision rests on execution —
 * passing a test whose expected value is wrong — or on a scorer that reads the whole candidate), the
 * deciding scorer's own rationale becomes a `flag-reason` finding on the line where the code starts, so
 * the hover, the diagnostics and the report all state it.
 *
 * A `flag-reason` is a statement of the decision, not evidence: no scorer counts it.
 */
import type { Finding, Score } from '../core/types';

/** A finding at least this strong is visible evidence on its own. */
const SHOWN = 0.3;

export function explainFlag(
  code: string,
  findings: readonly Finding[],
  scores: readonly Score[],
  contributions: Readonly<Record<string, number>>,
): Finding | undefined {
  const shown = findings.some((f) => f.kind !== 'flag-reason' && f.weight >= SHOWN && (f.kind !== 'reasoning' || f.quote !== undefined));
  if (shown) return undefined;
  let best: Score | undefined;
  for (const s of scores) if (!best || (contributions[s.scorer] ?? 0) > (contributions[best.scorer] ?? 0)) best = s;
  if (!best) return undefined;
  const line = entryLine(code);
  const rationale = best.rationale.trim().replace(/[.\s]+$/, '');
  return {
    kind: 'flag-reason',
    range: { startLine: line, endLine: line },
    message: `Flagged on the ${best.scorer} evidence (p=${best.probability.toFixed(2)}): ${rationale || 'no rationale given'}.`,
    weight: Math.round(Math.min(1, Math.max(0, best.probability)) * 100) / 100,
  };
}

/** The first `def`/`class` line, else the first line of code (not blank, not a comment), else 0. */
function entryLine(code: string): number {
  const lines = code.split('\n');
  const def = lines.findIndex((l) => /^\s*(?:async\s+)?(?:def|class|function|fn|func)\b/.test(l));
  if (def >= 0) return def;
  const first = lines.findIndex((l) => l.trim() && !/^\s*(?:#|\/\/|--)/.test(l));
  return Math.max(0, first);
}
