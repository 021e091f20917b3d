/**
 * The extra scorers `analyze` runs after the cheap analyses, in order: the ONNX classifier on every
 * candidate, then — only when a probe file is configured — the activation probe on every candidate,
 * then — only when an endpoint or a local model is configured — the LLM judge on the uncertain ones
 * (its prior includes the classifier and the probe, so they must come first).
 */
import { createClassifierScorer } from './classifier/scorer';
import { judgeCachePath, type JudgeCache } from './judge/cache';
import type { JudgeSettings } from './judge/config';
import { judgeScorerFromSettings } from './judge/scorer';
import type { Scorer } from './scorer';
import { activationCacheDir, createProbeScorer } from './probe/scorer';

export interface DefaultScorerOptions {
  /** The store's file; the probe keeps its activations beside it. */
  readonly dbPath: string;
  /** Where the judge keeps its replies: the store's table (`store.judgeCache()`). Without it, the JSON
   *  file of releases before schema 4 beside `dbPath`, which the store imports when next opened. */
  readonly judgeCache?: JudgeCache;
  readonly classifier?: boolean;
  /** Judge settings over the environment (`LOOPHOLE_JUDGE_URL`, `LOOPHOLE_JUDGE_MODEL`, …). */
  readonly judge?: JudgeSettings;
  readonly log?: (message: string) => void;
  /** An activation probe file (`loophole probe train`); env `LOOPHOLE_PROBE`. */
  readonly probe?: string;
  /** Its model's device (`auto`, `cpu`, `cuda:N`). */
  readonly probeDevice?: string;
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
  const probeFile = opts.probe || process.env['LOOPHOLE_PROBE'];
  if (probeFile) {
    const probe = createProbeScorer({
      probe: probeFile,
      cacheDir: activationCacheDir(opts.dbPath),
      ...(opts.probeDevice ? { device: opts.probeDevice } : {}),
      ...(opts.log ? { log: opts.log } : {}),
    });
    scorers.push(probe);
    disposers.push(() => probe.dispose());
  }
  const judge = judgeScorerFromSettings(opts.judge ?? {}, {
    ...(opts.judgeCache ? { cache: opts.judgeCache } : { cacheFile: judgeCachePath(opts.dbPath) }),
    ...(opts.log ? { log: opts.log } : {}),
  });
  if (judge) scorers.push(judge);
  if (judge?.dispose) disposers.push(() => judge.dispose!());
  return {
    scorers,
    async dispose() {
      for (const d of disposers) await d();
    },
  };
}
