/**
 * Sampling through an OpenAI-compatible `/chat/completions` endpoint (vLLM, Ollama, llama.cpp,
 * OpenAI): `n` samples per request, a bounded number of requests in flight, on the shared client
 * (`chat/endpoint.ts`: retries with back-off on 429 / 5xx / network errors, honouring `Retry-After`).
 * vLLM is the path when one GPU is not enough.
 */
import pLimit from 'p-limit';
import { ChatEndpoint } from '../chat/endpoint';
import type { WorkerPrompt } from '../jobs/workerProtocol';

export interface EndpointSettings {
  /** Base URL (`http://host:8000/v1`) or the full `/chat/completions` URL. */
  readonly url: string;
  /** The served model name. */
  readonly model: string;
  /** Sent as a bearer token; default `$OPENAI_API_KEY` when set. */
  readonly apiKey?: string;
  /** Requests in flight (default 8). */
  readonly concurrency?: number;
  /** Tries after the first (default 4). */
  readonly retries?: number;
  /** Per request (default 600 s: long completions at large n take time). */
  readonly timeoutMs?: number;
  /** Some servers cap `n`; larger n is split into several requests (default 16). */
  readonly maxN?: number;
}

export interface SamplingSettings {
  readonly n: number;
  readonly temperature: number;
  readonly topP?: number;
  readonly maxTokens: number;
  readonly seed: number;
}

export interface EndpointSample {
  readonly promptId: string;
  readonly sampleIndex: number;
  readonly completion: string;
  readonly tokens?: number;
}

export class EndpointError extends Error {
  override readonly name = 'EndpointError';
}

interface ChoiceReply {
  choices?: { index?: number; message?: { content?: string | null; reasoning_content?: string | null } }[];
  usage?: { completion_tokens?: number };
}

/**
 * Samples every prompt `n` times. `onSamples` is called as each request completes (so candidates can
 * be stored and analysed as they arrive); the promise resolves when all are done. Request k of a
 * prompt asks for seed `seed + k`, so a split n stays reproducible on servers that honour seeds.
 */
export async function sampleEndpoint(
  e: EndpointSettings,
  prompts: readonly WorkerPrompt[],
  s: SamplingSettings,
  onSamples: (samples: EndpointSample[]) => void | Promise<void>,
  signal?: AbortSignal,
): Promise<{ samples: number; tokens: number }> {
  const limit = pLimit(Math.max(1, Math.floor(e.concurrency ?? 8)));
  const apiKey = e.apiKey ?? process.env.OPENAI_API_KEY;
  const endpoint = new ChatEndpoint({
    url: e.url,
    ...(apiKey ? { apiKey } : {}),
    maxRetries: e.retries ?? 4,
    timeoutMs: e.timeoutMs ?? 600_000,
    role: e.url,
  });
  const maxN = Math.max(1, e.maxN ?? 16);
  let samples = 0;
  let tokens = 0;
  const tasks: Promise<void>[] = [];
  for (const p of prompts) {
    for (let first = 0, k = 0; first < s.n; first += maxN, k++) {
      const n = Math.min(maxN, s.n - first);
      const base = first;
      const seed = s.seed + k;
      tasks.push(
        limit(async () => {
          const { reply } = await endpoint.complete<ChoiceReply>({
            body: {
              model: e.model,
              messages: p.messages,
              n,
              temperature: s.temperature,
              ...(s.topP !== undefined ? { top_p: s.topP } : {}),
              max_tokens: s.maxTokens,
              seed,
            },
            ...(signal ? { signal } : {}),
          });
          const choices = reply.choices ?? [];
          if (choices.length === 0) throw new EndpointError(`${e.url}: a reply without choices for prompt ${p.id}`);
          const out = choices.map((c, i) => {
            const reasoning = c.message?.reasoning_content;
            const content = c.message?.content ?? '';
            return {
              promptId: p.id,
              sampleIndex: base + (c.index ?? i),
              completion: reasoning ? `<think>${reasoning}</think>\n${content}` : content,
            };
          });
          samples += out.length;
          tokens += reply.usage?.completion_tokens ?? 0;
          await onSamples(out);
        }),
      );
    }
  }
  const settled = await Promise.allSettled(tasks);
  const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return { samples, tokens };
}
