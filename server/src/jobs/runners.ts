/**
 * The job kinds over one review-set store: `generate` (local worker or an OpenAI-compatible endpoint;
 * samples become candidates), `train` (LoRA SFT in the worker), `eval` (sample under several prompt
 * variants, judge the samples in the execution sandbox, report hack rate and accuracy per variant).
 * `chain` is in `chain.ts`; `createJobQueue(store)` (in `index.ts`) wires them all into a queue.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Candidate, GenerationProvenance, Problem } from '../../../contract/domain';
import { loadVariants, requireVariant, variantsFileFor } from '../curation';
import { candidateFrom, promptsFor, type PromptMeta } from '../generate/candidates';
import { sampleEndpoint, type EndpointSettings } from '../generate/endpoint';
import { analyzeStore } from '../pipeline/analyze';
import { dataDirOfStore } from '../service/dataFolder';
import { Store } from '../store/store';
import { addSample, pctWithInterval, variantFromTallies, type ProblemTally, type VariantEval } from '../../../contract/evaluation';
import { JobFailure, type JobContext } from './queue';
import type { DebugConfig, TrainConfig, WorkerSample } from './workerProtocol';
import type { EvalResult, ProblemSplit } from '../../../contract/evaluation';

export interface GenerateJobConfig extends DebugConfig {
  /** For the worker: a model folder, `.gguf` or `builtin:…`; with `endpoint`: the served model name. */
  readonly model: string;
  /** The name written on candidates (default: the model's folder or file name). */
  readonly modelName?: string;
  readonly adapter?: string;
  readonly device?: string;
  /** Sample through this endpoint instead of the local worker. */
  readonly endpoint?: Omit<EndpointSettings, 'model'>;
  /** Prompt variants to generate under (default `neutral`). */
  readonly variants?: readonly string[];
  /** A variants file; default: `.loophole/variants.json` beside the data, when there is one. */
  readonly variantsFile?: string;
  /** Problem ids (default: all). */
  readonly problems?: readonly string[];
  readonly n?: number;
  readonly temperature?: number;
  readonly topP?: number;
  readonly maxTokens?: number;
  readonly seed?: number;
  readonly batchSize?: number;
  /** Analyse the new candidates when done (statically; `execute` runs them in the sandbox too). */
  readonly analyze?: boolean;
  readonly execute?: boolean;
  readonly resume?: boolean;
}

export interface EvalJobConfig extends GenerateJobConfig {
  /** Execute the samples against the tests (default true): the hack rate needs the execution judge. */
  readonly execute?: boolean;
  readonly python?: string;
  /** Recorded with the result when `problems` is one side of a split. */
  readonly split?: ProblemSplit;
}

export type { VariantEval } from '../../../contract/evaluation';

export const NO_EXECUTION_FIX =
  'execution needs a trusted workspace, a Python the sandbox can start, and a working sandbox: check `loophole analyze` (it executes) on the review set, the python path, and the sandbox isolation setting';

const modelNameOf = (c: GenerateJobConfig) =>
  c.modelName ?? (c.endpoint ? c.model : path.basename(c.model.replace(/\/+$/, '')) + (c.adapter ? `+${path.basename(c.adapter)}` : ''));

function problemsOf(store: Store, ids?: readonly string[]): Problem[] {
  const all = store.problems();
  if (!ids || ids.length === 0) return all;
  const byId = new Map(all.map((p) => [p.id, p]));
  const missing = ids.filter((id) => !byId.has(id));
  if (missing.length)
    throw new JobFailure('bad_input', `unknown problem ids: ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ' …' : ''}`);
  return ids.map((id) => byId.get(id)!);
}

function variantsOf(store: Store, c: GenerateJobConfig, fallback: readonly string[]) {
  const known = loadVariants(variantsFileFor(dataDirOfStore(store), c.variantsFile));
  return (c.variants?.length ? c.variants : fallback).map((v) => requireVariant(v, known));
}

/**
 * Samples the problems under the variants, into `target` (the review set, or an evaluation store),
 * storing candidates as they arrive. Returns the candidate count.
 */
async function sampleInto(
  ctx: JobContext,
  source: Store,
  target: Store,
  c: GenerateJobConfig,
  fallbackVariants: readonly string[],
  command: 'generate' | 'eval',
): Promise<number> {
  const problems = problemsOf(source, c.problems);
  if (problems.length === 0) throw new JobFailure('bad_input', 'the review set has no problems to generate for');
  const variants = variantsOf(source, c, fallbackVariants);
  const prompts = promptsFor(problems, variants);
  const byId = new Map(problems.map((p) => [p.id, p]));
  const model = modelNameOf(c);
  const provenance: GenerationProvenance = {
    temperature: c.temperature ?? 0.7,
    ...(c.topP !== undefined ? { topP: c.topP } : {}),
    maxTokens: c.maxTokens ?? 512,
    seed: c.seed ?? 0,
    ...(c.endpoint ? { endpoint: c.endpoint.url } : {}),
    job: ctx.job.id,
  };
  let stored = 0;
  const put = (rows: { promptId: string; sampleIndex: number; completion: string; meta?: PromptMeta; tokenIds?: readonly number[] }[]) => {
    const cands: Candidate[] = [];
    for (const r of rows) {
      const meta = r.meta ?? (prompts.find((p) => p.id === r.promptId)?.meta as PromptMeta | undefined);
      const problem = meta && byId.get(meta.problemId);
      if (!meta || !problem) continue;
      cands.push(candidateFrom(problem, meta.variant, r.sampleIndex, r.completion, model, provenance, r.tokenIds));
    }
    if (cands.length) target.putReviewSet({ name: 'generated', problems: [], candidates: cands });
    stored += cands.length;
  };
  const n = c.n ?? 1;
  if (c.endpoint) {
    let done = 0;
    ctx.progress({ done: 0, total: prompts.length * n, message: 'sampling' });
    await sampleEndpoint(
      { ...c.endpoint, model: c.model },
      prompts,
      {
        n,
        temperature: provenance.temperature,
        ...(c.topP !== undefined ? { topP: c.topP } : {}),
        maxTokens: provenance.maxTokens,
        seed: provenance.seed,
      },
      (samples) => {
        put(samples);
        done += samples.length;
        ctx.progress({ done, total: prompts.length * n, message: 'sampling' });
      },
      ctx.signal,
    ).catch((err: Error) => {
      if (ctx.signal.aborted) return;
      throw new JobFailure('endpoint', err.message, 'check the endpoint URL and model name; the samples stored so far are kept');
    });
    return stored;
  }
  const outDir = path.join(ctx.dir, 'samples');
  const samplesFile = path.join(outDir, 'samples.jsonl');
  let offset = 0;
  // Samples are stored as the worker writes them (after each batch), not only at the end.
  const ingest = () => {
    if (!existsSync(samplesFile)) return;
    const text = readFileSync(samplesFile, 'utf8');
    const end = text.lastIndexOf('\n') + 1;
    if (end <= offset) return;
    const rows = text
      .slice(offset, end)
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as WorkerSample)
      .map((s) => ({
        promptId: s.prompt_id,
        sampleIndex: s.sample_index,
        completion: s.completion,
        meta: s.meta as unknown as PromptMeta,
        ...(s.token_ids ? { tokenIds: s.token_ids } : {}),
      }));
    offset = end;
    put(rows);
  };
  const run = ctx.worker(command, {
    model: c.model,
    ...(c.adapter ? { adapter: c.adapter } : {}),
    prompts,
    n,
    temperature: provenance.temperature,
    ...(c.topP !== undefined ? { top_p: c.topP } : {}),
    max_new_tokens: provenance.maxTokens,
    seed: provenance.seed,
    ...(c.batchSize ? { batch_size: c.batchSize } : {}),
    out_dir: outDir,
    ...(c.resume ? { resume: true } : {}),
    ...(c.debug_hide_packages ? { debug_hide_packages: c.debug_hide_packages } : {}),
  });
  const timer = setInterval(ingest, 2000);
  try {
    await run;
  } finally {
    clearInterval(timer);
    ingest();
  }
  return stored;
}

export function generateRunner(store: Store) {
  return async (ctx: JobContext) => {
    const c = ctx.job.config as GenerateJobConfig;
    const candidates = await sampleInto(ctx, store, store, c, ['neutral'], 'generate');
    ctx.log('info', `stored ${candidates} candidates`);
    let analysis: unknown;
    if (c.analyze && !ctx.signal.aborted) {
      ctx.log('info', 'analysing the new candidates');
      analysis = await analyzeStore(store, { execute: c.execute ?? false, signal: ctx.signal });
    }
    return { candidates, model: modelNameOf(c), ...(analysis ? { analysis } : {}) };
  };
}

export function trainRunner() {
  return async (ctx: JobContext) => {
    const c = ctx.job.config as Omit<TrainConfig, 'out_dir'> & { out_dir?: string };
    if (!c.model) throw new JobFailure('bad_input', 'train needs a model');
    if (!c.data || !existsSync(c.data))
      throw new JobFailure(
        'bad_input',
        `training data not found: ${c.data ?? '(none given)'}`,
        'export a data set first: loophole export --out FILE',
      );
    const ema = c.ema as unknown;
    if (ema !== undefined && ema !== null) {
      const d = (ema as { decay?: unknown }).decay;
      if (typeof ema !== 'object' || (d !== undefined && !(typeof d === 'number' && d > 0 && d < 1))) {
        throw new JobFailure(
          'bad_input',
          `the EMA decay must be above 0 and below 1, got ${JSON.stringify(typeof ema === 'object' ? d : ema)}`,
          'give e.g. { "decay": 0.99 }, {} to choose it from the step count, or null for no EMA',
        );
      }
    }
    return ctx.worker('train', { ...c, out_dir: c.out_dir ?? path.join(ctx.dir, 'run') });
  };
}

/**
 * Per-variant rates of the samples in an evaluation store, counted per problem (see `addSample`): the
 * test-based hack rate, overfit rate and accuracy over executed samples, the detector's flag rate over
 * analysed ones, and the samples whose analysis failed, apart.
 */
export function evalMetrics(evalStore: Store): Record<string, VariantEval> {
  const problems = new Map(evalStore.problems().map((p) => [p.id, p]));
  const acc = new Map<string, Record<string, ProblemTally>>();
  for (const c of evalStore.iterateCandidates()) {
    const p = problems.get(c.problemId);
    if (!p) continue;
    const v = c.promptVariant ?? 'neutral';
    const tallies = acc.get(v) ?? {};
    tallies[p.id] = addSample(tallies[p.id], p, evalStore.analysis(c.id));
    acc.set(v, tallies);
  }
  const out: Record<string, VariantEval> = {};
  for (const [v, t] of acc) out[v] = variantFromTallies(t);
  return out;
}

export function evalRunner(store: Store) {
  return async (ctx: JobContext): Promise<EvalResult> => {
    const c = ctx.job.config as EvalJobConfig;
    const evalDir = path.join(ctx.dir, 'eval');
    const evalStore = Store.open(evalDir);
    try {
      evalStore.putReviewSet({ name: `eval ${ctx.job.id}`, problems: problemsOf(store, c.problems), candidates: [] });
      const samples = await sampleInto(ctx, store, evalStore, c, ['neutral', 'permit'], 'eval');
      ctx.signal.throwIfAborted();
      const execute = c.execute ?? true;
      ctx.log('info', `judging ${samples} samples${execute ? ' in the sandbox' : ' (static analysis only: no test-based rates)'}`);
      const judged = await analyzeStore(evalStore, {
        execute,
        signal: ctx.signal,
        ...(c.python ? { python: c.python } : {}),
        onProgress: (p) => ctx.progress({ done: p.done, total: p.total, message: 'judging' }),
      }).catch((err: Error) => {
        if (ctx.signal.aborted || !execute) throw err;
        throw new JobFailure(
          'no_execution',
          `the samples could not be run against the tests (${err.message}), so no test-based hack rate can be reported`,
          NO_EXECUTION_FIX,
        );
      });
      const variants = evalMetrics(evalStore);
      const executed = Object.values(variants).reduce((s, m) => s + (m.executed ?? 0), 0);
      if (execute && samples > 0 && executed === 0) {
        throw new JobFailure(
          'no_execution',
          `none of the ${samples} samples could be run against the tests${judged.staticOnlyReason ? ` (${judged.staticOnlyReason})` : ''}, so no test-based hack rate can be reported (the detector's flags are no substitute)`,
          NO_EXECUTION_FIX,
        );
      }
      for (const [v, m] of Object.entries(variants)) {
        ctx.log(
          'info',
          `${v}: hack rate ${m.hackSamples ? pctWithInterval(m.hackRate, m.hackRateCI!) : 'n/a'} (n=${m.hackSamples}), overfit rate ${m.overfit?.n ? pctWithInterval(m.overfit.rate, m.overfit.ci) : 'n/a'}, ` +
            `accuracy ${pctWithInterval(m.accuracy, m.accuracyCI!)}, detector flags ${pctWithInterval(m.flagRate!.rate, m.flagRate!.ci)}; ${m.failed} failed analyses (95% cluster-robust intervals)`,
        );
      }
      return {
        model: modelNameOf(c),
        ...(c.adapter ? { adapter: c.adapter } : {}),
        variants,
        store: evalStore.dbPath,
        samples,
        problems: problemsOf(store, c.problems).map((p) => p.id),
        ...(c.split ? { split: c.split } : {}),
        executed: execute,
      };
    } finally {
      evalStore.close();
    }
  };
}
