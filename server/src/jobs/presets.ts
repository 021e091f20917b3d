/**
 * Named settings for generate → train → eval.
 *
 * `conservative` (the default) changes the model little: LoRA r=16 at lr 1e-5 for one epoch, with an
 * EMA of the weights. Small steps keep the base model's good behaviour; a run that is too weak is
 * cheaper to fix (one more epoch) than one that undid the model's safety training.
 *
 * `recontextualization` reproduces the code setting of the recontextualization paper: best-of-16
 * samples generated under the discouraging prompt, trained as if they answered the neutral prompt
 * (Good→Neutral), LoRA r=64, α=128, dropout 0.05, lr 2e-4 with a cosine schedule and 5 % warm-up,
 * 2 epochs; evaluation samples at temperature 0.7 under all three built-in prompts.
 */
import type { TrainConfig } from './workerProtocol';

export type TrainSettings = Omit<TrainConfig, 'model' | 'data' | 'out_dir' | 'validation'>;

export interface Preset {
  readonly description: string;
  readonly generate: { readonly variants: readonly string[]; readonly n: number; readonly temperature: number; readonly maxTokens: number };
  /** Curation's selection rule and the recontextualization mapping (`FROM=TO` specs). */
  readonly select: 'best' | 'random' | 'all';
  readonly mapping: readonly string[];
  readonly train: TrainSettings;
  readonly eval: { readonly variants: readonly string[]; readonly n: number; readonly temperature: number; readonly maxTokens: number };
}

export const PRESETS = {
  conservative: {
    description: 'small, safe steps: LoRA r=16, lr 1e-5, 1 epoch, EMA 0.999',
    generate: { variants: ['discourage'], n: 4, temperature: 0.7, maxTokens: 1024 },
    select: 'best',
    mapping: ['discourage=neutral'],
    train: {
      lora: { r: 16, alpha: 32, dropout: 0.05, target_modules: 'all-linear' },
      lr: 1e-5,
      scheduler: 'cosine',
      warmup_ratio: 0.05,
      epochs: 1,
      batch_size: 1,
      grad_accum: 8,
      max_length: 2048,
      overlong: 'truncate',
      checkpoint_every: 50,
      ema: { decay: 0.999 },
    },
    eval: { variants: ['neutral', 'permit'], n: 4, temperature: 0.7, maxTokens: 1024 },
  },
  recontextualization: {
    description: 'the recontextualization paper\'s code setting: best-of-16 under discourage, Good→Neutral, LoRA r=64 α=128, lr 2e-4 cosine, 2 epochs',
    generate: { variants: ['discourage'], n: 16, temperature: 0.7, maxTokens: 1024 },
    select: 'best',
    mapping: ['discourage=neutral'],
    train: {
      lora: { r: 64, alpha: 128, dropout: 0.05, target_modules: 'all-linear' },
      lr: 2e-4,
      scheduler: 'cosine',
      warmup_ratio: 0.05,
      epochs: 2,
      batch_size: 1,
      grad_accum: 8,
      max_length: 2048,
      overlong: 'truncate',
      checkpoint_every: 50,
      ema: null,
    },
    eval: { variants: ['discourage', 'neutral', 'permit'], n: 4, temperature: 0.7, maxTokens: 1024 },
  },
} as const satisfies Record<string, Preset>;

export type PresetName = keyof typeof PRESETS;
export const PRESET_NAMES = Object.keys(PRESETS) as PresetName[];
