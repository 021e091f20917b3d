/**
 * The worker commands of the local monitors (`server/python/loophole_worker/judge_local.py`,
 * `activations.py`, `linear_probe.py`): their configs and results, merged into the worker contract
 * (`jobs/workerProtocol.ts`).
 *
 * - `judge` serves chat completions for the LLM judge: after `ready`, `chat` requests on stdin get
 *   `reply` messages (content and token counts) until stdin closes; the rubric, validation, retry and
 *   cache stay with the server's `LlmJudge`.
 * - `activations` writes pooled hidden states (mean over the completion's tokens after `layer` decoder
 *   layers) as JSON lines.
 * - `probe-train` fits a class-balanced logistic probe on labelled items and writes the probe file.
 * - `probe-score` scores items once; `probe-serve` answers `score` requests until stdin closes.
 * Activations are cached in `cache_dir` by content hash (model identity, layer, token caps, text).
 */

import { Type } from 'typebox';
import type { Wire } from '../../../../contract/schema';

export const MONITOR_COMMANDS = ['judge', 'activations', 'probe-train', 'probe-score', 'probe-serve'] as const;
export type MonitorCommand = (typeof MONITOR_COMMANDS)[number];

const Dtype = () => Type.Enum(['auto', 'float32', 'bfloat16', 'float16']);

const localModel = {
  /** A Hugging Face folder, a `.gguf` file or `builtin:smollm2-135m`. */
  model: Type.String(),
  adapter: Type.Optional(Type.String()),
  device: Type.Optional(Type.String()),
  dtype: Type.Optional(Dtype()),
  seed: Type.Optional(Type.Number()),
};

export const JudgeWorkerConfig = Type.Object({
  ...localModel,
  /** `auto`: vLLM when installed (Hugging Face folders only), else transformers. */
  backend: Type.Optional(Type.Enum(['auto', 'vllm', 'transformers'])),
  /** Default cap of new tokens per reply (a request's `max_tokens` overrides it). */
  max_new_tokens: Type.Optional(Type.Number()),
  /** Requests generated together at most. */
  batch_size: Type.Optional(Type.Number()),
});
export type JudgeWorkerConfig = Wire<typeof JudgeWorkerConfig>;

/** One candidate as the model reads it: the prompt as chat messages, then the completion. */
export const ActivationItem = Type.Object({
  id: Type.String(),
  messages: Type.Array(Type.Object({ role: Type.String(), content: Type.String() })),
  completion: Type.String(),
  /** Only for `probe-train`. */
  label: Type.Optional(Type.Enum(['hack', 'clean'])),
});
export type ActivationItem = Wire<typeof ActivationItem>;

const activationSettings = {
  /** Decoder layers the residual stream has passed (0: embeddings; negative: from the end; default: the middle). */
  layer: Type.Optional(Type.Number()),
  /** Completion tokens read (the first ones; default 256). */
  max_tokens: Type.Optional(Type.Number()),
  /** Prompt tokens read (the last ones; default 256). */
  max_prompt_tokens: Type.Optional(Type.Number()),
  batch_size: Type.Optional(Type.Number()),
  /** Where pooled vectors are cached by content hash. */
  cache_dir: Type.Optional(Type.String()),
};

export const ActivationsConfig = Type.Object({
  ...localModel,
  ...activationSettings,
  items: Type.Array(ActivationItem),
  /** A `.jsonl` file of `{id, vector}`. */
  out: Type.String(),
});
export type ActivationsConfig = Wire<typeof ActivationsConfig>;

export const ProbeTrainConfig = Type.Object({
  ...localModel,
  ...activationSettings,
  items: Type.Array(ActivationItem),
  /** The probe file to write (`.json`). */
  out: Type.String(),
  /** L2 penalty on the standardised weights (default 0.05). */
  l2: Type.Optional(Type.Number()),
  /** Refuse with fewer labels of either class (default 5). */
  min_per_class: Type.Optional(Type.Number()),
  /** Report a 5-fold cross-validated AUROC (default true). */
  cross_validate: Type.Optional(Type.Boolean()),
});
export type ProbeTrainConfig = Wire<typeof ProbeTrainConfig>;

const probeScore = {
  model: Type.Optional(localModel.model),
  adapter: localModel.adapter,
  device: localModel.device,
  dtype: localModel.dtype,
  seed: localModel.seed,
  /** The probe file; its model is used unless `model` is given (which must then be the same model). */
  probe: Type.String(),
  cache_dir: Type.Optional(Type.String()),
  batch_size: Type.Optional(Type.Number()),
};
export const ProbeScoreConfig = Type.Object({ ...probeScore, items: Type.Optional(Type.Array(ActivationItem)) });
export type ProbeScoreConfig = Wire<typeof ProbeScoreConfig>;

export const ExtractionStats = Type.Object({
  cached: Type.Number(),
  computed: Type.Number(),
  /** Tokens through the model (prompt and completion, capped). */
  tokens: Type.Number(),
  /** Seconds spent in forward passes (model loading excluded). */
  seconds: Type.Number(),
  load_seconds: Type.Number(),
  candidates_per_s: Type.Union([Type.Number(), Type.Null()]),
  tokens_per_s: Type.Union([Type.Number(), Type.Null()]),
});
export type ExtractionStats = Wire<typeof ExtractionStats>;

export const JudgeWorkerResult = Type.Object({
  backend: Type.Enum(['vllm', 'transformers']),
  requests: Type.Number(),
  prompt_tokens: Type.Number(),
  completion_tokens: Type.Number(),
  seconds: Type.Number(),
});
export type JudgeWorkerResult = Wire<typeof JudgeWorkerResult>;

export const ActivationsResult = Type.Object({
  out: Type.String(),
  count: Type.Number(),
  layer: Type.Number(),
  model: Type.String(),
  hidden_size: Type.Number(),
  stats: ExtractionStats,
});
export type ActivationsResult = Wire<typeof ActivationsResult>;

const ClassCounts = () => Type.Object({ hack: Type.Number(), clean: Type.Number() });
const Auroc = () => Type.Union([Type.Number(), Type.Null()]);

/** Platt scaling of the probe's logit, fitted on out-of-fold logits; the slope is in [0, 1]. */
export const ProbeCalibration = Type.Object({
  method: Type.Enum(['platt-out-of-fold', 'fixed-softening']),
  slope: Type.Number(),
  intercept: Type.Number(),
});
export type ProbeCalibration = Wire<typeof ProbeCalibration>;

export const ProbeTrainResult = Type.Object({
  probe: Type.String(),
  layer: Type.Number(),
  model: Type.String(),
  counts: ClassCounts(),
  train_auroc: Auroc(),
  cv_auroc: Auroc(),
  calibration: Type.Optional(ProbeCalibration),
  fit_seconds: Type.Number(),
  stats: ExtractionStats,
});
export type ProbeTrainResult = Wire<typeof ProbeTrainResult>;

const probeScoreResult = { layer: Type.Number(), model: Type.String(), stats: ExtractionStats };
export const ProbeScoreResult = Type.Object({
  scores: Type.Array(Type.Object({ id: Type.String(), probability: Type.Number() })),
  ...probeScoreResult,
});
export type ProbeScoreResult = Wire<typeof ProbeScoreResult>;

/** Each monitor command's config (`start.config`). */
export const MONITOR_CONFIGS = {
  judge: JudgeWorkerConfig,
  activations: ActivationsConfig,
  'probe-train': ProbeTrainConfig,
  'probe-score': Type.Object({ ...probeScore, items: Type.Array(ActivationItem) }),
  'probe-serve': ProbeScoreConfig,
} as const;
export type MonitorConfigs = { readonly [C in MonitorCommand]: Wire<(typeof MONITOR_CONFIGS)[C]> };

/** Each monitor command's `result.data`. */
export const MONITOR_RESULTS = {
  judge: JudgeWorkerResult,
  activations: ActivationsResult,
  'probe-train': ProbeTrainResult,
  'probe-score': ProbeScoreResult,
  'probe-serve': Type.Object(probeScoreResult),
} as const;
export type MonitorResults = { readonly [C in MonitorCommand]: Wire<(typeof MONITOR_RESULTS)[C]> };

/** What a probe file records (written by `probe-train`); the server reads it to name the model in messages. */
export interface ProbeFile {
  readonly format: 'loophole-probe-1';
  readonly model: {
    readonly spec: string;
    readonly identity: string;
    readonly num_layers: number;
    readonly hidden_size: number;
    readonly model_type: string;
  };
  readonly layer: number;
  readonly pooling: string;
  readonly max_tokens: number;
  readonly max_prompt_tokens: number;
  readonly counts: { readonly hack: number; readonly clean: number };
  readonly train_auroc: number | null;
  readonly cv_auroc: number | null;
  /** Applied to the fit's logit before the sigmoid (absent in probes written before calibration). */
  readonly calibration?: ProbeCalibration;
  readonly trained_at: string;
}
