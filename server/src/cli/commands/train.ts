import { existsSync } from 'node:fs';
import path from 'node:path';
import { defineCommand, UsageError, type CliCommand } from '../command';
import { num, oneOf, parse, renamedOption } from '../args';
import { recontextualizeAndRetrain, type ChainSettings } from '../../jobs/chain';
import { chainText } from '../../jobs/evaluationReport';
import { PRESET_NAMES } from '../../../../contract/jobs';
import { PRESETS, SELECTION_POLICIES, type TrainSettings } from '../../jobs/presets';
import type { DeviceSpec } from '../../jobs/workerProtocol';
import { csv, describeJob, openStoreFor, queueFor, report, runJob, setPairs } from './jobsCli';
import type { ChainResult } from '../../../../contract/evaluation';

export const trainCommand: CliCommand = defineCommand({
  name: 'train',
  summary: 'LoRA fine-tune a model on an exported data set, or run curate → recontextualize → train → eval',
  usage: `Usage: loophole train [DATA] --model MODEL (--data FILE | --chain) [options]

Fine-tunes MODEL with LoRA on a chat JSONL file from \`loophole export\` (loss on the completion only),
as a job recorded in DATA's store (default: the working directory). With --chain, one job chain:
splits the problems into train and eval (seeded, by problem), generates best-of-n on the train
problems under the preset's generation prompt, analyses with execution, curates by the selection
policy, recontextualizes the prompts (--map), exports, trains, and evaluates the base model, the raw
adapter and the EMA adapter on the eval problems (test-based hack rates, paired comparisons).

  --model MODEL          a Hugging Face model folder, a .gguf file, or builtin:smollm2-135m
  --data FILE            training rows ({"messages"} or {"prompt","completion"})
  --validation FILE      rows for the final loss of the raw and EMA weights
  --preset NAME          ${PRESET_NAMES.map((n) => `${n} (${PRESETS[n].description})`).join('\n                         ')}
                         (default conservative)
  --lr X  --epochs N  --max-steps N  --batch-size N  --grad-accum N  --max-length N
  --overlong MODE        truncate|drop rows longer than --max-length (both are counted)
  --lora-r N  --lora-alpha N  --lora-dropout X
  --ema DECAY|auto       keep an EMA of the weights, 0 < DECAY < 1, warmed up as min(DECAY, (1+t)/(10+t));
                         auto: chosen from the number of optimizer steps; --no-ema to turn it off
  --checkpoint-every N   --set KEY=VALUE (any other worker setting, repeatable)
  --chain                split → generate → analyse → curate → recontextualize → train → eval
  --policy NAME          for --chain: ${SELECTION_POLICIES.join('|')} (default: the preset's)
  --existing             for --chain: train on the candidates already in the review set (no generation)
  --samples N            for --chain: best-of-N to generate (default: the preset's)
  --max-tokens N         for --chain: generation length (default: the preset's)
  --eval-fraction F      for --chain: share of problems held out for evaluation (default 0.5)
  --split-seed N         for --chain: seed of the split (default 0)
  --map FROM=TO          recontextualization for --chain (repeatable; default the preset's)
  --eval-variants LIST   --eval-samples N  --eval-max-tokens N  (for --chain)
  --device D             auto|cpu|cuda|cuda:N     --python PATH     --json
`,
  async run(args, ctx) {
    const { values, positionals } = parse(args, {
      model: { type: 'string' },
      data: { type: 'string' },
      validation: { type: 'string' },
      preset: { type: 'string' },
      lr: { type: 'string' },
      epochs: { type: 'string' },
      'max-steps': { type: 'string' },
      'batch-size': { type: 'string' },
      'grad-accum': { type: 'string' },
      'max-length': { type: 'string' },
      overlong: { type: 'string' },
      'lora-r': { type: 'string' },
      'lora-alpha': { type: 'string' },
      'lora-dropout': { type: 'string' },
      ema: { type: 'string' },
      'no-ema': { type: 'boolean' },
      'checkpoint-every': { type: 'string' },
      set: { type: 'string', multiple: true },
      chain: { type: 'boolean' },
      map: { type: 'string', multiple: true },
      'eval-variants': { type: 'string' },
      'eval-samples': { type: 'string' },
      'eval-max-tokens': { type: 'string' },
      policy: { type: 'string' },
      existing: { type: 'boolean' },
      samples: { type: 'string' },
      'max-tokens': { type: 'string' },
      /** Deprecated spelling of `--max-tokens`. */
      'max-new-tokens': { type: 'string' },
      'eval-fraction': { type: 'string' },
      'split-seed': { type: 'string' },
      device: { type: 'string' },
      python: { type: 'string' },
      json: { type: 'boolean' },
    });
    if (!values.model) throw new UsageError('--model is required');
    if (values.ema !== undefined && values['no-ema']) throw new UsageError('--ema and --no-ema contradict each other');
    const maxTokens = renamedOption(
      values,
      { current: 'max-tokens', old: 'max-new-tokens', arg: 'N', why: 'the generation length is --max-tokens in generate and eval too' },
      'train',
      ctx,
    );
    for (const f of [
      'policy',
      'existing',
      'samples',
      'max-tokens',
      'max-new-tokens',
      'eval-fraction',
      'split-seed',
      'eval-max-tokens',
    ] as const) {
      if (values[f] !== undefined && !values.chain) throw new UsageError(`--${f} goes with --chain`);
    }
    const policy = values.policy ? oneOf(values.policy, '--policy', SELECTION_POLICIES)! : undefined;
    const evalFraction = values['eval-fraction'] ? fraction(values['eval-fraction']) : undefined;
    if (!values.chain && !values.data) throw new UsageError('--data FILE is required (or --chain to export it from the review set)');
    const preset = oneOf(values.preset, '--preset', PRESET_NAMES) ?? 'conservative';
    const lora = {
      ...PRESETS[preset].train.lora,
      ...(values['lora-r'] ? { r: num(values['lora-r'], '--lora-r', 1, 4096)! } : {}),
      ...(values['lora-alpha'] ? { alpha: num(values['lora-alpha'], '--lora-alpha', 1, 1e6)! } : {}),
      ...(values['lora-dropout'] ? { dropout: num(values['lora-dropout'], '--lora-dropout', 0, 1)! } : {}),
    };
    const train = {
      ...PRESETS[preset].train,
      lora,
      ...(values.lr ? { lr: num(values.lr, '--lr', 0, 1)! } : {}),
      ...(values.epochs ? { epochs: num(values.epochs, '--epochs', 0, 1e4)! } : {}),
      ...(values['max-steps'] ? { max_steps: num(values['max-steps'], '--max-steps', 1, 1e9)! } : {}),
      ...(values['batch-size'] ? { batch_size: num(values['batch-size'], '--batch-size', 1, 1e4)! } : {}),
      ...(values['grad-accum'] ? { grad_accum: num(values['grad-accum'], '--grad-accum', 1, 1e5)! } : {}),
      ...(values['max-length'] ? { max_length: num(values['max-length'], '--max-length', 8, 1e7)! } : {}),
      ...(values.overlong ? { overlong: oneOf(values.overlong, '--overlong', ['truncate', 'drop'] as const)! } : {}),
      ...(values.ema !== undefined ? { ema: emaOf(values.ema) } : {}),
      ...(values['no-ema'] ? { ema: null } : {}),
      ...(values['checkpoint-every'] ? { checkpoint_every: num(values['checkpoint-every'], '--checkpoint-every', 1, 1e9)! } : {}),
      ...setPairs(values.set),
    } as Partial<TrainSettings>;
    const store = await openStoreFor(positionals[0], ctx);
    try {
      const queue = queueFor(store, values.python);
      if (values.chain) {
        const settings: ChainSettings = {
          model: values.model,
          preset,
          train,
          ...(values.map ? { mapping: values.map } : {}),
          ...(policy ? { policy } : {}),
          ...(values.existing ? { candidates: 'existing' as const } : {}),
          generate: {
            ...(values.samples ? { n: num(values.samples, '--samples', 1, 1e4)! } : {}),
            ...(maxTokens ? { maxTokens: num(maxTokens, '--max-tokens', 1, 1e6)! } : {}),
          },
          split: {
            ...(evalFraction !== undefined ? { evalFraction } : {}),
            ...(values['split-seed'] ? { seed: num(values['split-seed'], '--split-seed', 0, 2 ** 32 - 1)! } : {}),
          },
          ...(values.device ? { device: values.device as DeviceSpec } : {}),
          eval: {
            ...(values['eval-variants'] ? { variants: csv(values['eval-variants'])! } : {}),
            ...(values['eval-samples'] ? { n: num(values['eval-samples'], '--eval-samples', 1, 1e4)! } : {}),
            ...(values['eval-max-tokens'] ? { maxTokens: num(values['eval-max-tokens'], '--eval-max-tokens', 1, 1e6)! } : {}),
          },
        };
        const job = recontextualizeAndRetrain(store, settings, queue);
        const done = await runJob(queue, job, ctx, 'chain');
        if (done.status.state === 'succeeded' && values.json !== true) {
          ctx.stdout.write(`${describeJob(done)}\n${chainText(done.status.result as ChainResult)}`);
          return 0;
        }
        return report(done, ctx, values.json === true);
      }
      const data = path.resolve(ctx.cwd, values.data!);
      if (!existsSync(data)) throw new UsageError(`--data ${values.data}: no such file`);
      const job = queue.submit('train', `train ${path.basename(values.model)} on ${path.basename(data)}`, {
        ...train,
        ...(values.device ? { device: values.device } : {}),
        model: values.model,
        data,
        ...(values.validation ? { validation: path.resolve(ctx.cwd, values.validation) } : {}),
      });
      return report(await runJob(queue, job, ctx, 'train'), ctx, values.json === true);
    } finally {
      store.close();
    }
  },
});

/** `--ema`: a decay strictly between 0 and 1, or `auto` (chosen from the number of optimizer steps). */
export function emaOf(value: string): { decay?: number } {
  if (value === 'auto') return {};
  const d = Number(value);
  if (value.trim() === '' || !Number.isFinite(d) || !(d > 0 && d < 1)) {
    throw new UsageError(
      `--ema expects a decay above 0 and below 1 (e.g. 0.99) or 'auto', got '${value}'; to train without an EMA use --no-ema`,
    );
  }
  return { decay: d };
}

function fraction(value: string): number {
  const f = Number(value);
  if (!Number.isFinite(f) || !(f > 0 && f < 1))
    throw new UsageError(`--eval-fraction expects a share above 0 and below 1 (e.g. 0.5), got '${value}'`);
  return f;
}
