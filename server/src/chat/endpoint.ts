/**
 * The one client for OpenAI-compatible chat endpoints (vLLM, Ollama, llama.cpp, OpenAI), used by the
 * LLM judge and by generation. It is the `openai` package's client, with base URL, key, timeout and
 * retries from the caller; on top of it, three policies of ours sit in the fetch it is given:
 *
 * - structured output degrades per endpoint: `json_schema` (OpenAI, vLLM, Ollama) → `json_object` with
 *   a `schema` field (llama.cpp's server) → none; an error reply (any status) that names
 *   `response_format`/`json_schema` moves one step down and is sent again at once, without counting as
 *   a failed attempt;
 * - a `Retry-After` (seconds or an HTTP date) is honoured up to `maxRetryAfterMs`, in a wait the caller's
 *   signal cancels; without one, the package's exponential backoff with jitter applies (429, 408, 409,
 *   5xx, dropped connections and timeouts are retried up to `maxRetries` times, other 4xx are final);
 * - the caller's AbortSignal stops everything at once — the request in flight and any wait — and the
 *   call rejects with the signal's reason; it is never retried.
 */
import OpenAI from 'openai';

export type StructuredLevel = 'json_schema' | 'json_object' | 'none';
const LEVELS: readonly StructuredLevel[] = ['json_schema', 'json_object', 'none'];

/** The JSON Schema the reply must follow, sent as `response_format` as far as the endpoint allows. */
export interface ReplySchema {
  readonly name: string;
  readonly schema: object;
}

export function responseFormat(level: StructuredLevel, s: ReplySchema): object | undefined {
  if (level === 'json_schema') return { type: 'json_schema', json_schema: { name: s.name, schema: s.schema, strict: true } };
  if (level === 'json_object') return { type: 'json_object', schema: s.schema };
  return undefined;
}

export interface ChatEndpointOptions {
  /** Base URL, with or without a trailing `/v1`, or the full `/chat/completions` URL. */
  readonly url: string;
  /** Sent as a bearer token; none is sent without one. */
  readonly apiKey?: string;
  /** Per attempt (default 60 s). */
  readonly timeoutMs?: number;
  /** Retries after the first attempt (default 4). */
  readonly maxRetries?: number;
  /** Longest `Retry-After` honoured (default 60 s). */
  readonly maxRetryAfterMs?: number;
  /** What the endpoint is for, in error messages (default `endpoint`). */
  readonly role?: string;
  /** Injected for tests and for callers that route requests; defaults to the global fetch. */
  readonly fetch?: typeof fetch;
}

/** An error reply: its status and body. */
export class ChatHttpError extends Error {
  override readonly name = 'ChatHttpError';
  constructor(
    readonly status: number,
    readonly body: string,
    role = 'endpoint',
  ) {
    super(`${role} answered HTTP ${status}: ${body.slice(0, 300)}`);
  }
}

/** The base URL the `openai` client wants (it appends `/chat/completions`), from any of the forms users
 *  write: a host (`/v1` is added), a `/v1` base, or the full completions URL (taken as is). */
export function baseUrl(url: string): string {
  const base = url.replace(/\/+$/, '');
  if (/\/chat\/completions$/.test(base)) return base.replace(/\/chat\/completions$/, '');
  return /\/v1$/.test(base) ? base : `${base}/v1`;
}

/** The completions URL requests go to. */
export function completionsUrl(url: string): string {
  return `${baseUrl(url)}/chat/completions`;
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

const retryableStatus = (s: number) => s === 429 || s === 408 || s === 409 || s >= 500;

export interface ChatCall {
  /** The request body beside `response_format` (model, messages, sampling parameters). */
  readonly body: Record<string, unknown>;
  readonly schema?: ReplySchema;
  readonly signal?: AbortSignal;
}

export interface ChatResult<T> {
  readonly reply: T;
  /** HTTP attempts it took (1 = no retry; structured-output step-downs do not count). */
  readonly attempts: number;
}

export class ChatEndpoint {
  private level = 0;
  readonly baseURL: string;

  constructor(readonly opts: ChatEndpointOptions) {
    this.baseURL = baseUrl(opts.url);
  }

  /** The form of `response_format` this endpoint is sent now (it only ever steps down). */
  get structuredLevel(): StructuredLevel {
    return LEVELS[this.level]!;
  }

  /** One chat completion, as the endpoint's JSON (so fields beyond OpenAI's, like `reasoning_content`, survive). */
  async complete<T = OpenAI.ChatCompletion>(call: ChatCall): Promise<ChatResult<T>> {
    const o = this.opts;
    const role = o.role ?? 'endpoint';
    const timeoutMs = o.timeoutMs ?? 60_000;
    const maxRetries = o.maxRetries ?? 4;
    const { schema } = call;
    const outer = call.signal;
    outer?.throwIfAborted();
    // One listener on the caller's signal per call, however many the package and the waits add to
    // this call's own: many calls in flight share the caller's signal.
    const own = outer ? new AbortController() : undefined;
    const forward = () => own!.abort(outer!.reason);
    outer?.addEventListener('abort', forward, { once: true });
    const signal = own?.signal;
    let attempts = 0;
    let lastError: ChatHttpError | undefined;
    const baseFetch = o.fetch ?? fetch;
    const withFormat = (init: RequestInit | undefined): RequestInit | undefined => {
      if (!schema || typeof init?.body !== 'string') return init;
      const body = JSON.parse(init.body) as Record<string, unknown>;
      const format = responseFormat(this.structuredLevel, schema);
      if (format) body['response_format'] = format;
      else delete body['response_format'];
      return { ...init, body: JSON.stringify(body) };
    };
    const policyFetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
      for (;;) {
        attempts++;
        const res = await baseFetch(input, withFormat(init));
        if (res.ok) return res;
        const text = await res.text();
        if (schema && this.structuredLevel !== 'none' && /response_format|json_schema|json_object/i.test(text)) {
          this.level++;
          attempts--; // not a failure of the server: the same attempt again, one step less structured
          continue;
        }
        lastError = new ChatHttpError(res.status, text, role);
        const headers = new Headers(res.headers);
        const after = retryAfterMs(headers.get('retry-after'));
        if (after !== undefined && retryableStatus(res.status)) {
          // Our wait (capped, cancellable) replaces the package's, which would not listen to the signal.
          if (attempts <= maxRetries) await abortableDelay(Math.min(after, o.maxRetryAfterMs ?? 60_000), signal);
          headers.delete('retry-after');
          headers.set('retry-after-ms', '0');
        }
        // A fresh body (the original was read); statuses that carry none keep none.
        const body = [101, 204, 205, 304].includes(res.status) ? null : text;
        return new Response(body, { status: res.status, statusText: res.statusText, headers });
      }
    };
    const client = new OpenAI({
      baseURL: this.baseURL,
      apiKey: o.apiKey || 'none',
      // No key: no Authorization header at all (local servers).
      ...(o.apiKey ? {} : { defaultHeaders: { Authorization: null } }),
      organization: null,
      project: null,
      timeout: timeoutMs,
      maxRetries,
      fetch: policyFetch,
      logLevel: 'off',
    });
    const request = client.chat.completions.create(call.body as unknown as OpenAI.ChatCompletionCreateParamsNonStreaming, {
      ...(signal ? { signal } : {}),
    });
    let reply: unknown;
    try {
      reply = await (signal ? raceAbort(request, signal) : request);
    } catch (e) {
      outer?.removeEventListener('abort', forward);
      if (signal?.aborted) throw signal.reason;
      if (e instanceof OpenAI.APIConnectionTimeoutError) throw new Error(`${role} request timed out after ${timeoutMs} ms`);
      if (e instanceof OpenAI.APIError && e.status !== undefined) {
        throw lastError && lastError.status === e.status ? lastError : new ChatHttpError(e.status, e.message, role);
      }
      if (e instanceof SyntaxError) throw new ChatHttpError(200, `reply is not JSON: ${e.message}`, role);
      throw e;
    }
    outer?.removeEventListener('abort', forward);
    return { reply: reply as T, attempts };
  }
}

/** Rejects with the signal's reason as soon as it aborts (the package's backoff sleep does not listen). */
function raceAbort<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
