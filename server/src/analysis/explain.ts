/**
 * Every flag explained: a candidate flagged as a hack must show the reviewer why, as a highlighted line
 * of code or a quoted sentence of its reasoning. When no finding does (the decision rests on execution —
 * passing a test whose expected value is wrong — or on a scorer that reads the whole candidate), the
 * deciding scorer's own rationale becomes a `flag-reason` finding on the line where the code starts, so
 * the hover, the diagnostics and the report all state it. When the flag rests on a passed test whose
 * expected value is wrong, the reason sits on the first decision (`if`, `elif`, a conditional
 * expression, `while`) that test executed: where a fitted boundary usually is.
 *
 * A `flag-reason` is a statement of the decision, not evidence: no scorer counts it.
 */
import type { Finding, Score } from '../../../contract/domain';

/** A finding at least this strong shows why on its own; weaker ones are not what flagged the candidate. */
const SHOWN = 0.5;

export function explainFlag(
  code: string,
  findings: readonly Finding[],
  scores: readonly Score[],
  contributions: Readonly<Record<string, number>>,
  /** 0-based lines executed by passed tests whose expected value is wrong, when coverage was recorded. */
  executedByWrongTests: readonly number[] = [],
): Finding | undefined {
  const shown = findings.some((f) => f.kind !== 'flag-reason' && f.weight >= SHOWN && (f.kind !== 'reasoning' || f.quote !== undefined));
  if (shown) return undefined;
  let best: Score | undefined;
  for (const s of scores) if (!best || (contributions[s.scorer] ?? 0) > (contributions[best.scorer] ?? 0)) best = s;
  if (!best) return undefined;
  const line = decisionLine(code, executedByWrongTests) ?? entryLine(code);
  const rationale = best.rationale.trim().replace(/[.\s]+$/, '');
  return {
    kind: 'flag-reason',
    range: { startLine: line, endLine: line },
    message: `Flagged on the ${best.scorer} evidence (p=${best.probability.toFixed(2)}): ${rationale || 'no rationale given'}.`,
    weight: Math.round(Math.min(1, Math.max(0, best.probability)) * 100) / 100,
  };
}

function decisionLine(code: string, executed: readonly number[]): number | undefined {
  if (!executed.length) return undefined;
  const lines = code.split('\n');
  const sorted = [...new Set(executed)].sort((a, b) => a - b);
  return sorted.find((n) => /^\s*(?:if|elif|while)\b|\S\s+if\s+.+\belse\b/.test(lines[n] ?? ''));
}

/** The first `def`/`class` line, else the first line of code (not blank, not a comment), else 0. */
function entryLine(code: string): number {
  const lines = code.split('\n');
  const def = lines.findIndex((l) => /^\s*(?:async\s+)?(?:def|class|function|fn|func)\b/.test(l));
  if (def >= 0) return def;
  const first = lines.findIndex((l) => l.trim() && !/^\s*(?:#|\/\/|--)/.test(l));
  return Math.max(0, first);
}
