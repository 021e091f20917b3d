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

export type MonitorCommand = 'judge' | 'activations' | 'probe-train' | 'probe-score' | 'probe-serve';

interface LocalModelConfig {
  /** A Hugging Face folder, a `.gguf` file or `builtin:smollm2-135m`. */
  readonly model: string;
  readonly adapter?: string;
  readonly device?: string;
  readonly dtype?: 'auto' | 'float32' | 'bfloat16' | 'float16';
  readonly seed?: number;
}

export interface JudgeWorkerConfig extends LocalModelConfig {
  /** `auto`: vLLM when installed (Hugging Face folders only), else transformers. */
  readonly backend?: 'auto' | 'vllm' | 'transformers';
  /** Default cap of new tokens per reply (a request's `max_tokens` overrides it). */
  readonly max_new_tokens?: number;
  /** Requests generated together at most. */
  readonly batch_size?: number;
}

/** One candidate as the model reads it: the prompt as chat messages, then the completion. */
export interface ActivationItem {
  readonly id: string;
  readonly messages: readonly { readonly role: string; readonly content: string }[];
  readonly completion: string;
  /** Only for `probe-train`. */
  readonly label?: 'hack' | 'clean';
}

interface ActivationSettings {
  /** Decoder layers the residual stream has passed (0: embeddings; negative: from the end; default: the middle). */
  readonly layer?: number;
  /** Completion tokens read (the first ones; default 256). */
  readonly max_tokens?: number;
  /** Prompt tokens read (the last ones; default 256). */
  readonly max_prompt_tokens?: number;
  readonly batch_size?: number;
  /** Where pooled vectors are cached by content hash. */
  readonly cache_dir?: string;
}

export interface ActivationsConfig extends LocalModelConfig, ActivationSettings {
  readonly items: readonly ActivationItem[];
  /** A `.jsonl` file of `{id, vector}`. */
  readonly out: string;
}

export interface ProbeTrainConfig extends LocalModelConfig, ActivationSettings {
  readonly items: readonly ActivationItem[];
  /** The probe file to write (`.json`). */
  readonly out: string;
  /** L2 penalty on the standardised weights (default 0.05). */
  readonly l2?: number;
  /** Refuse with fewer labels of either class (default 5). */
  readonly min_per_class?: number;
  /** Report a 5-fold cross-validated AUROC (default true). */
  readonly cross_validate?: boolean;
}

export interface ProbeScoreConfig extends Partial<LocalModelConfig> {
  /** The probe file; its model is used unless `model` is given (which must then be the same model). */
  readonly probe: string;
  readonly items?: readonly ActivationItem[];
  readonly cache_dir?: string;
  readonly batch_size?: number;
}

export interface ExtractionStats {
  readonly cached: number;
  readonly computed: number;
  /** Tokens through the model (prompt and completion, capped). */
  readonly tokens: number;
  /** Seconds spent in forward passes (model loading excluded). */
  readonly seconds: number;
  readonly load_seconds: number;
  readonly candidates_per_s: number | null;
  readonly tokens_per_s: number | null;
}

export interface JudgeWorkerResult {
  readonly backend: 'vllm' | 'transformers';
  readonly requests: number;
  readonly prompt_tokens: number;
  readonly completion_tokens: number;
  readonly seconds: number;
}

export interface ActivationsResult {
  readonly out: string;
  readonly count: number;
  readonly layer: number;
  readonly model: string;
  readonly hidden_size: number;
  readonly stats: ExtractionStats;
}

export interface ProbeTrainResult {
  readonly probe: string;
  readonly layer: number;
  readonly model: string;
  readonly counts: { readonly hack: number; readonly clean: number };
  readonly train_auroc: number | null;
  readonly cv_auroc: number | null;
  readonly calibration?: ProbeCalibration;
  readonly fit_seconds: number;
  readonly stats: ExtractionStats;
}

export interface ProbeScoreResult {
  readonly scores: readonly { readonly id: string; readonly probability: number }[];
  readonly layer: number;
  readonly model: string;
  readonly stats: ExtractionStats;
}

export interface MonitorConfigs {
  readonly judge: JudgeWorkerConfig;
  readonly activations: ActivationsConfig;
  readonly 'probe-train': ProbeTrainConfig;
  readonly 'probe-score': ProbeScoreConfig & { readonly items: readonly ActivationItem[] };
  readonly 'probe-serve': ProbeScoreConfig;
}

export interface MonitorResults {
  readonly judge: JudgeWorkerResult;
  readonly activations: ActivationsResult;
  readonly 'probe-train': ProbeTrainResult;
  readonly 'probe-score': ProbeScoreResult;
  readonly 'probe-serve': Omit<ProbeScoreResult, 'scores'>;
}

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

/** Platt scaling of the probe's logit, fitted on out-of-fold logits; the slope is in [0, 1]. */
export interface ProbeCalibration {
  readonly method: 'platt-out-of-fold' | 'fixed-softening';
  readonly slope: number;
  readonly intercept: number;
}
