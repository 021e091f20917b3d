import * as vscode from 'vscode';
import { PRESET_NAMES, type PresetName } from '../../contract/jobs';
import { settingDefault } from '../../contract/settings';

/** The `loophole.jobs.*` settings. Empty strings and zeros mean "not set": ask, or take the preset's. */
export interface JobSettings {
  readonly preset: PresetName;
  /** A Hugging Face model folder, a `.gguf` file or `builtin:smollm2-135m`; empty: ask. */
  readonly model: string;
  /** The prompt variant the curated samples are trained under (recontextualization's target). */
  readonly trainVariant: string;
  /** `auto`, `cpu`, `cuda:N`; empty: ask. */
  readonly device: string;
  /** A cap on optimizer steps (0: the preset's epochs decide). */
  readonly maxSteps: number;
  /** Evaluation samples per problem and variant, and tokens per sample (0: the preset's). */
  readonly evalSamples: number;
  readonly evalMaxTokens: number;
  /** `generate`: best-of-n of the model on the train problems; `existing`: the set's candidates. */
  readonly candidates: 'generate' | 'existing';
  /** Best-of-n and tokens per generated sample (0: the preset's). */
  readonly generateSamples: number;
  readonly generateMaxTokens: number;
}

export function jobSettings(): JobSettings {
  const c = vscode.workspace.getConfiguration('loophole.jobs');
  const defaultPreset = settingDefault('loophole.jobs.preset');
  const defaultVariant = settingDefault('loophole.jobs.trainVariant');
  const preset = c.get<string>('preset', defaultPreset);
  return {
    preset: (PRESET_NAMES as readonly string[]).includes(preset) ? (preset as PresetName) : defaultPreset,
    model: c.get<string>('model', '').trim(),
    trainVariant: c.get<string>('trainVariant', defaultVariant).trim() || defaultVariant,
    device: c.get<string>('device', '').trim(),
    maxSteps: Math.max(0, Math.floor(c.get<number>('maxSteps', 0))),
    evalSamples: Math.max(0, Math.floor(c.get<number>('evalSamples', 0))),
    evalMaxTokens: Math.max(0, Math.floor(c.get<number>('evalMaxTokens', 0))),
    candidates: c.get<string>('candidates', 'generate') === 'existing' ? 'existing' : 'generate',
    generateSamples: Math.max(0, Math.floor(c.get<number>('generateSamples', 0))),
    generateMaxTokens: Math.max(0, Math.floor(c.get<number>('generateMaxTokens', 0))),
  };
}

/**
 * The `retrain` job's config (`ChainSettings`): every generation variant is mapped to `trainVariant`
 * (a bare `TO` mapping), so samples generated under the discouraging prompt are trained as if they
 * answered the neutral one (Good→Neutral) by default.
 */
export function retrainConfig(s: JobSettings): Record<string, unknown> {
  return {
    model: s.model,
    mapping: [s.trainVariant],
    candidates: s.candidates,
    generate: {
      ...(s.generateSamples ? { n: s.generateSamples } : {}),
      ...(s.generateMaxTokens ? { maxTokens: s.generateMaxTokens } : {}),
    },
    ...(s.maxSteps ? { train: { max_steps: s.maxSteps } } : {}),
    eval: { ...(s.evalSamples ? { n: s.evalSamples } : {}), ...(s.evalMaxTokens ? { maxTokens: s.evalMaxTokens } : {}) },
  };
}
