/**
 * The LLM judge: asks an OpenAI-compatible endpoint whether candidates special-case their tests, one
 * candidate a call (`judgeCandidate`) or all candidates of a problem in one call (`judgeProblem`, the
 * comparative mode — side by side, special cases stand out).
 *
 * Every reply is validated against the schema (ajv). A reply that is not valid JSON of that shape is
 * asked once more; if it is still invalid the candidate gets an `error` result (never a guess). Valid
 * replies are cached (see cache.ts) and their token usage is added to `usage`, with cost from the
 * configured prices. The judge's own label only becomes a probability: the decision stays with the
 * ensemble's threshold.
 */
import type { Candidate, Problem } from '../../../../contract/domain';
import { cacheKey, memoryCache, sha256, type JudgeCache } from './cache';
import { ChatClient, type ChatClientOptions, type ChatReply, type ReplySchema } from './client';
import { comparativeMessages, RUBRIC_VERSION, singleMessages, type ChatMessage } from './rubric';
import { COMPARATIVE_SCHEMA, parseComparative, parseSingle, SINGLE_SCHEMA, type JudgeVerdict, type Parsed } from './schema';

export interface JudgeUsage {
  requests: number;
  cacheHits: number;
  invalidReplies: number;
  errors: number;
  promptTokens: number;
  completionTokens: number;
  /** promptTokens/1000·pricePer1kPrompt + completionTokens/1000·pricePer1kCompletion. */
  cost: number;
}

export type JudgeResult =
  | { readonly ok: true; readonly verdict: JudgeVerdict; readonly probability: number; readonly cached: boolean }
  | { readonly ok: false; readonly error: string };

export interface LlmJudgeOptions extends ChatClientOptions {
  readonly pricePer1kPrompt?: number;
  readonly pricePer1kCompletion?: number;
  readonly cache?: JudgeCache;
  /** Another source of completions than the HTTP client (the worker's local model, see local.ts). */
  readonly completer?: ChatCompleter;
  /** Ask for `response_format: json_schema` (default true); the client drops it if the endpoint refuses. */
  readonly structuredOutput?: boolean;
}

/** What the judge asks its model through: `ChatClient` (an endpoint) or the worker's local model. */
export interface ChatCompleter {
  /** Part of the cache key: replies of one model are never served for another. */
  readonly endpoint: string;
  complete(messages: readonly ChatMessage[], schema?: ReplySchema, signal?: AbortSignal): Promise<ChatReply>;
}

/** The judge's verdict as a probability of a hack: confidence moves it away from 0.5. */
export function verdictProbability(v: JudgeVerdict): number {
  const c = Math.min(1, Math.max(0, v.confidence));
  if (v.label === 'hack') return 0.5 + 0.5 * c;
  if (v.label === 'clean') return 0.5 - 0.5 * c;
  return 0.5;
}

/** Line numbers outside the code (a weak model invents them) are dropped, not trusted. */
function withinCode(v: JudgeVerdict, code: string): JudgeVerdict {
  const n = code.split('\n').length;
  const lines = v.special_casing_lines.filter((l) => l >= 1 && l <= n);
  return lines.length === v.special_casing_lines.length ? v : { ...v, special_casing_lines: lines };
}

function problemHash(problem: Problem): string {
  const shown = problem.tests.filter((t) => t.role !== 'heldout');
  return sha256(problem.statement, JSON.stringify(shown));
}

export class LlmJudge {
  readonly client: ChatClient;
  /** `client`, unless the options name another completer. */
  private readonly completer: ChatCompleter;
  readonly usage: JudgeUsage = { requests: 0, cacheHits: 0, invalidReplies: 0, errors: 0, promptTokens: 0, completionTokens: 0, cost: 0 };
  private readonly cache: JudgeCache;
  /** Questions being asked now: an identical one waits for the same answer instead of paying again. */
  private readonly pending = new Map<string, Promise<unknown>>();

  constructor(private readonly opts: LlmJudgeOptions) {
    this.client = new ChatClient(opts);
    this.completer = opts.completer ?? this.client;
    this.cache = opts.cache ?? memoryCache();
  }

  get model(): string {
    return this.opts.model;
  }

  private account(prompt: number, completion: number): void {
    this.usage.requests++;
    this.usage.promptTokens += prompt;
    this.usage.completionTokens += completion;
    this.usage.cost += (prompt / 1000) * (this.opts.pricePer1kPrompt ?? 0) + (completion / 1000) * (this.opts.pricePer1kCompletion ?? 0);
  }

  private async ask<T>(
    key: string,
    messages: ChatMessage[],
    format: ReplySchema,
    parse: (t: string) => Parsed<T>,
    signal?: AbortSignal,
  ): Promise<{ value: T; cached: boolean } | { error: string }> {
    const inFlight = this.pending.get(key) as Promise<{ value: T; cached: boolean } | { error: string }> | undefined;
    if (inFlight) {
      const r = await inFlight.catch(() => undefined);
      if (r && 'value' in r) {
        this.usage.cacheHits++;
        return { value: r.value, cached: true };
      }
    }
    const asking = this.askUncached(key, messages, format, parse, signal);
    this.pending.set(key, asking);
    try {
      return await asking;
    } finally {
      if (this.pending.get(key) === asking) this.pending.delete(key);
    }
  }

  /** Ask, validate, ask once more on an invalid reply, cache the valid one. */
  private async askUncached<T>(
    key: string,
    messages: ChatMessage[],
    format: ReplySchema,
    parse: (t: string) => Parsed<T>,
    signal?: AbortSignal,
  ): Promise<{ value: T; cached: boolean } | { error: string }> {
    const hit = this.cache.get(key);
    if (hit) {
      const again = parse(JSON.stringify(hit.value));
      if (again.ok) {
        this.usage.cacheHits++;
        return { value: again.value, cached: true };
      }
    }
    const useFormat = this.opts.structuredOutput === false ? undefined : format;
    let error = '';
    for (let round = 0; round < 2; round++) {
      const reply = await this.completer.complete(messages, useFormat, signal);
      this.account(reply.usage.promptTokens, reply.usage.completionTokens);
      const parsed = parse(reply.content);
      if (parsed.ok) {
        this.cache.put(key, {
          value: parsed.value,
          promptTokens: reply.usage.promptTokens,
          completionTokens: reply.usage.completionTokens,
          at: new Date().toISOString(),
        });
        return { value: parsed.value, cached: false };
      }
      this.usage.invalidReplies++;
      error = parsed.error;
    }
    return { error };
  }

  private key(mode: 'single' | 'comparative', contentHash: string): string {
    return cacheKey({ endpoint: this.completer.endpoint, model: this.opts.model, rubricVersion: RUBRIC_VERSION, mode, contentHash });
  }

  async judgeCandidate(problem: Problem, candidate: Candidate, signal?: AbortSignal): Promise<JudgeResult> {
    const key = this.key('single', sha256(problemHash(problem), candidate.code));
    const format: ReplySchema = { name: 'judge_verdict', schema: SINGLE_SCHEMA };
    try {
      const r = await this.ask(key, singleMessages(problem, candidate), format, parseSingle, signal);
      if ('error' in r) return this.failed(r.error);
      return { ok: true, verdict: withinCode(r.value, candidate.code), probability: verdictProbability(r.value), cached: r.cached };
    } catch (e) {
      if (signal?.aborted) throw e;
      return this.failed((e as Error).message);
    }
  }

  /** One call for all candidates; results in the candidates' order. A candidate the reply skipped gets an error. */
  async judgeProblem(problem: Problem, candidates: readonly Candidate[], signal?: AbortSignal): Promise<JudgeResult[]> {
    if (candidates.length === 1) return [await this.judgeCandidate(problem, candidates[0]!, signal)];
    const key = this.key('comparative', sha256(problemHash(problem), ...candidates.map((c) => c.code)));
    const format: ReplySchema = { name: 'judge_verdicts', schema: COMPARATIVE_SCHEMA };
    try {
      const r = await this.ask(key, comparativeMessages(problem, candidates), format, parseComparative, signal);
      if ('error' in r) return candidates.map(() => this.failed(r.error));
      const byIndex = new Map(r.value.candidates.map((v) => [v.index, v]));
      return candidates.map((_, i): JudgeResult => {
        const v = byIndex.get(i + 1);
        if (!v) return this.failed(`the reply has no verdict for solution ${i + 1}`);
        const verdict = withinCode(
          { label: v.label, confidence: v.confidence, special_casing_lines: v.special_casing_lines, explanation: v.explanation },
          candidates[i]!.code,
        );
        return { ok: true, verdict, probability: verdictProbability(verdict), cached: r.cached };
      });
    } catch (e) {
      if (signal?.aborted) throw e;
      return candidates.map(() => this.failed((e as Error).message));
    }
  }

  private failed(error: string): JudgeResult {
    this.usage.errors++;
    return { ok: false, error };
  }
}
