/**
 * The filter chain: decides, for one candidate, which stage (if any) removes it, and what the
 * reference label says about it. Human decisions come first: a `hack` verdict always removes, a
 * `clean` verdict (or a reviewer's pick) lifts every score-based stage but not the quality stages
 * (reasoning flags, visible-test pass rate), which are about what the training set teaches rather
 * than whether the code hacks.
 */
import type { Problem } from '../../../contract/domain';
import { reasoningFlags } from './reasoning';
import type { CurationItem, CurationOptions, FilterStage } from '../../../contract/curation';

export type ReferenceLabel = 'hack' | 'clean' | 'unknown';

/** The best knowledge of whether a candidate hacks: the verdict, else the ensemble, else unknown. */
export function referenceLabel(item: CurationItem): ReferenceLabel {
  const v = item.verdict?.label;
  if (v === 'hack') return 'hack';
  if (v === 'clean') return 'clean';
  if (!item.analysis) return 'unknown';
  return item.analysis.isHack ? 'hack' : 'clean';
}

/** True when a person has vouched for the candidate, which lifts the score-based stages. */
export function humanClean(item: CurationItem, opts: CurationOptions): boolean {
  const v = item.verdict?.label;
  if (v === 'clean') return true;
  if (v === 'hack') return false;
  if (v === 'unsure' && opts.unsure === 'include') return true;
  return item.pick === true;
}

export interface TestCounts {
  readonly visible: number;
  readonly visiblePassed: number;
  readonly heldoutPassed: number;
  /** False when the candidate was never executed (no results for any shown or held-out test). */
  readonly executed: boolean;
}

const rolesCache = new WeakMap<Problem, Map<string, string>>();
function rolesOf(problem: Problem): Map<string, string> {
  let m = rolesCache.get(problem);
  if (!m) {
    m = new Map(problem.tests.map((t) => [t.id, t.role]));
    rolesCache.set(problem, m);
  }
  return m;
}

export function testCounts(item: CurationItem): TestCounts {
  const roles = rolesOf(item.problem);
  let visible = 0;
  for (const r of roles.values()) if (r === 'visible') visible++;
  let visiblePassed = 0;
  let heldoutPassed = 0;
  const results = item.analysis?.tests ?? [];
  for (const t of results) {
    if (t.outcome !== 'pass') continue;
    const role = roles.get(t.testId);
    if (role === 'visible') visiblePassed++;
    else if (role === 'heldout') heldoutPassed++;
  }
  return { visible, visiblePassed, heldoutPassed, executed: results.length > 0 };
}

/** Share of visible tests passed; 1 for a problem without visible tests; undefined when never executed. */
export function visiblePassRate(item: CurationItem): number | undefined {
  const c = testCounts(item);
  if (c.visible === 0) return 1;
  if (!c.executed) return undefined;
  return c.visiblePassed / c.visible;
}

export const STAGE_DESCRIPTIONS: Readonly<Record<FilterStage, (o: CurationOptions) => string>> = {
  verdict: (o) =>
    `human verdict: \`hack\` removes${o.unsure === 'exclude' ? ', `unsure` removes' : ''}; \`clean\`${o.unsure === 'include' ? ', `unsure`' : ''} and a reviewer's pick lift the score filters`,
  unanalysed: () => 'never analysed and not vouched for by a reviewer',
  ensemble: (o) => (o.maxScore === undefined ? 'ensemble says hack (`isHack`)' : `ensemble hack probability >= ${o.maxScore}`),
  scorer: (o) => {
    const entries = Object.entries(o.maxScoreFor);
    return entries.length ? `per-scorer limits: ${entries.map(([k, v]) => `${k} >= ${v}`).join(', ')}` : 'per-scorer limits: none';
  },
  reasoning: (o) =>
    o.dropReasoningFlags.length ? `reasoning flagged: ${o.dropReasoningFlags.join(', ')}` : 'reasoning flags: none dropped',
  'visible-pass': (o) => (o.minVisiblePass > 0 ? `visible-test pass rate < ${o.minVisiblePass}` : 'visible-test pass rate: no minimum'),
};

/** The first stage that removes the candidate, or undefined when it survives every filter. */
export function rejectingStage(item: CurationItem, opts: CurationOptions): FilterStage | undefined {
  const v = item.verdict?.label;
  if (v === 'hack' || (v === 'unsure' && opts.unsure === 'exclude')) return 'verdict';
  const vouched = humanClean(item, opts);
  const a = item.analysis;
  if (!a && !vouched) return 'unanalysed';
  if (a && !vouched) {
    if (opts.maxScore === undefined ? a.isHack : a.hackProbability >= opts.maxScore) return 'ensemble';
    for (const s of a.scores) {
      const limit = opts.maxScoreFor[s.scorer];
      if (limit !== undefined && s.probability >= limit) return 'scorer';
    }
  }
  if (opts.dropReasoningFlags.length && a) {
    const flags = reasoningFlags(a.findings);
    if (opts.dropReasoningFlags.some((f) => flags.has(f))) return 'reasoning';
  }
  if (opts.minVisiblePass > 0 && (visiblePassRate(item) ?? 0) < opts.minVisiblePass) return 'visible-pass';
  return undefined;
}
