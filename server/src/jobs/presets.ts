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
 * 2 epochs; evaluation samples at temperature 0.7 under all three built-in prompts. Selection uses
 * perfect labels: the best candidate the detector and the reviewer do not call a hack.
 *
 * `misspecified-reward` is the same run under the papers' main setting: the best of 16 is chosen by a
 * flawed signal, the share of the tests shown to the model passed (the incorrect test included), so
 * hacks are selected whenever they score higher. Comparing it with `recontextualization` shows what
 * the label quality buys.
 *
 * Each preset's EMA decay, when it keeps one, is chosen from the number of optimizer steps at train
 * time (see `ema.py`), with the warm-up `min(decay, (1 + t) / (10 + t))`.
 */
import type { TrainConfig } from './workerProtocol';
import type { PresetName, SelectionPolicy } from '../../../contract/jobs';

export type TrainSettings = Omit<TrainConfig, 'model' | 'data' | 'out_dir' | 'validation'>;

export interface Preset {
  readonly description: string;
  readonly generate: { readonly variants: readonly string[]; readonly n: number; readonly temperature: number; readonly maxTokens: number };
  /** Which candidate of each problem is trained on (see `SelectionPolicy`). */
  readonly policy: SelectionPolicy;
  /** The recontextualization mapping (`FROM=TO` specs). */
  readonly mapping: readonly string[];
  readonly train: TrainSettings;
  readonly eval: { readonly variants: readonly string[]; readonly n: number; readonly temperature: number; readonly maxTokens: number };
}

export const SELECTION_POLICIES: readonly SelectionPolicy[] = ['perfect-labels', 'misspecified-reward'];
export const SELECT_RULE_OF: Readonly<Record<SelectionPolicy, 'best' | 'reward'>> = {
  'perfect-labels': 'best',
  'misspecified-reward': 'reward',
};

const RECONTEXTUALIZATION_TRAIN: TrainSettings = {
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
  ema: {},
};

export const PRESETS = {
  conservative: {
    description: 'small, safe steps: LoRA r=16, lr 1e-5, 1 epoch, warmed-up EMA',
    generate: { variants: ['discourage'], n: 4, temperature: 0.7, maxTokens: 1024 },
    policy: 'perfect-labels',
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
      ema: {},
    },
    eval: { variants: ['neutral', 'permit'], n: 4, temperature: 0.7, maxTokens: 1024 },
  },
  recontextualization: {
    description:
      "the recontextualization paper's code setting: best-of-16 under discourage, Good→Neutral, LoRA r=64 α=128, lr 2e-4 cosine, 2 epochs",
    generate: { variants: ['discourage'], n: 16, temperature: 0.7, maxTokens: 1024 },
    policy: 'perfect-labels',
    mapping: ['discourage=neutral'],
    train: RECONTEXTUALIZATION_TRAIN,
    eval: { variants: ['discourage', 'neutral', 'permit'], n: 4, temperature: 0.7, maxTokens: 1024 },
  },
  'misspecified-reward': {
    description:
      "the papers' main setting: best-of-16 under discourage chosen by shown-test pass rate (the incorrect test included, hacks allowed), Good→Neutral, then as recontextualization",
    generate: { variants: ['discourage'], n: 16, temperature: 0.7, maxTokens: 1024 },
    policy: 'misspecified-reward',
    mapping: ['discourage=neutral'],
    train: RECONTEXTUALIZATION_TRAIN,
    eval: { variants: ['discourage', 'neutral', 'permit'], n: 4, temperature: 0.7, maxTokens: 1024 },
  },
} as const satisfies Record<PresetName, Preset>;
