/**
 * Judging an analysed review set with an LLM (`loophole judge`): the candidates whose combined
 * probability lies in the band go to the judge (all candidates of a problem side by side unless
 * `comparative` is off), its score is stored beside the others and the decision recombined. Replies are
 * cached beside the store; a local model runs in the worker and is released at the end.
 */
import { combine, DEFAULT_THRESHOLD } from '../scoring/ensemble';
import type { ResolvedJudgeSettings } from '../scoring/judge/config';
import { LlmJudge, type JudgeUsage } from '../scoring/judge/judge';
import { LocalChatCompleter } from '../scoring/judge/local';
import { createJudgeScorer } from '../scoring/judge/scorer';
import type { ScoringItem } from '../scoring/scorer';
import type { Store } from '../store/store';

export type { JudgeSettings, ResolvedJudgeSettings } from '../scoring/judge/config';
export { resolveJudgeSettings } from '../scoring/judge/config';

export interface JudgeRequest {
  /** The endpoint or local model (`resolveJudgeSettings`). */
  readonly settings: ResolvedJudgeSettings;
  /** Judge candidates with band[0] <= probability <= band[1]. */
  readonly band: readonly [number, number];
  /** All candidates of a problem in one call (default true). */
  readonly comparative?: boolean;
  readonly concurrency?: number;
  readonly timeoutMs?: number;
  readonly threshold?: number;
  /** A local model's cap of new tokens per reply, and the worker's interpreter. */
  readonly maxTokens?: number;
  readonly python?: string;
  readonly signal?: AbortSignal;
  /** After each problem: problems done, their total, the problem's id. */
  readonly onProgress?: (done: number, total: number, problemId: string) => void;
  readonly log?: (message: string) => void;
}

export interface JudgeSummary {
  readonly judged: number;
  /** Candidates whose hack decision the judge's score changed. */
  readonly decisionsChanged: number;
  readonly band: readonly [number, number];
  readonly usage: JudgeUsage;
  /** Why the local model failed, when it did. */
  readonly localError?: string;
}

export async function judgeSet(set: { readonly store: Store }, req: JudgeRequest): Promise<JudgeSummary> {
  const { store } = set;
  const s = req.settings;
  const threshold = req.threshold ?? DEFAULT_THRESHOLD;
  const local = s.localModel
    ? new LocalChatCompleter(
        {
          model: s.localModel,
          ...(s.localDevice ? { device: s.localDevice } : {}),
          ...(req.maxTokens ? { maxTokens: req.maxTokens } : {}),
        },
        { ...(req.python ? { python: req.python } : {}), ...(req.log ? { log: req.log } : {}) },
      )
    : undefined;
  try {
    const judge = new LlmJudge({
      ...(local ? { completer: local } : {}),
      url: s.url,
      model: s.model,
      ...(s.apiKey ? { apiKey: s.apiKey } : {}),
      ...(req.timeoutMs ? { timeoutMs: req.timeoutMs } : {}),
      pricePer1kPrompt: s.pricePer1kPrompt ?? 0,
      pricePer1kCompletion: s.pricePer1kCompletion ?? 0,
      cache: store.judgeCache(),
    });
    const scorer = createJudgeScorer(judge, {
      band: [...req.band],
      comparative: req.comparative !== false,
      concurrency: req.concurrency ?? 4,
    });
    const problems = store.problems();
    let judged = 0;
    let changed = 0;
    for (const [k, problem] of problems.entries()) {
      if (req.signal?.aborted) break;
      const items: ScoringItem[] = [];
      for (const candidate of store.candidatesOf(problem.id)) {
        const a = store.analysis(candidate.id);
        if (!a) continue;
        const prior = combine(
          a.scores.filter((x) => x.scorer !== 'judge'),
          a.findings,
          threshold,
        ).hackProbability;
        items.push({ problem, candidate, findings: a.findings, tests: a.tests, priorProbability: prior });
      }
      const scores = await scorer.scoreBatch(items, req.signal);
      scores.forEach((score, i) => {
        if (!score) return;
        judged++;
        const id = items[i]!.candidate.id;
        const a = store.analysis(id)!;
        const all = [...a.scores.filter((x) => x.scorer !== 'judge'), score];
        const c = combine(all, a.findings, threshold);
        if (c.isHack !== a.isHack) changed++;
        store.putAnalysis({ ...a, scores: all, hackProbability: c.hackProbability, isHack: c.isHack, category: c.category });
      });
      req.onProgress?.(k + 1, problems.length, problem.id);
    }
    return {
      judged,
      decisionsChanged: changed,
      band: req.band,
      usage: judge.usage,
      ...(local?.lastError ? { localError: local.lastError } : {}),
    };
  } finally {
    await local?.dispose();
  }
}
