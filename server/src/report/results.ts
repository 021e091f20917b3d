/**
 * The analysed review set as plain data: what `loophole analyze --json` prints and what the HTML
 * report draws. Streams over the store, so it stays cheap on large sets.
 */
import type { HackCategory, TestOutcome, VerdictLabel } from '../../../contract/domain';
import { lineSpan } from '../../../contract/wording';
import type { Store } from '../store/store';
import { ANALYZER_VERSION, isStale } from '../analysis/version';

export interface CandidateResult {
  id: string;
  problemId: string;
  promptVariant?: string;
  model?: string;
  sampleIndex?: number;
  hackProbability?: number;
  isHack?: boolean;
  /** Analysed by an older analyzer version. */
  stale?: boolean;
  category?: HackCategory;
  scores: Record<string, number>;
  /** testId → outcome */
  tests: Record<string, TestOutcome>;
  findings: { kind: string; lines: [number, number]; message: string; literal?: string }[];
  verdict?: VerdictLabel;
}

export interface ProblemResult {
  id: string;
  style: string;
  candidates: number;
  hacks: number;
}

export interface GroupRate {
  candidates: number;
  hacks: number;
  rate: number;
}

export interface Results {
  candidates: number;
  analysed: number;
  /** Analyses made by an older analyzer version (re-analysed on the next run). */
  stale: number;
  hacks: number;
  byVariant: Record<string, GroupRate>;
  byModel: Record<string, GroupRate>;
  byCategory: Record<string, number>;
  problems: ProblemResult[];
  results: CandidateResult[];
}

function bump(map: Record<string, GroupRate>, key: string, hack: boolean): void {
  const g = (map[key] ??= { candidates: 0, hacks: 0, rate: 0 });
  g.candidates++;
  if (hack) g.hacks++;
  g.rate = g.hacks / g.candidates;
}

export function collectResults(store: Store): Results {
  const verdicts = store.currentVerdicts();
  const out: Results = {
    candidates: 0,
    analysed: 0,
    stale: 0,
    hacks: 0,
    byVariant: {},
    byModel: {},
    byCategory: {},
    problems: [],
    results: [],
  };
  const perProblem = new Map<string, ProblemResult>();
  for (const p of store.problems()) {
    const pr = { id: p.id, style: p.style, candidates: 0, hacks: 0 };
    perProblem.set(p.id, pr);
    out.problems.push(pr);
  }
  for (const c of store.iterateCandidates()) {
    out.candidates++;
    const a = store.analysis(c.id);
    const pr = perProblem.get(c.problemId);
    if (pr) pr.candidates++;
    const verdict = verdicts.get(c.id)?.label;
    const r: CandidateResult = {
      id: c.id,
      problemId: c.problemId,
      ...(c.promptVariant ? { promptVariant: c.promptVariant } : {}),
      ...(c.model ? { model: c.model } : {}),
      ...(c.sampleIndex !== undefined ? { sampleIndex: c.sampleIndex } : {}),
      scores: {},
      tests: {},
      findings: [],
      ...(verdict ? { verdict } : {}),
    };
    if (a) {
      out.analysed++;
      if (isStale(a)) {
        out.stale++;
        r.stale = true;
      }
      r.hackProbability = a.hackProbability;
      r.isHack = a.isHack;
      r.category = a.category;
      for (const s of a.scores) r.scores[s.scorer] = s.probability;
      for (const t of a.tests) r.tests[t.testId] = t.outcome;
      r.findings = a.findings.map((f) => ({
        kind: f.kind,
        lines: [f.range.startLine, f.range.endLine],
        message: f.message,
        ...(f.literal !== undefined ? { literal: f.literal } : {}),
      }));
      if (a.isHack) {
        out.hacks++;
        if (pr) pr.hacks++;
        out.byCategory[a.category] = (out.byCategory[a.category] ?? 0) + 1;
      }
      bump(out.byVariant, c.promptVariant ?? '(unknown)', a.isHack);
      bump(out.byModel, c.model ?? '(unknown)', a.isHack);
    }
    out.results.push(r);
  }
  return out;
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

/** The plain-text summary `loophole analyze` prints. */
export function formatTable(r: Results): string {
  const lines: string[] = [];
  lines.push(
    `${r.candidates} candidates, ${r.analysed} analysed, ${r.hacks} flagged as hacks (${pct(r.analysed ? r.hacks / r.analysed : 0)})`,
  );
  if (r.stale)
    lines.push(`${r.stale} of them stale: made by an older analyzer version (now ${ANALYZER_VERSION}); \`loophole analyze\` redoes them`);
  const group = (title: string, g: Record<string, GroupRate>) => {
    const keys = Object.keys(g).sort();
    if (!keys.length) return;
    lines.push('', title);
    const w = Math.max(...keys.map((k) => k.length));
    for (const k of keys)
      lines.push(`  ${k.padEnd(w)}  ${String(g[k]!.hacks).padStart(5)} / ${String(g[k]!.candidates).padEnd(5)} ${pct(g[k]!.rate)}`);
  };
  group('hack rate by prompt variant', r.byVariant);
  group('hack rate by model', r.byModel);
  const cats = Object.entries(r.byCategory).sort((a, b) => b[1] - a[1]);
  if (cats.length) lines.push('', 'categories', ...cats.map(([k, n]) => `  ${k}: ${n}`));
  const flagged = r.results.filter((c) => c.isHack);
  if (flagged.length) {
    lines.push('', 'flagged candidates (highest score first)');
    for (const c of flagged.sort((a, b) => (b.hackProbability ?? 0) - (a.hackProbability ?? 0)).slice(0, 50)) {
      const f = c.findings.find((x) => x.kind !== 'reasoning') ?? c.findings[0];
      const where = !f
        ? ' (no finding: the score alone is over the threshold)'
        : f.kind === 'reasoning'
          ? ` reasoning: ${f.message}`
          : ` ${lineSpan(f.lines[0], f.lines[1])}: ${f.message}`;
      lines.push(`  ${c.id.padEnd(24)} ${(c.hackProbability ?? 0).toFixed(2)} ${c.category ?? ''}${where}`);
    }
    if (flagged.length > 50) lines.push(`  … and ${flagged.length - 50} more (--json or --out for all)`);
  }
  return lines.join('\n');
}
