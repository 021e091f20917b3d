/**
 * Where the judge comes from: explicit settings (VS Code `loophole.judge.*`, CLI flags) over the
 * environment (`LOOPHOLE_JUDGE_URL`, `LOOPHOLE_JUDGE_MODEL`, `LOOPHOLE_JUDGE_API_KEY` or
 * `OPENAI_API_KEY`, `LOOPHOLE_JUDGE_PRICE_PROMPT` / `_COMPLETION` per 1k tokens).
 */
export interface JudgeSettings {
  readonly url?: string;
  readonly model?: string;
  readonly apiKey?: string;
  /** Price per 1,000 prompt / completion tokens, in the user's currency (default 0: local models). */
  readonly pricePer1kPrompt?: number;
  readonly pricePer1kCompletion?: number;
  /** The uncertain band of the prior probability the judge takes (default [0.3, 0.7]). */
  readonly band?: readonly [number, number];
  /** Judge all candidates of a problem in one call (default true). */
  readonly comparative?: boolean;
  /** Requests in flight at once (default 4). */
  readonly concurrency?: number;
  readonly timeoutMs?: number;
  readonly maxRetries?: number;
  /** A model the worker loads instead of an endpoint (a Hugging Face folder, a `.gguf` file,
   *  `builtin:smollm2-135m`); env `LOOPHOLE_JUDGE_LOCAL_MODEL`. Wins over `url`. */
  readonly localModel?: string;
  /** The local model's device (`auto`, `cpu`, `cuda:N`); env `LOOPHOLE_JUDGE_DEVICE`. */
  readonly localDevice?: string;
  /** Cap of new tokens per local reply (default 512). */
  readonly localMaxTokens?: number;
}

export interface ResolvedJudgeSettings extends JudgeSettings {
  readonly url: string;
  readonly model: string;
}

export const DEFAULT_BAND: readonly [number, number] = [0.3, 0.7];

const num = (s: string | undefined) => (s !== undefined && s !== '' && Number.isFinite(Number(s)) ? Number(s) : undefined);

/** Settings merged over the environment; undefined when no endpoint or model is configured. */
export function resolveJudgeSettings(
  settings: JudgeSettings = {},
  env: NodeJS.ProcessEnv = process.env,
): ResolvedJudgeSettings | undefined {
  const localModel = settings.localModel || env['LOOPHOLE_JUDGE_LOCAL_MODEL'];
  if (localModel) {
    const localDevice = settings.localDevice || env['LOOPHOLE_JUDGE_DEVICE'];
    return {
      ...settings,
      url: `local:${localModel}`,
      model: localModel,
      localModel,
      ...(localDevice ? { localDevice } : {}),
      pricePer1kPrompt: settings.pricePer1kPrompt ?? 0,
      pricePer1kCompletion: settings.pricePer1kCompletion ?? 0,
    };
  }
  const url = settings.url || env['LOOPHOLE_JUDGE_URL'];
  const model = settings.model || env['LOOPHOLE_JUDGE_MODEL'];
  if (!url || !model) return undefined;
  const apiKey = settings.apiKey || env['LOOPHOLE_JUDGE_API_KEY'] || env['OPENAI_API_KEY'];
  return {
    ...settings,
    url,
    model,
    ...(apiKey ? { apiKey } : {}),
    pricePer1kPrompt: settings.pricePer1kPrompt ?? num(env['LOOPHOLE_JUDGE_PRICE_PROMPT']) ?? 0,
    pricePer1kCompletion: settings.pricePer1kCompletion ?? num(env['LOOPHOLE_JUDGE_PRICE_COMPLETION']) ?? 0,
  };
}
