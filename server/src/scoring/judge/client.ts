/**
 * The judge's view of an OpenAI-compatible chat endpoint: one completion's text and token usage, on the
 * shared client (`chat/endpoint.ts`: the `openai` package with our structured-output, Retry-After and
 * cancellation policies).
 */
import { ChatEndpoint, completionsUrl, type ChatEndpointOptions, type ReplySchema, type StructuredLevel } from '../../chat/endpoint';
import type { ChatMessage } from './rubric';

export {
  abortableDelay,
  ChatHttpError,
  completionsUrl,
  responseFormat,
  retryAfterMs,
  type ReplySchema,
  type StructuredLevel,
} from '../../chat/endpoint';

export interface ChatUsage {
  readonly promptTokens: number;
  readonly completionTokens: number;
}

export interface ChatReply {
  readonly content: string;
  readonly usage: ChatUsage;
  /** How many HTTP attempts it took (1 = no retry). */
  readonly attempts: number;
}

export interface ChatClientOptions extends Omit<ChatEndpointOptions, 'role'> {
  readonly model: string;
  readonly temperature?: number;
  readonly maxTokens?: number;
}

interface CompletionJson {
  choices?: { message?: { content?: string | null } }[];
  usage?: { prompt_tokens?: number; completion_tokens?: number };
}

export class ChatClient {
  private readonly http: ChatEndpoint;
  /** The completions URL: part of the judge cache's key. */
  readonly endpoint: string;

  constructor(readonly opts: ChatClientOptions) {
    this.http = new ChatEndpoint({ ...opts, role: 'judge endpoint' });
    this.endpoint = completionsUrl(opts.url);
  }

  /** The form of `response_format` this endpoint is sent now (it only ever steps down). */
  get structuredLevel(): StructuredLevel {
    return this.http.structuredLevel;
  }

  async complete(messages: readonly ChatMessage[], schema?: ReplySchema, signal?: AbortSignal): Promise<ChatReply> {
    const o = this.opts;
    const body: Record<string, unknown> = { model: o.model, messages, temperature: o.temperature ?? 0 };
    if (o.maxTokens) body['max_tokens'] = o.maxTokens;
    const { reply, attempts } = await this.http.complete<CompletionJson>({
      body,
      ...(schema ? { schema } : {}),
      ...(signal ? { signal } : {}),
    });
    const content = reply?.choices?.[0]?.message?.content;
    if (typeof content !== 'string') {
      throw new Error(`judge endpoint: no message content in the reply: ${JSON.stringify(reply).slice(0, 200)}`);
    }
    return {
      content,
      usage: { promptTokens: reply.usage?.prompt_tokens ?? 0, completionTokens: reply.usage?.completion_tokens ?? 0 },
      attempts,
    };
  }
}
