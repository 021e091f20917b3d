/**
 * A minimal client for OpenAI-compatible `POST {url}/v1/chat/completions` (vLLM, Ollama, llama.cpp,
 * OpenAI), on Node's global `fetch`.
 *
 * Failure policy:
 * - 429, 5xx, network errors and per-request timeouts are retried up to `maxRetries` times, waiting
 *   exponential backoff with full jitter, or the server's `Retry-After` (seconds or an HTTP date) when
 *   it sends one (capped by `maxRetryAfterMs`);
 * - structured output degrades per endpoint: `json_schema` (OpenAI, vLLM, Ollama) → `json_object` with
 *   a `schema` field (llama.cpp's server) → none; an error reply (any status) that names
 *   `response_format`/`json_schema` moves one step down and retries at once; any other 4xx is final;
 * - the caller's AbortSignal stops everything at once — the request in flight and any backoff wait —
 *   and rejects with the signal's reason; it is never retried.
 */
import type { ChatMessage } from './rubric';

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

/** The JSON Schema the reply must follow, sent as `response_format` as far as the endpoint allows. */
export interface ReplySchema {
  readonly name: string;
  readonly schema: object;
}

export type StructuredLevel = 'json_schema' | 'json_object' | 'none';
const LEVELS: readonly StructuredLevel[] = ['json_schema', 'json_object', 'none'];

export function responseFormat(level: StructuredLevel, s: ReplySchema): object | undefined {
  if (level === 'json_schema') return { type: 'json_schema', json_schema: { name: s.name, schema: s.schema, strict: true } };
  if (level === 'json_object') return { type: 'json_object', schema: s.schema };
  return undefined;
}

export interface ChatClientOptions {
  /** Base URL, with or without a trailing `/v1` (e.g. `http://127.0.0.1:8000`, `https://api.openai.com/v1`). */
  readonly url: string;
  readonly model: string;
  readonly apiKey?: string;
  /** Per-request timeout (default 60 s). */
  readonly timeoutMs?: number;
  /** Retries after the first attempt (default 4). */
  readonly maxRetries?: number;
  /** Backoff base: attempt k waits a random time in [0, base·2^k] (default 500 ms), at most `maxBackoffMs` (20 s). */
  readonly backoffBaseMs?: number;
  readonly maxBackoffMs?: number;
  /** Longest `Retry-After` honoured (default 60 s). */
  readonly maxRetryAfterMs?: number;
  readonly temperature?: number;
  readonly maxTokens?: number;
  /** Injected for tests and for callers that meter time; defaults to global fetch and an abortable timer. */
  readonly fetch?: typeof fetch;
  readonly delay?: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly random?: () => number;
}

export class ChatHttpError extends Error {
  override readonly name = 'ChatHttpError';
  constructor(
    readonly status: number,
    readonly body: string,
  ) {
    super(`judge endpoint answered HTTP ${status}: ${body.slice(0, 300)}`);
  }
}

export function completionsUrl(url: string): string {
  const base = url.replace(/\/+$/, '');
  if (/\/chat\/completions$/.test(base)) return base;
  return /\/v1$/.test(base) ? `${base}/chat/completions` : `${base}/v1/chat/completions`;
}

export function abortableDelay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** `Retry-After` as milliseconds: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const secs = Number(header.trim());
  if (Number.isFinite(secs) && secs >= 0) return secs * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

const retryableStatus = (s: number) => s === 429 || s === 408 || s >= 500;

export class ChatClient {
  private level = 0;
  readonly endpoint: string;

  constructor(readonly opts: ChatClientOptions) {
    this.endpoint = completionsUrl(opts.url);
  }

  /** The form of `response_format` this endpoint is sent now (it only ever steps down). */
  get structuredLevel(): StructuredLevel {
    return LEVELS[this.level]!;
  }

  async complete(messages: readonly ChatMessage[], schema?: ReplySchema, signal?: AbortSignal): Promise<ChatReply> {
    const o = this.opts;
    const doFetch = o.fetch ?? fetch;
    const delay = o.delay ?? abortableDelay;
    const random = o.random ?? Math.random;
    const maxRetries = o.maxRetries ?? 4;
    let lastError: unknown;
    for (let attempt = 0; attempt <= maxRetries; attempt++) {
      signal?.throwIfAborted();
      const timeout = AbortSignal.timeout(o.timeoutMs ?? 60_000);
      const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
      const body: Record<string, unknown> = { model: o.model, messages, temperature: o.temperature ?? 0 };
      if (o.maxTokens) body['max_tokens'] = o.maxTokens;
      const format = schema && responseFormat(this.structuredLevel, schema);
      if (format) body['response_format'] = format;
      let wait: number | undefined;
      try {
        const res = await doFetch(this.endpoint, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(o.apiKey ? { authorization: `Bearer ${o.apiKey}` } : {}) },
          body: JSON.stringify(body),
          signal: combined,
        });
        const text = await res.text();
        if (res.ok) {
          const json = JSON.parse(text) as {
            choices?: { message?: { content?: string | null } }[];
            usage?: { prompt_tokens?: number; completion_tokens?: number };
          };
          const content = json.choices?.[0]?.message?.content;
          if (typeof content !== 'string') throw new ChatHttpError(res.status, `no message content in the reply: ${text.slice(0, 200)}`);
          return {
            content,
            usage: { promptTokens: json.usage?.prompt_tokens ?? 0, completionTokens: json.usage?.completion_tokens ?? 0 },
            attempts: attempt + 1,
          };
        }
        if (format && /response_format|json_schema|json_object/i.test(text)) {
          this.level++;
          attempt--; // not a failure of the server: the same attempt again, one step less structured
          continue;
        }
        lastError = new ChatHttpError(res.status, text);
        if (!retryableStatus(res.status)) throw lastError;
        wait = retryAfterMs(res.headers.get('retry-after'));
        if (wait !== undefined) wait = Math.min(wait, o.maxRetryAfterMs ?? 60_000);
      } catch (e) {
        if (signal?.aborted) throw signal.reason;
        if (e instanceof ChatHttpError && !retryableStatus(e.status)) throw e;
        if (e instanceof SyntaxError) throw new ChatHttpError(200, `reply is not JSON: ${(e as Error).message}`);
        lastError = timeout.aborted ? new Error(`judge request timed out after ${o.timeoutMs ?? 60_000} ms`) : e;
      }
      if (attempt === maxRetries) break;
      const cap = Math.min(o.maxBackoffMs ?? 20_000, (o.backoffBaseMs ?? 500) * 2 ** attempt);
      await delay(wait ?? Math.floor(random() * cap), signal);
    }
    throw lastError instanceof Error ? lastError : new Error(String(lastError));
  }
}
