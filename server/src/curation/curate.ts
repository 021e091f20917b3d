/**
 * Curation as a stream: items in (grouped by problem), one `CuratedProblem` out per problem, and the
 * counts at the end. Pure: no store, no files; the store adapter and the exporters sit around it.
 */
import type { Problem } from '../../../contract/domain';
import { referenceLabel, rejectingStage, type ReferenceLabel } from './filters';
import { select } from './select';
import { StatsAccumulator } from './stats';
import type { CurationItem, CurationOptions, CurationStats, SelectRule } from '../../../contract/curation';
import { CurationError } from './errors';

export interface CuratedProblem {
  readonly problem: Problem;
  /** The chosen clean candidates (empty when the problem was skipped). */
  readonly selected: readonly CurationItem[];
  readonly how: SelectRule | 'pick';
  /** The candidates the reference label calls a hack: the rejected side of pairs, negatives for KTO. */
  readonly hacks: readonly CurationItem[];
}

/** Thrown when the input breaks the source contract (items of one problem not adjacent). */
export class CurationInputError extends CurationError {
  override name = 'CurationInputError';
}

/** Groups adjacent items by problem id; a problem id seen again after another problem is an error. */
export function* groupByProblem(items: Iterable<CurationItem>): Generator<CurationItem[]> {
  const seen = new Set<string>();
  let current: CurationItem[] = [];
  for (const item of items) {
    const id = item.problem.id;
    if (current.length && current[0]!.problem.id !== id) {
      yield current;
      current = [];
    }
    if (!current.length) {
      if (seen.has(id)) throw new CurationInputError(`candidates of problem ${JSON.stringify(id)} are not adjacent in the input`);
      seen.add(id);
    }
    current.push(item);
  }
  if (current.length) yield current;
}

/** Decides one problem: filters every candidate, counts, and applies the selection rule. */
export function curateProblem(group: readonly CurationItem[], opts: CurationOptions, stats: StatsAccumulator): CuratedProblem {
  const eligible: CurationItem[] = [];
  const hacks: CurationItem[] = [];
  let pick: 'honoured' | 'filtered' | 'none' = 'none';
  for (const item of group) {
    const label = referenceLabel(item);
    // Under a misspecified reward only the reward chooses: no label or score filters the candidates.
    const stage = opts.select === 'reward' ? undefined : rejectingStage(item, opts);
    stats.candidate(label, stage, item);
    if (stage === undefined) eligible.push(item);
    else if (item.pick) pick = 'filtered';
    if (label === 'hack') hacks.push(item);
  }
  const chosen = eligible.length ? select(eligible, opts.select, opts.seed) : { items: [], how: opts.select };
  if (chosen.how === 'pick') pick = 'honoured';
  else if (pick !== 'filtered') pick = 'none';
  if (opts.select !== 'best' && pick === 'filtered') pick = 'none';
  const labels: ReferenceLabel[] = chosen.items.map(referenceLabel);
  stats.problem(labels, pick, chosen.items);
  return { problem: group[0]!.problem, selected: chosen.items, how: chosen.how, hacks };
}

/**
 * Curates lazily: each `CuratedProblem` is produced as the consumer asks for it; `stats()` is
 * complete once the generator is exhausted.
 */
export function curateStream(
  items: Iterable<CurationItem>,
  opts: CurationOptions,
): {
  problems: Generator<CuratedProblem>;
  stats: () => CurationStats;
} {
  const acc = new StatsAccumulator(opts);
  function* run(): Generator<CuratedProblem> {
    for (const group of groupByProblem(items)) yield curateProblem(group, opts, acc);
  }
  return { problems: run(), stats: () => acc.result() };
}

/** Runs curation to the end and returns only the counts (the `curate` command, the panel's live counts). */
export function curationCounts(items: Iterable<CurationItem>, opts: CurationOptions, signal?: AbortSignal): CurationStats {
  const { problems, stats } = curateStream(items, opts);
  for (const _ of problems) signal?.throwIfAborted();
  return stats();
}

/**
 * The same counts without blocking the event loop: yields every `every` problems so that a language
 * server stays responsive and a cancellation arrives (rejects with an `AbortError`).
 */
export async function curationCountsAsync(
  items: Iterable<CurationItem>,
  opts: CurationOptions,
  o: { signal?: AbortSignal; every?: number; onProgress?: (candidatesDone: number) => void } = {},
): Promise<CurationStats> {
  const { problems, stats } = curateStream(items, opts);
  const every = o.every ?? 256;
  let n = 0;
  for (const _ of problems) {
    if (++n % every === 0) {
      o.onProgress?.(stats().candidates);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    o.signal?.throwIfAborted();
  }
  return stats();
}
