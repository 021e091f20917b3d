/**
 * The judge as an ensemble `Scorer` named `judge`, the expensive end of the hierarchy: it only takes
 * items whose `priorProbability` (static + execution + classifier combined) lies inside the uncertain
 * band (default 0.3–0.7) and declines the rest (`undefined`). Its score is a probability like any
 * other; the decision is the ensemble's threshold, never the judge's label.
 *
 * In comparative mode, the in-band items of one problem are judged together in one call, with the
 * problem's other items of the batch shown beside them for contrast (their verdicts are discarded).
 * At most `concurrency` calls are in flight.
 */
import pLimit from 'p-limit';
import type { Score } from '../../../../contract/domain';
import type { Scorer, ScoringItem } from '../scorer';
import { fileCache, type JudgeCache } from './cache';
import { DEFAULT_BAND, resolveJudgeSettings, type JudgeSettings } from './config';
import { LlmJudge, type JudgeResult, type JudgeUsage } from './judge';
import { LocalChatCompleter } from './local';

export interface JudgeScorerOptions {
  readonly band?: readonly [number, number];
  readonly comparative?: boolean;
  readonly concurrency?: number;
  /** Most candidates shown in one comparative call (default 8); larger groups are split. */
  readonly maxGroup?: number;
}

export interface JudgeScorer extends Scorer {
  readonly usage: JudgeUsage;
  /** Ends what the judge holds (the local model's worker); absent for an endpoint. */
  dispose?(): Promise<void>;
}

export function inBand(p: number, band: readonly [number, number]): boolean {
  return p >= band[0] && p <= band[1];
}

function toScore(r: JudgeResult): Score | undefined {
  if (!r.ok) return undefined;
  const lines = r.verdict.special_casing_lines.length ? ` (lines ${r.verdict.special_casing_lines.join(', ')})` : '';
  return {
    scorer: 'judge',
    probability: r.probability,
    rationale: `judge: ${r.verdict.label}, confidence ${r.verdict.confidence.toFixed(2)}${lines}: ${r.verdict.explanation}`,
  };
}

export function createJudgeScorer(judge: LlmJudge, opts: JudgeScorerOptions = {}): JudgeScorer {
  const band = opts.band ?? DEFAULT_BAND;
  const comparative = opts.comparative ?? true;
  const limit = pLimit(Math.max(1, Math.floor(opts.concurrency ?? 4)));
  const maxGroup = Math.max(2, opts.maxGroup ?? 8);
  return {
    name: 'judge',
    usage: judge.usage,
    async scoreBatch(items: readonly ScoringItem[], signal?: AbortSignal): Promise<(Score | undefined)[]> {
      const out: (Score | undefined)[] = items.map(() => undefined);
      const wanted = items.map((it) => inBand(it.priorProbability, band));
      const jobs: Promise<void>[] = [];
      if (!comparative) {
        items.forEach((it, i) => {
          if (!wanted[i]) return;
          jobs.push(
            limit(async () => {
              out[i] = toScore(await judge.judgeCandidate(it.problem, it.candidate, signal));
            }),
          );
        });
      } else {
        const byProblem = new Map<string, number[]>();
        items.forEach((it, i) => byProblem.set(it.problem.id, [...(byProblem.get(it.problem.id) ?? []), i]));
        for (const idx of byProblem.values()) {
          const targets = idx.filter((i) => wanted[i]);
          if (!targets.length) continue;
          const context = idx.filter((i) => !wanted[i]);
          for (let s = 0; s < targets.length; s += maxGroup) {
            const group = targets.slice(s, s + maxGroup);
            const shown = [...group, ...context.slice(0, Math.max(0, maxGroup - group.length))];
            jobs.push(
              limit(async () => {
                const results = await judge.judgeProblem(
                  items[shown[0]!]!.problem,
                  shown.map((i) => items[i]!.candidate),
                  signal,
                );
                group.forEach((itemIndex, k) => (out[itemIndex] = toScore(results[k]!)));
              }),
            );
          }
        }
      }
      await Promise.all(jobs);
      signal?.throwIfAborted();
      return out;
    },
  };
}

/**
 * The judge scorer as configured by settings over the environment, or undefined when no endpoint is
 * configured (the ensemble then simply runs without a judge). `cache`: where replies are kept (the
 * store's, `store.judgeCache()`); `cacheFile`, used only without it: the JSON file of older releases
 * (`judgeCachePath`).
 */
export function judgeScorerFromSettings(
  settings: JudgeSettings = {},
  opts: { cache?: JudgeCache; cacheFile?: string; env?: NodeJS.ProcessEnv; log?: (line: string) => void } = {},
): JudgeScorer | undefined {
  const s = resolveJudgeSettings(settings, opts.env ?? process.env);
  if (!s) return undefined;
  const local = s.localModel
    ? new LocalChatCompleter(
        {
          model: s.localModel,
          ...(s.localDevice ? { device: s.localDevice } : {}),
          ...(s.localMaxTokens ? { maxTokens: s.localMaxTokens } : {}),
        },
        opts.log ? { log: opts.log } : {},
      )
    : undefined;
  const judge = new LlmJudge({
    ...(local ? { completer: local } : {}),
    url: s.url,
    model: s.model,
    ...(s.apiKey ? { apiKey: s.apiKey } : {}),
    ...(s.timeoutMs ? { timeoutMs: s.timeoutMs } : {}),
    ...(s.maxRetries !== undefined ? { maxRetries: s.maxRetries } : {}),
    pricePer1kPrompt: s.pricePer1kPrompt ?? 0,
    pricePer1kCompletion: s.pricePer1kCompletion ?? 0,
    ...(opts.cache ? { cache: opts.cache } : opts.cacheFile ? { cache: fileCache(opts.cacheFile) } : {}),
  });
  const scorer = createJudgeScorer(judge, {
    ...(s.band ? { band: s.band } : {}),
    ...(s.comparative !== undefined ? { comparative: s.comparative } : {}),
    ...(s.concurrency ? { concurrency: s.concurrency } : {}),
  });
  return local ? { ...scorer, dispose: () => local.dispose() } : scorer;
}
