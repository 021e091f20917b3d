/**
 * `recontextualizeAndRetrain`: curate → recontextualize → export → fine-tune → evaluate, as one
 * `chain` job whose steps are child jobs (a `train` and an `eval`), each with its own log, metrics and
 * artifacts. Cancelling the chain cancels the running child.
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
  variantsFileFor,
  type CurationOptions,
} from '../curation';
import type { Store } from '../store/store';
import { PRESETS, type PresetName, type TrainSettings } from './presets';
import { JobFailure, type JobContext, type JobQueue } from './queue';
import type { JobRecord } from './types';
import type { DebugConfig } from './workerProtocol';

export interface ChainSettings extends DebugConfig {
  /** The base model to fine-tune (a folder, `.gguf` or `builtin:…`). */
  readonly model: string;
  readonly device?: string;
  /** Defaults for everything not given here (default `conservative`). */
  readonly preset?: PresetName;
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
    readonly problems?: readonly string[];
    readonly execute?: boolean;
    readonly seed?: number;
  };
  /** Evaluate the EMA adapter when training kept one (default true). */
  readonly useEma?: boolean;
}

export interface ChainResult {
  readonly exported: { readonly file: string; readonly rows: number; readonly recontextualized: Readonly<Record<string, number>> };
  readonly trainJob: string;
  readonly evalJob: string;
  readonly adapter: string;
  readonly train: unknown;
  readonly eval: unknown;
}

async function child(ctx: JobContext, kind: 'train' | 'eval', name: string, config: unknown): Promise<JobRecord> {
  const job = ctx.queue.submit(kind, name, config, { parent: ctx.job.id });
  ctx.log('info', `${kind} step: job ${job.id}`);
  const done = await ctx.queue.wait(job.id);
  if (done.status.state !== 'succeeded') {
    const why = done.status.state === 'failed' ? done.status.error.message : done.status.state === 'interrupted' ? done.status.reason : done.status.state;
    if (ctx.signal.aborted) ctx.signal.throwIfAborted();
    throw new JobFailure(done.status.state === 'failed' ? done.status.error.kind : 'internal', `the ${kind} step (job ${job.id}) ended ${done.status.state}: ${why}`,
      done.status.state === 'failed' ? done.status.error.suggestion : `resume it with: loophole jobs resume ${job.id}`);
  }
  return done;
}

export function chainRunner(store: Store) {
  return async (ctx: JobContext): Promise<ChainResult> => {
    const s = ctx.job.config as ChainSettings;
    const preset = PRESETS[s.preset ?? 'conservative'];
    const dataDir = path.dirname(path.dirname(store.dbPath));
    const variants = loadVariants(variantsFileFor(dataDir, s.variantsFile));
    const mapping = parseMapping(s.mapping ?? preset.mapping, variants);
    const curation: CurationOptions = { ...DEFAULT_CURATION_OPTIONS, select: preset.select, ...s.curation };

    const stats = curationCounts(storeSource(store).items(), curation, ctx.signal);
    ctx.log('info', `curated: ${stats.selected} of ${stats.candidates} candidates selected over ${stats.problems} problems`);
    const out = path.join(ctx.dir, 'data', 'train.jsonl');
    mkdirSync(path.dirname(out), { recursive: true });
    const exported = await exportDataset(storeSource(store), {
      format: 'chat', out, split: 0, seed: curation.seed, curation, variants, mapping, force: true, signal: ctx.signal, reviewSet: path.basename(dataDir),
    });
    ctx.log('info', `exported ${exported.rows.train} rows to ${out} (${Object.entries(exported.recontextualized).map(([k, v]) => `${k}: ${v}`).join(', ')})`);

    const debug = s.debug_hide_packages ? { debug_hide_packages: s.debug_hide_packages } : {};
    const train = await child(ctx, 'train', `${ctx.job.name}: train`, {
      ...preset.train, ...s.train, model: s.model, data: out, ...(s.device ? { device: s.device } : {}), ...debug,
    });
    const tr = (train.status as { result: { adapter?: string; ema_adapter?: string } }).result;
    const adapter = (s.useEma ?? true) && tr.ema_adapter ? tr.ema_adapter : tr.adapter;
    if (!adapter) throw new JobFailure('internal', `the train step (job ${train.id}) wrote no adapter`);

    const ev = await child(ctx, 'eval', `${ctx.job.name}: eval`, {
      model: s.model,
      adapter,
      variants: s.eval?.variants ?? preset.eval.variants,
      n: s.eval?.n ?? preset.eval.n,
      temperature: s.eval?.temperature ?? preset.eval.temperature,
      maxTokens: s.eval?.maxTokens ?? preset.eval.maxTokens,
      seed: s.eval?.seed ?? 0,
      ...(s.eval?.problems ? { problems: s.eval.problems } : {}),
      ...(s.eval?.execute !== undefined ? { execute: s.eval.execute } : {}),
      ...(s.variantsFile ? { variantsFile: s.variantsFile } : {}),
      ...(s.device ? { device: s.device } : {}),
    });
    return {
      exported: { file: out, rows: exported.rows.train, recontextualized: exported.recontextualized },
      trainJob: train.id,
      evalJob: ev.id,
      adapter,
      train: tr,
      eval: (ev.status as { result: unknown }).result,
    };
  };
}

/** Submits the chain on `queue` (a queue over `store`, see `createJobQueue`); wait on it with `queue.wait(job.id)`. */
export function recontextualizeAndRetrain(store: Store, settings: ChainSettings, queue: JobQueue, name = 'recontextualize and retrain'): JobRecord {
  void store; // the queue's chain runner is bound to the same store
  return queue.submit('chain', name, settings);
}
