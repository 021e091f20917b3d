/**
 * Analysing an open review set: the one entry both adapters call (`loophole analyze` and the language
 * server's `loophole/analyze`). Sets up the scorers after the cheap analyses (the classifier, the
 * activation probe when a probe file is given, the LLM judge when an endpoint or a local model is),
 * runs the pipeline, and releases the scorers' models whatever happens.
 *
 * Cancelling through `signal` stops at the next candidate and throws `Cancelled`; finished analyses
 * are stored.
 */
import type { AnalyzeOptions, AnalyzeSummary } from '../pipeline/analyze';
import { analyzeStore } from '../pipeline/analyze';
import { defaultScorers } from '../scoring/defaults';
import type { JudgeSettings } from '../scoring/judge/config';
import type { Store } from '../store/store';
import { cancellable } from './errors';

export type { AnalyzeOptions, AnalyzeSummary } from '../pipeline/analyze';

export interface AnalyzeRequest extends Omit<AnalyzeOptions, 'scorers'> {
  /** Run the ONNX classifier (default true). */
  readonly classifier?: boolean;
  /** An activation probe file (`loophole probe train`); else `LOOPHOLE_PROBE`. */
  readonly probe?: string;
  /** Judge settings over the environment (`LOOPHOLE_JUDGE_URL`, …), e.g. a local model. */
  readonly judge?: JudgeSettings;
  /** Where the scorers say what they load or skip. */
  readonly log?: (message: string) => void;
}

/** Analyses an open set (a `ReviewSession`, or a store the CLI opened). */
export async function analyzeSet(set: { readonly store: Store }, req: AnalyzeRequest = {}): Promise<AnalyzeSummary> {
  const store = set.store;
  const { classifier, probe, judge, log, ...options } = req;
  return cancellable(
    req.signal,
    async () => {
      const scorerSet = await defaultScorers({
        dbPath: store.dbPath,
        judgeCache: store.judgeCache(),
        ...(classifier === false ? { classifier: false } : {}),
        ...(probe ? { probe } : {}),
        ...(judge ? { judge } : {}),
        ...(log ? { log } : {}),
      });
      try {
        return await analyzeStore(store, { ...options, scorers: scorerSet.scorers });
      } finally {
        await scorerSet.dispose();
      }
    },
    'finished analyses are kept',
  );
}
