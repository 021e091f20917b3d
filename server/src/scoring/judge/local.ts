/**
 * The LLM judge on a model the worker loads (a Hugging Face folder, a `.gguf` file or
 * `builtin:smollm2-135m`) instead of an endpoint. Only the source of completions changes: the rubric,
 * the batched comparative prompts, schema validation with one retry, the reply cache and the token
 * report are `LlmJudge`'s, as for an endpoint. The worker's `judge` command serves the model
 * (vLLM with the reply's JSON schema when installed, else transformers) for as long as the judge
 * lives; `dispose()` ends it.
 */
import type { WorkerFailure } from '../../jobs/worker';
import type { ReplyMessage } from '../../jobs/workerProtocol';
import type { ChatReply, ReplySchema } from './client';
import type { ChatCompleter } from './judge';
import type { ChatMessage } from './rubric';
import { ServingWorker, type ServingOptions } from '../local/serving';
import type { JudgeWorkerConfig } from '../local/monitorProtocol';

export interface LocalJudgeModel {
  /** A Hugging Face folder, a `.gguf` file or `builtin:smollm2-135m`. */
  readonly model: string;
  /** `auto` (the first CUDA device, else the CPU), `cpu`, `cuda:N`. */
  readonly device?: string;
  readonly backend?: 'auto' | 'vllm' | 'transformers';
  /** Cap of new tokens per reply (default 512). */
  readonly maxTokens?: number;
  /** Requests generated together (default 4). */
  readonly batchSize?: number;
}

export class LocalChatCompleter implements ChatCompleter {
  readonly endpoint: string;
  /** The last failure of the model (a missing package, a model that does not fit …), for reports. */
  lastError: string | undefined;
  private readonly worker: ServingWorker<'judge'>;

  constructor(
    readonly settings: LocalJudgeModel,
    opts: ServingOptions = {},
  ) {
    // The cache key names the model, so a local model's replies are never reused for an endpoint's.
    this.endpoint = `local:${settings.model}`;
    const config: JudgeWorkerConfig = {
      model: settings.model,
      ...(settings.device ? { device: settings.device } : {}),
      ...(settings.backend ? { backend: settings.backend } : {}),
      max_new_tokens: settings.maxTokens ?? 512,
      batch_size: settings.batchSize ?? 4,
    };
    this.worker = new ServingWorker('judge', config, opts);
  }

  /** `vllm` or `transformers` once the model is loaded. */
  get backend(): string | undefined {
    return this.worker.backend;
  }

  async complete(messages: readonly ChatMessage[], schema?: ReplySchema, signal?: AbortSignal): Promise<ChatReply> {
    let reply: ReplyMessage;
    try {
      reply = await this.worker.request(
        {
          type: 'chat',
          messages,
          ...(schema ? { schema: schema.schema } : {}),
          ...(this.settings.maxTokens ? { max_tokens: this.settings.maxTokens } : {}),
        },
        signal,
      );
    } catch (e) {
      if (signal?.aborted) throw e;
      const f = e as WorkerFailure;
      this.lastError = `${f.message}${f.suggestion ? ` (${f.suggestion})` : ''}`;
      throw new Error(`local judge model ${this.settings.model}: ${this.lastError}`);
    }
    if (reply.error !== undefined || typeof reply.content !== 'string') {
      this.lastError = reply.error ?? 'no content in the reply';
      throw new Error(`local judge model ${this.settings.model}: ${this.lastError}`);
    }
    return {
      content: reply.content,
      usage: { promptTokens: reply.prompt_tokens ?? 0, completionTokens: reply.completion_tokens ?? 0 },
      attempts: 1,
    };
  }

  dispose(): Promise<void> {
    return this.worker.close();
  }
}
