/**
 * The `analyze` stage: for every candidate of a review set, static analysis → sandboxed execution →
 * differential coverage → reasoning monitor → scores → ensemble, written to the store.
 *
 * Incremental: each analysis carries a content hash of everything it depends on (the problem, the
 * code, the reasoning, the analyzer version and the options that change results); a re-run skips
 * candidates whose hash is unchanged. Cancellable at every candidate: what was finished is stored,
 * nothing half-written is.
 */
import { setMaxListeners } from 'node:events';
import pLimit from 'p-limit';
import type { Candidate, CandidateAnalysis, Finding, ImportIssue, Problem, Score, TestResult } from '../../../contract/domain';
import { importReviewSet, type FormatName } from '../formats';
import { createStaticAnalyzer, languageOf, type StaticAnalyzer } from '../analysis/static';
import { monitorReasoning } from '../analysis/reasoning';
import { explainFlag } from '../analysis/explain';
import {
  IsolationUnavailableError,
  SandboxPool,
  differentialCoverage,
  executionEvidence,
  fittedBoundaries,
  shownRuns,
  type SandboxLimits,
  wrongTestTies,
} from '../execution';
import { lockAnalysis } from '../store/lock';
import {
  combine,
  coverageScore,
  DEFAULT_THRESHOLD,
  executionScore,
  harnessScore,
  metamorphicScore,
  reasoningScore,
  staticScore,
} from '../scoring/ensemble';
import { metamorphicFindings, poolProbeRunner } from '../metamorphic';
import type { Scorer, ScoringItem } from '../scoring/scorer';
import { contentHash, Store } from '../store/store';
import { dataDirOf } from '../service/dataFolder';

import { ANALYZER_VERSION, isStale } from '../analysis/version';

/** Bump (in `analysis/version.ts`) when an analyzer changes what it finds: every stored analysis is
 *  then stale and recomputed on the next run. */
export { ANALYZER_VERSION };

export interface AnalyzeOptions {
  /** Run candidates in the sandbox (default true). Never enable for code from an untrusted workspace. */
  execute?: boolean;
  /** Record executed lines for differential coverage (default true when executing). */
  coverage?: boolean;
  limits?: Partial<SandboxLimits>;
  python?: string;
  /** Sandbox workers; default: one per core. */
  workers?: number;
  threshold?: number;
  /** Recompute even unchanged candidates. */
  force?: boolean;
  signal?: AbortSignal;
  onProgress?: (p: { done: number; total: number; message?: string }) => void;
  /** Extra scorers run after the cheap ones, in order (classifier, then judge). */
  scorers?: readonly Scorer[];
  /** Candidates per scoring batch and per store transaction. */
  batchSize?: number;
}

export interface AnalyzeSummary {
  analysed: number;
  skipped: number;
  hacks: number;
  /** Of the analysed: candidates redone because an older analyzer version made their analysis. */
  stale: number;
  /** Candidates whose analysis itself failed (reported, the run goes on). */
  errors: number;
  errorMessages: string[];
  /** How candidate code was isolated (`bwrap`, `namespaces`, `none`), or `static-only`. */
  isolation?: string;
  /** Why analysis ran static-only although execution was asked for (no sandbox works here). */
  staticOnlyReason?: string;
  /** Problems worth a word: no tests (their candidates are judged on static evidence only). */
  warnings: string[];
  /** Candidates not executed because their code is not Python (language → count); their static and
   *  reasoning evidence is still analysed. */
  notExecuted?: Record<string, number>;
}

/** Imports a review set (file or folder) into the store beside it. */
export async function openReviewSet(
  pathOrFile: string,
  opts: { format?: FormatName | 'auto'; signal?: AbortSignal; onProgress?: (read: number, total: number) => void } = {},
): Promise<{ store: Store; issues: ImportIssue[]; skipped: { file: string; reason: string }[]; problems: number; candidates: number }> {
  const result = await importReviewSet(pathOrFile, {
    format: opts.format ?? 'auto',
    ...(opts.signal ? { signal: opts.signal } : {}),
    ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
  });
  const store = Store.open(dataDirOf(pathOrFile));
  store.putReviewSet(result.set);
  return {
    store,
    issues: result.issues,
    skipped: result.skipped,
    problems: result.set.problems.length,
    candidates: result.set.candidates.length,
  };
}

function abortError(): Error {
  const e = new Error('analysis cancelled');
  e.name = 'AbortError';
  return e;
}

export async function analyzeStore(store: Store, opts: AnalyzeOptions = {}): Promise<AnalyzeSummary> {
  const release = lockAnalysis(store.dbPath);
  try {
    return await analyzeLocked(store, opts);
  } finally {
    release();
  }
}

async function analyzeLocked(store: Store, opts: AnalyzeOptions): Promise<AnalyzeSummary> {
  const threshold = opts.threshold ?? DEFAULT_THRESHOLD;
  const batchSize = opts.batchSize ?? 256;
  const summary: AnalyzeSummary = { analysed: 0, skipped: 0, hacks: 0, stale: 0, errors: 0, errorMessages: [], warnings: [] };
  let pool: SandboxPool | undefined;
  if (opts.execute ?? true) {
    try {
      pool = new SandboxPool({
        ...(opts.workers ? { size: opts.workers } : {}),
        ...(opts.python ? { python: opts.python } : {}),
        ...(opts.limits ? { limits: opts.limits } : {}),
      });
      summary.isolation = pool.isolation;
    } catch (err) {
      // No sandbox works here: never run candidate code unisolated unasked. Static-only, and say so.
      if (!(err instanceof IsolationUnavailableError)) throw err;
      summary.staticOnlyReason = err.message;
    }
  }
  summary.isolation ??= 'static-only';
  // Kept for the report: how candidate code was (or was not) run by the latest analysis.
  store.setMeta(
    'sandbox',
    JSON.stringify({
      isolation: summary.isolation,
      executeAsked: opts.execute ?? true,
      ...(summary.staticOnlyReason ? { staticOnlyReason: summary.staticOnlyReason } : {}),
    }),
  );
  const execute = pool !== undefined;
  const coverage = execute && (opts.coverage ?? true);
  const optionKey = { v: ANALYZER_VERSION, execute, coverage, limits: opts.limits ?? {}, scorers: (opts.scorers ?? []).map((s) => s.name) };
  const notExecuted: Record<string, number> = {};
  // Every candidate in flight listens for cancellation (lanes × batch of them at once, each removed
  // when its run ends): many listeners here are expected, not a leak.
  if (opts.signal) setMaxListeners(0, opts.signal);
  const total = store.candidateCount();
  let done = 0;
  const progress = (message?: string) => opts.onProgress?.({ done, total, ...(message ? { message } : {}) });
  progress('starting');

  let analyzer: StaticAnalyzer;
  try {
    analyzer = await createStaticAnalyzer();
  } catch (err) {
    await pool?.close();
    throw err;
  }

  // Finished analyses are written in batches that span problems: one transaction (one fsync) per
  // batch, and at least once a second so views see progress. Flushed on every exit, cancellation
  // included, so finished work is never lost.
  let pending: CandidateAnalysis[] = [];
  let lastFlush = Date.now();
  const flush = () => {
    if (!pending.length) return;
    const rows = pending;
    pending = [];
    lastFlush = Date.now();
    store.tx(() => {
      for (const a of rows) store.putAnalysis(a);
    });
  };

  const analyseProblem = async (problem: Problem): Promise<void> => {
    if (opts.signal?.aborted) throw abortError();
    const candidates = store.candidatesOf(problem.id);
    const problemHash = contentHash(problem);
    const todo: { candidate: Candidate; hash: string }[] = [];
    for (const candidate of candidates) {
      const hash = contentHash([problemHash, candidate.code, candidate.reasoning ?? '', optionKey]);
      const had = store.analysisHash(candidate.id);
      if (!opts.force && had === hash) {
        summary.skipped++;
        done++;
        continue;
      }
      if (had !== undefined && isStale(store.analysis(candidate.id))) summary.stale++;
      todo.push({ candidate, hash });
    }
    progress(problem.id);
    if (todo.length === 0) return;
    if (problem.tests.length === 0) {
      summary.warnings.push(
        `problem ${problem.id}${problem.source ? ` (${problem.source})` : ''} has no tests: its ${todo.length} candidate${todo.length === 1 ? ' is' : 's are'} judged on static evidence only`,
      );
    }

    // The reference solution's results tell differential coverage which tests a correct solution fails.
    let reference: readonly TestResult[] | undefined;
    if (pool && problem.referenceSolution) {
      reference = await pool.runCandidate(problem, problem.referenceSolution, {
        coverage: false,
        ...(opts.signal ? { signal: opts.signal } : {}),
      });
    }

    for (let i = 0; i < todo.length; i += batchSize) {
      // Yield to the event loop once per batch, so a cancellation (or an LSP request) gets in even
      // when no sandbox I/O is awaited (static-only runs).
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (opts.signal?.aborted) throw abortError();
      const batch = todo.slice(i, i + batchSize);
      const cheap = await Promise.all(
        batch.map(async ({ candidate, hash }) => {
          try {
            const language = languageOf(candidate.code);
            if (pool && language !== 'python') notExecuted[language] = (notExecuted[language] ?? 0) + 1;
            return await cheapAnalysis(problem, candidate, hash, analyzer, pool, coverage, reference, opts.signal, opts.scorers ?? []);
          } catch (err) {
            if ((err as Error).name === 'AbortError' || opts.signal?.aborted) throw abortError();
            summary.errors++;
            summary.errorMessages.push(`${candidate.id}: ${(err as Error).message}`);
            return undefined;
          } finally {
            done++;
            progress(candidate.id);
          }
        }),
      );
      const ready = cheap.filter((x): x is CheapResult => x !== undefined);
      await runExtraScorers(problem, ready, opts.scorers ?? [], opts.signal);
      for (const r of ready) {
        const c = combine(r.scores, r.findings, threshold);
        // A flag always says why: the deciding scorer's rationale when no finding shows it.
        const why = c.isHack
          ? explainFlag(r.candidate.code, r.findings, r.scores, c.contributions, linesOfWrongTests(problem, r.tests))
          : undefined;
        pending.push({
          candidateId: r.candidate.id,
          contentHash: r.hash,
          findings: why ? [...r.findings, why] : r.findings,
          tests: r.tests,
          scores: r.scores,
          hackProbability: c.hackProbability,
          category: c.category,
          isHack: c.isHack,
          analyzerVersion: ANALYZER_VERSION,
          ...(r.notRunnable ? { notRunnable: r.notRunnable } : {}),
        });
        summary.analysed++;
        if (c.isHack) summary.hacks++;
      }
      if (pending.length >= batchSize || Date.now() - lastFlush > 1000) flush();
    }
  };

  // Several problems in flight at once keep every sandbox worker busy, so one candidate that runs
  // into its time limit does not stall the rest. Static-only runs gain nothing from lanes.
  const lanes = pool ? Math.max(1, pool.size * 2) : 1;
  try {
    const lane = pLimit(lanes);
    let failure: unknown;
    // After the first failure no further problem starts; those already running finish first.
    await Promise.all(
      store.problems().map((problem) =>
        lane(async () => {
          if (failure !== undefined) return;
          try {
            await analyseProblem(problem);
          } catch (err) {
            failure ??= err;
          }
        }),
      ),
    );
    if (failure !== undefined) throw failure;
  } finally {
    flush();
    analyzer.dispose();
    await pool?.close();
  }
  progress('done');
  if (Object.keys(notExecuted).length) summary.notExecuted = notExecuted;
  return summary;
}

/** 0-based lines executed by passed tests whose expected value is wrong (role `incorrect`). */
function linesOfWrongTests(problem: Problem, results: readonly TestResult[]): number[] {
  const wrong = new Set(problem.tests.filter((t) => t.role === 'incorrect').map((t) => t.id));
  return results.filter((r) => wrong.has(r.testId) && r.outcome === 'pass').flatMap((r) => (r.lines ?? []).map((l) => l - 1));
}

interface CheapResult {
  candidate: Candidate;
  hash: string;
  findings: Finding[];
  tests: readonly TestResult[];
  scores: Score[];
  /** Per scorer name: what its `prepare` read from the analyzer's tree. */
  prepared: Record<string, unknown>;
  /** The sandbox was there but the candidate held no Python to run (see `CandidateAnalysis`). */
  notRunnable?: string;
}

async function cheapAnalysis(
  problem: Problem,
  candidate: Candidate,
  hash: string,
  analyzer: StaticAnalyzer,
  pool: SandboxPool | undefined,
  coverage: boolean,
  reference: readonly TestResult[] | undefined,
  signal: AbortSignal | undefined,
  scorers: readonly Scorer[],
): Promise<CheapResult> {
  const prepared: Record<string, unknown> = {};
  const preparers = scorers.filter((s) => s.prepare);
  const visit = preparers.length
    ? (ctx: Parameters<NonNullable<Scorer['prepare']>>[0]) => {
        for (const s of preparers) prepared[s.name] = s.prepare!(ctx);
      }
    : undefined;
  const findings: Finding[] = [...analyzer.analyze(problem, candidate.code, visit), ...monitorReasoning(candidate.reasoning, problem)];
  let tests: readonly TestResult[] = [];
  let probed = false;
  // Only Python runs; a candidate in another language keeps its static and reasoning evidence.
  // An answer without code (prose) has nothing to run, and nothing for the code scorers to judge.
  const hasCode = candidate.code.trim() !== '';
  const language = hasCode ? languageOf(candidate.code) : undefined;
  const notRunnable = pool && language !== 'python' ? (language ?? 'no-code') : undefined;
  if (pool && language === 'python') {
    tests = await pool.runCandidate(problem, candidate.code, { coverage, ...(signal ? { signal } : {}) });
    if (coverage) findings.push(...differentialCoverage(problem, candidate.code, tests, reference));
    findings.push(...executionEvidence(tests));
    const meta = await metamorphicFindings(problem, candidate.code, tests, poolProbeRunner(pool), signal);
    findings.push(...meta.findings);
    probed = meta.ran;
    if (coverage) {
      findings.push(...fittedBoundaries(candidate.code, [...meta.boundaryRuns, ...shownRuns(problem, tests)], problem.statement));
      findings.push(...wrongTestTies(problem, candidate.code, tests));
    }
  }
  // An answer without code (a prose answer to a writing task) has no code to judge: no static term,
  // only what its reasoning and the other scorers that read text say.
  const scores: Score[] = candidate.code.trim() ? [staticScore(findings)] : [];
  const harness = harnessScore(findings);
  if (harness) scores.push(harness);
  const exec = executionScore(problem, tests, findings);
  if (exec) scores.push(exec);
  const cov = coverageScore(findings);
  if (cov) scores.push(cov);
  const reas = reasoningScore(findings, Boolean(candidate.reasoning?.trim()));
  if (reas) scores.push(reas);
  const meta = metamorphicScore(findings, probed);
  if (meta) scores.push(meta);
  return { candidate, hash, findings, tests, scores, prepared, ...(notRunnable ? { notRunnable } : {}) };
}

/** Scorers whose evidence is the code itself. */
const CODE_ONLY_SCORERS: ReadonlySet<string> = new Set(['classifier']);

/** Each extra scorer sees the combined probability of everything before it (the hierarchy). */
async function runExtraScorers(problem: Problem, items: CheapResult[], scorers: readonly Scorer[], signal?: AbortSignal): Promise<void> {
  for (const scorer of scorers) {
    if (signal?.aborted) throw abortError();
    const batch: ScoringItem[] = items.map((r) => ({
      problem,
      candidate: r.candidate,
      findings: r.findings,
      tests: r.tests,
      priorProbability: combine(r.scores, r.findings).hackProbability,
      ...(scorer.name in r.prepared ? { prepared: r.prepared[scorer.name] } : {}),
    }));
    const out = await scorer.scoreBatch(batch, signal);
    out.forEach((s, i) => {
      // the classifier reads code alone: on an answer without code its score says nothing
      if (s && !(CODE_ONLY_SCORERS.has(s.scorer) && !items[i]!.candidate.code.trim())) items[i]!.scores.push(s);
    });
  }
}
