/**
 * The activation probe as an ensemble `Scorer` named `probe`: a linear probe (trained by
 * `loophole probe train`) on the pooled hidden state of a local model reading the candidate. It scores
 * every candidate — a forward pass up to one layer costs little beside a judge's generation — and
 * runs after the code classifier and before the judge, so the judge's prior includes it and only what
 * both cheap monitors leave uncertain is escalated.
 *
 * The worker (`probe-serve`) is started on the first batch and kept for the analysis; activations are
 * cached by content hash beside the store. A probe that cannot run (the worker's packages missing, a
 * model that does not fit, another model than the probe's) is reported once through `log` and then
 * declines every candidate: the hierarchy works as without it.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Score } from '../../../../contract/domain';
import { WorkerFailure } from '../../jobs/worker';
import type { Scorer, ScoringItem } from '../scorer';
import type { ProbeFile } from '../local/monitorProtocol';
import { ServingWorker, type ServingOptions } from '../local/serving';
import { probeItem } from './items';

export interface ProbeScorerOptions extends ServingOptions {
  /** The probe file `loophole probe train` wrote. */
  readonly probe: string;
  /** Where pooled activations are cached (`<data>/.loophole/activations`). */
  readonly cacheDir?: string;
  readonly device?: string;
}

export interface ProbeScorer extends Scorer {
  readonly info: ProbeFile;
  dispose(): Promise<void>;
}

/** The probe file's record, or an error naming the file and what is wrong with it. */
export function readProbeFile(file: string): ProbeFile {
  let v: unknown;
  try {
    v = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new Error(
      err.code === 'ENOENT'
        ? `probe not found: ${file} (train one with \`loophole probe train\`)`
        : `${file} is not a probe file: ${err.message}`,
    );
  }
  const p = v as Partial<ProbeFile>;
  if (p?.format !== 'loophole-probe-1' || typeof p.layer !== 'number' || typeof p.model?.spec !== 'string') {
    throw new Error(`${file} is not a probe file (expected format loophole-probe-1 with a model and a layer)`);
  }
  return p as ProbeFile;
}

export function activationCacheDir(dbPath: string): string {
  return path.join(path.dirname(dbPath), 'activations');
}

export function createProbeScorer(opts: ProbeScorerOptions): ProbeScorer {
  const info = readProbeFile(opts.probe);
  const worker = new ServingWorker(
    'probe-serve',
    {
      probe: opts.probe,
      ...(opts.cacheDir ? { cache_dir: opts.cacheDir } : {}),
      ...(opts.device ? { device: opts.device } : {}),
    },
    opts,
  );
  let disabled: string | undefined;
  const where = `layer ${info.layer} of ${info.model.spec}; trained on ${info.counts.hack} hack / ${info.counts.clean} clean`;
  return {
    name: 'probe',
    info,
    async scoreBatch(items: readonly ScoringItem[], signal?: AbortSignal): Promise<(Score | undefined)[]> {
      if (disabled || items.length === 0) return items.map(() => undefined);
      try {
        const reply = await worker.request({ type: 'score', items: items.map((it) => probeItem(it.problem, it.candidate)) }, signal);
        if (reply.error !== undefined || !reply.scores) throw new Error(reply.error ?? 'no scores in the reply');
        const by = new Map(reply.scores.map((s) => [s.id, s.probability]));
        return items.map((it): Score | undefined => {
          const p = by.get(it.candidate.id);
          return p === undefined
            ? undefined
            : { scorer: 'probe', probability: p, rationale: `activation probe: ${p.toFixed(2)} (${where})` };
        });
      } catch (e) {
        if (signal?.aborted) throw e;
        const f = e as Error;
        disabled = f.message + (f instanceof WorkerFailure && f.suggestion ? ` (${f.suggestion})` : '');
        opts.log?.(`activation probe ${opts.probe} is off for this analysis: ${disabled}`);
        return items.map(() => undefined);
      }
    },
    dispose: () => worker.close(),
  };
}
