/**
 * The extra scorers `analyze` runs after the cheap analyses, in order: the ONNX classifier on every
 * candidate, then — only when an endpoint is configured — the LLM judge on the uncertain ones (its
 * prior includes the classifier, so the classifier must come first).
 */
import { createClassifierScorer } from './classifier/scorer';
import { judgeCachePath } from './judge/cache';
import type { JudgeSettings } from './judge/config';
import { judgeScorerFromSettings } from './judge/scorer';
import type { Scorer } from './scorer';

export interface DefaultScorerOptions {
  /** The store's file; the judge keeps its reply cache beside it. */
  readonly dbPath: string;
  readonly classifier?: boolean;
  /** Judge settings over the environment (`LOOPHOLE_JUDGE_URL`, `LOOPHOLE_JUDGE_MODEL`, …). */
  readonly judge?: JudgeSettings;
  readonly log?: (message: string) => void;
}

export interface ScorerSet {
  readonly scorers: Scorer[];
  dispose(): Promise<void>;
}

export async function defaultScorers(opts: DefaultScorerOptions): Promise<ScorerSet> {
  const scorers: Scorer[] = [];
  const disposers: (() => Promise<void>)[] = [];
  if (opts.classifier !== false) {
    const classifier = await createClassifierScorer(opts.log ? { log: opts.log } : {});
    scorers.push(classifier);
    disposers.push(() => classifier.dispose());
  }
  const judge = judgeScorerFromSettings(opts.judge ?? {}, { cacheFile: judgeCachePath(opts.dbPath) });
  if (judge) scorers.push(judge);
  return {
    scorers,
    async dispose() {
      for (const d of disposers) await d();
    },
  };
}
