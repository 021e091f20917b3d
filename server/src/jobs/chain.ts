/**
 * `recontextualizeAndRetrain`: split → generate → analyse → curate → recontextualize → export →
 * fine-tune → evaluate, as one `chain` job whose steps are child jobs (`generate`, `train`, `eval`),
 * each with its own log, metrics and artifacts. Cancelling the chain cancels the running child.
 *
 * What makes its numbers mean what the papers mean:
 * - the review set's problems are split (seeded, by problem) into train and eval; generation,
 *   curation and training see only the train side, every evaluation only the eval side, and the split
 *   is recorded with the result;
 * - the candidates are analysed with execution, and the evaluation reports test-based rates (see
 *   `evaluation.ts`); a chain that cannot execute stops instead of falling back to detector flags;
 * - the raw and the EMA adapter are both evaluated, and so is the base model under the very same
 *   sampling (a finished one is reused only when problems, n, temperature, max tokens and seed match),
 *   so before/after is a paired comparison over the same problems;
 * - which candidate is trained on is a named policy: `perfect-labels` or `misspecified-reward`.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import {
  curationCounts,
  DEFAULT_CURATION_OPTIONS,
  exportDataset,
  loadVariants,
  parseMapping,
  storeSource,
  validationProblems,
  variantsFileFor,
  type CurationOptions,
  type CurationSource,
} from '../curation';
import { analyzeStore } from '../pipeline/analyze';
import { dataDirOfStore } from '../service/dataFolder';
import type { Store } from '../store/store';
import { compareEvals, matchingBaseline, samplingKey } from '../../../contract/evaluation';
import { PRESETS, SELECT_RULE_OF, SELECTION_POLICIES, type TrainSettings } from './presets';
import { JobFailure, type JobContext, type JobQueue } from './queue';
import { NO_EXECUTION_FIX, type EvalJobConfig } from './runners';
import type { JobRecord, PresetName, SelectionPolicy } from '../../../contract/jobs';
import type { DebugConfig } from './workerProtocol';
import type { ChainEvalSettings, ChainResult, EvalResult, ProblemSplit } from '../../../contract/evaluation';

export type { ChainEvalSettings, ChainResult } from '../../../contract/evaluation';

export interface ChainSettings extends DebugConfig {
  /** The base model to fine-tune (a folder, `.gguf` or `builtin:…`). */
  readonly model: string;
  readonly device?: string;
  /** Defaults for everything not given here (default `conservative`). */
  readonly preset?: PresetName;
  /** Which candidate of each problem is trained on (default: the preset's). */
  readonly policy?: SelectionPolicy;
  /** `generate` (default): best-of-n of the base model under the preset's generation variant, on the
   *  train problems; `existing`: the candidates already in the review set. */
  readonly candidates?: 'generate' | 'existing';
  readonly generate?: {
    readonly n?: number;
    readonly temperature?: number;
    readonly maxTokens?: number;
    readonly variants?: readonly string[];
    readonly seed?: number;
  };
  /** The train/eval split by problem (default: half the problems held out, seed 0). */
  readonly split?: { readonly evalFraction?: number; readonly seed?: number };
  readonly curation?: Partial<CurationOptions>;
  /** Recontextualization, `FROM=TO` specs (default: the preset's, `discourage=neutral`). */
  readonly mapping?: readonly string[];
  readonly variantsFile?: string;
  readonly train?: Partial<TrainSettings>;
  readonly eval?: {
    readonly variants?: readonly string[];
    readonly n?: number;
    readonly temperature?: number;
    readonly maxTokens?: number;
    readonly seed?: number;
  };
  readonly python?: string;
}

async function child(ctx: JobContext, kind: 'generate' | 'train' | 'eval', name: string, config: unknown): Promise<JobRecord> {
  const job = ctx.queue.submit(kind, name, config, { parent: ctx.job.id });
  ctx.log('info', `${kind} step: job ${job.id}`);
  const done = await ctx.queue.wait(job.id);
  if (done.status.state !== 'succeeded') {
    const why =
      done.status.state === 'failed'
        ? done.status.error.message
        : done.status.state === 'interrupted'
          ? done.status.reason
          : done.status.state;
    if (ctx.signal.aborted) ctx.signal.throwIfAborted();
    throw new JobFailure(
      done.status.state === 'failed' ? done.status.error.kind : 'internal',
      `the ${kind} step (job ${job.id}) ended ${done.status.state}: ${why}`,
      done.status.state === 'failed' ? done.status.error.suggestion : `resume it with: loophole jobs resume ${job.id}`,
    );
  }
  return done;
}

/** The seeded train/eval split of `problemIds` by problem. */
export function splitProblems(problemIds: readonly string[], evalFraction: number, seed: number): ProblemSplit {
  if (!(evalFraction > 0 && evalFraction < 1))
    throw new JobFailure('bad_input', `the eval share of the split must be above 0 and below 1, got ${evalFraction}`);
  if (problemIds.length < 2)
    throw new JobFailure(
      'bad_input',
      `a train/eval split needs at least 2 problems; the review set has ${problemIds.length}`,
      'add problems to the review set',
    );
  const held = validationProblems(problemIds, evalFraction, seed);
  return { seed, evalFraction, train: problemIds.filter((id) => !held.has(id)), eval: problemIds.filter((id) => held.has(id)) };
}

/** `source` restricted to some problems (and, optionally, some candidates). */
function restricted(source: CurationSource, problems: ReadonlySet<string>, keep: (job: string | undefined) => boolean): CurationSource {
  return {
    problemIds: () => source.problemIds().filter((id) => problems.has(id)),
    *items() {
      for (const item of source.items()) if (problems.has(item.problem.id) && keep(item.candidate.generation?.job)) yield item;
    },
  };
}

export function chainRunner(store: Store) {
  return async (ctx: JobContext): Promise<ChainResult> => {
    const s = ctx.job.config as ChainSettings;
    const presetName = s.preset ?? 'conservative';
    const preset = PRESETS[presetName];
    if (!preset)
      throw new JobFailure('bad_input', `unknown preset ${JSON.stringify(presetName)}`, `use one of: ${Object.keys(PRESETS).join(', ')}`);
    const policy: SelectionPolicy = s.policy ?? preset.policy;
    if (!SELECTION_POLICIES.includes(policy))
      throw new JobFailure(
        'bad_input',
        `unknown selection policy ${JSON.stringify(policy)}`,
        `use one of: ${SELECTION_POLICIES.join(', ')}`,
      );
    const dataDir = dataDirOfStore(store);
    const variants = loadVariants(variantsFileFor(dataDir, s.variantsFile));
    const mappingSpecs = s.mapping ?? preset.mapping;
    const mapping = parseMapping(mappingSpecs, variants);
    const curation: CurationOptions = { ...DEFAULT_CURATION_OPTIONS, ...s.curation, select: SELECT_RULE_OF[policy] };
    const device = s.device ? { device: s.device } : {};
    const debug = s.debug_hide_packages ? { debug_hide_packages: s.debug_hide_packages } : {};

    // 1. the split: training never sees an eval problem, evaluation never a training one
    const split = splitProblems(
      store.problems().map((p) => p.id),
      s.split?.evalFraction ?? 0.5,
      s.split?.seed ?? 0,
    );
    ctx.log('info', `split (seed ${split.seed}): ${split.train.length} train problems, ${split.eval.length} eval problems`);
    const trainSet = new Set(split.train);

    // 2. candidates: best-of-n of the base model on the train problems, or those already there
    let generateJob: string | undefined;
    if ((s.candidates ?? 'generate') === 'generate') {
      const g = { ...preset.generate, ...s.generate };
      const gen = await child(ctx, 'generate', `${ctx.job.name}: generate`, {
        model: s.model,
        variants: g.variants,
        n: g.n,
        temperature: g.temperature,
        maxTokens: g.maxTokens,
        seed: s.generate?.seed ?? 0,
        problems: split.train,
        ...(s.variantsFile ? { variantsFile: s.variantsFile } : {}),
        ...device,
        ...debug,
      });
      generateJob = gen.id;
    }
    ctx.log('info', 'analysing the candidates with execution');
    const analysis = await analyzeStore(store, { execute: true, signal: ctx.signal, ...(s.python ? { python: s.python } : {}) }).catch(
      (err: Error) => {
        if (ctx.signal.aborted) throw err;
        throw new JobFailure(
          'no_execution',
          `the candidates could not be run against the tests (${err.message}); selection and the test-based rates need execution`,
          NO_EXECUTION_FIX,
        );
      },
    );
    if (analysis.errors) ctx.log('warn', `${analysis.errors} analyses failed: ${analysis.errorMessages.slice(0, 3).join('; ')}`);
    const source = restricted(storeSource(store), trainSet, (job) => generateJob === undefined || job === generateJob);

    // 3. refuse what cannot be done right: unexecuted candidates, candidates of unknown prompt
    let total = 0;
    let executed = 0;
    let unknownVariant = 0;
    for (const item of source.items()) {
      total++;
      // A candidate with nothing to run was still judged by execution: it fails every test.
      if (item.analysis && (item.analysis.tests.length > 0 || item.analysis.notRunnable !== undefined)) executed++;
      if (item.candidate.promptVariant === undefined) unknownVariant++;
    }
    if (total === 0)
      throw new JobFailure(
        'bad_input',
        'no candidates on the train problems to curate',
        'generate some (candidates: generate) or add them to the review set',
      );
    if (executed === 0) {
      throw new JobFailure(
        'no_execution',
        `none of the ${total} candidates on the train problems could be run against the tests${analysis.staticOnlyReason ? ` (${analysis.staticOnlyReason})` : ''}; selection and the test-based rates need execution`,
        NO_EXECUTION_FIX,
      );
    }
    if (unknownVariant > 0 && mappingSpecs.length > 0) {
      throw new JobFailure(
        'bad_input',
        `${unknownVariant} of ${total} candidates on the train problems have no recorded prompt variant, so the mapping ${mappingSpecs.join(', ')} cannot tell which prompt to replace`,
        'record the prompt each candidate was generated under (the `promptVariant` field of the review set), generate them with the chain (candidates: generate), or pass an explicit mapping that does not depend on it',
      );
    }

    // 4. curate → recontextualize → export, train problems only
    const stats = curationCounts(source.items(), curation, ctx.signal);
    ctx.log('info', `curated (${policy}): ${stats.selected} of ${stats.candidates} candidates selected over ${stats.problems} problems`);
    const out = path.join(ctx.dir, 'data', 'train.jsonl');
    mkdirSync(path.dirname(out), { recursive: true });
    const exported = await exportDataset(source, {
      format: 'chat',
      out,
      split: 0,
      seed: curation.seed,
      curation,
      variants,
      mapping,
      force: true,
      signal: ctx.signal,
      reviewSet: path.basename(dataDir),
    });
    ctx.log(
      'info',
      `exported ${exported.rows.train} rows to ${out} (${Object.entries(exported.recontextualized)
        .map(([k, v]) => `${k}: ${v}`)
        .join(
          ', ',
        )}); labelled hacks among them: ${stats.selectedHackRate === null ? 'unknown' : `${(100 * stats.selectedHackRate).toFixed(0)}%`}`,
    );
    if (exported.rows.train === 0)
      throw new JobFailure(
        'bad_input',
        `curation under ${policy} selected nothing to train on`,
        "check the candidates' analyses (`loophole curate`) or choose the other policy",
      );

    // 5. train
    const train = await child(ctx, 'train', `${ctx.job.name}: train`, {
      ...preset.train,
      ...s.train,
      model: s.model,
      data: out,
      ...device,
      ...debug,
    });
    const tr = (train.status as { result: { adapter?: string; ema_adapter?: string; ema_decay?: number } }).result;
    if (!tr.adapter) throw new JobFailure('internal', `the train step (job ${train.id}) wrote no adapter`);

    // 6. evaluate on the eval problems: the base model (reused when sampled identically), raw, EMA
    const evalSettings: ChainEvalSettings = {
      model: s.model,
      problems: split.eval,
      variants: s.eval?.variants ?? preset.eval.variants,
      n: s.eval?.n ?? preset.eval.n,
      temperature: s.eval?.temperature ?? preset.eval.temperature,
      maxTokens: s.eval?.maxTokens ?? preset.eval.maxTokens,
      seed: s.eval?.seed ?? 0,
    };
    const evalConfig = (adapter?: string): EvalJobConfig => ({
      ...evalSettings,
      ...(adapter ? { adapter } : {}),
      split,
      execute: true,
      ...(s.variantsFile ? { variantsFile: s.variantsFile } : {}),
      ...(s.python ? { python: s.python } : {}),
      ...device,
      ...debug,
    });
    const resultOf = (j: JobRecord) => (j.status as { result: EvalResult }).result;
    const key = samplingKey(evalSettings)!;
    const reusable = matchingBaseline(key, ctx.queue.jobs.list({ state: 'succeeded' }))?.id;
    const reusedOk =
      reusable !== undefined && evalSettings.variants.every((v) => v in (resultOf(ctx.queue.jobs.get(reusable)!).variants ?? {}));
    const baseline = reusedOk ? ctx.queue.jobs.get(reusable!)! : await child(ctx, 'eval', `${ctx.job.name}: eval base model`, evalConfig());
    if (reusedOk) ctx.log('info', `base model: reusing eval job ${baseline.id} (same problems, n, temperature, max tokens and seed)`);
    const ev = await child(ctx, 'eval', `${ctx.job.name}: eval`, evalConfig(tr.adapter));
    const evEma = tr.ema_adapter ? await child(ctx, 'eval', `${ctx.job.name}: eval EMA`, evalConfig(tr.ema_adapter)) : undefined;
    const raw = compareEvals(resultOf(baseline), resultOf(ev), { before: baseline.id, after: ev.id });
    const ema = evEma ? compareEvals(resultOf(baseline), resultOf(evEma), { before: baseline.id, after: evEma.id }) : undefined;
    return {
      policy,
      split,
      ...(generateJob ? { generateJob } : {}),
      exported: {
        file: out,
        rows: exported.rows.train,
        recontextualized: exported.recontextualized,
        selectedHackRate: stats.selectedHackRate,
      },
      trainJob: train.id,
      adapter: tr.adapter,
      evalJob: ev.id,
      eval: resultOf(ev),
      ...(evEma ? { emaAdapter: tr.ema_adapter!, evalEmaJob: evEma.id, evalEma: resultOf(evEma) } : {}),
      ...(tr.ema_decay !== undefined ? { emaDecay: tr.ema_decay } : {}),
      baselineJob: baseline.id,
      baselineReused: reusedOk,
      evalSettings,
      comparison: { raw, ...(ema ? { ema } : {}) },
      train: tr,
    };
  };
}

/** Submits the chain on `queue` (a queue over `store`, see `createJobQueue`); wait on it with `queue.wait(job.id)`. */
export function recontextualizeAndRetrain(
  store: Store,
  settings: ChainSettings,
  queue: JobQueue,
  name = 'recontextualize and retrain',
): JobRecord {
  void store; // the queue's chain runner is bound to the same store
  return queue.submit('chain', name, settings);
}
