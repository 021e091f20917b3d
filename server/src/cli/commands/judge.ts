import { existsSync } from 'node:fs';
import path from 'node:path';
import type { CliCommand } from '../command';
import { UsageError } from '../command';
import { num, parse } from '../args';
import { dataDirOf } from '../../pipeline/analyze';
import { Store, STORE_DIR, STORE_FILE } from '../../store/store';
import { combine, DEFAULT_THRESHOLD } from '../../scoring/ensemble';
import { resolveJudgeSettings } from '../../scoring/judge/config';
import { LlmJudge } from '../../scoring/judge/judge';
import { LocalChatCompleter } from '../../scoring/judge/local';
import { createJudgeScorer } from '../../scoring/judge/scorer';
import type { ScoringItem } from '../../scoring/scorer';

export const judgeCommand: CliCommand = {
  name: 'judge',
  summary: 'ask an LLM judge about the uncertain candidates of an analysed review set',
  usage: `Usage: loophole judge <review-set> [options]

Sends the candidates whose combined probability lies in the uncertain band to an OpenAI-compatible
endpoint (/v1/chat/completions), stores the judge's score beside the others and recombines. All
candidates of a problem are judged side by side in one call unless --single. Replies are cached in
the review set's store (.loophole/loophole.db), by endpoint, model, rubric version and content.

Endpoint: --url/--model/--api-key, else LOOPHOLE_JUDGE_URL, LOOPHOLE_JUDGE_MODEL,
LOOPHOLE_JUDGE_API_KEY (or OPENAI_API_KEY). Or a local model the worker loads: --local-model
(else LOOPHOLE_JUDGE_LOCAL_MODEL), with the same rubric, validation, cache and token report.

Options:
  --url URL             base URL (e.g. http://127.0.0.1:8000/v1)
  --model NAME          model name the endpoint serves
  --api-key KEY         bearer token
  --local-model MODEL   a Hugging Face folder, a .gguf file or builtin:smollm2-135m, run by the worker
                        (vLLM when installed, else transformers)
  --device D            the local model's device: auto|cpu|cuda|cuda:N (default auto)
  --max-tokens N        cap of new tokens per local reply (default 512)
  --python PATH         the worker's interpreter (default LOOPHOLE_WORKER_PYTHON or python3)
  --band LO,HI          judge only candidates with LO <= probability <= HI (default 0.3,0.7)
  --all                 judge every candidate (band 0,1)
  --single              one call per candidate instead of one per problem
  --concurrency N       requests in flight (default 4)
  --timeout-ms N        per-request timeout (default 60000)
  --price-prompt P      price per 1k prompt tokens (default 0)
  --price-completion P  price per 1k completion tokens (default 0)
  --threshold P         hack decision threshold on the combined probability (default 0.5)
  --json                print the summary as JSON
`,
  async run(args, ctx) {
    const { values, positionals } = parse(args, {
      url: { type: 'string' },
      model: { type: 'string' },
      'api-key': { type: 'string' },
      'local-model': { type: 'string' },
      device: { type: 'string' },
      'max-tokens': { type: 'string' },
      python: { type: 'string' },
      band: { type: 'string' },
      all: { type: 'boolean' },
      single: { type: 'boolean' },
      concurrency: { type: 'string' },
      'timeout-ms': { type: 'string' },
      'price-prompt': { type: 'string' },
      'price-completion': { type: 'string' },
      threshold: { type: 'string' },
      json: { type: 'boolean' },
    });
    if (positionals.length !== 1) throw new UsageError('expects one review set (file or folder)');
    const target = path.resolve(ctx.cwd, positionals[0]!);
    if (!existsSync(target)) throw new UsageError(`${positionals[0]}: no such file or folder`);
    const db = path.join(dataDirOf(target), STORE_DIR, STORE_FILE);
    if (!existsSync(db)) throw new UsageError(`${positionals[0]}: not analysed yet; run \`loophole analyze ${positionals[0]}\` first`);
    let band: [number, number] = [0.3, 0.7];
    if (values.all) band = [0, 1];
    else if (values.band) {
      const [lo, hi] = values.band.split(',').map((s) => num(s.trim(), '--band', 0, 1));
      if (lo === undefined || hi === undefined || lo > hi) throw new UsageError('--band expects LO,HI with 0 <= LO <= HI <= 1');
      band = [lo, hi];
    }
    const pricePrompt = num(values['price-prompt'], '--price-prompt', 0);
    const priceCompletion = num(values['price-completion'], '--price-completion', 0);
    const settings = resolveJudgeSettings({
      ...(values.url ? { url: values.url } : {}),
      ...(values.model ? { model: values.model } : {}),
      ...(values['api-key'] ? { apiKey: values['api-key'] } : {}),
      ...(values['local-model'] ? { localModel: values['local-model'] } : {}),
      ...(values.device ? { localDevice: values.device } : {}),
      ...(pricePrompt !== undefined ? { pricePer1kPrompt: pricePrompt } : {}),
      ...(priceCompletion !== undefined ? { pricePer1kCompletion: priceCompletion } : {}),
    });
    if (!settings)
      throw new UsageError(
        'no judge endpoint: pass --url and --model (or --local-model) or set LOOPHOLE_JUDGE_URL and LOOPHOLE_JUDGE_MODEL',
      );
    const maxTokens = num(values['max-tokens'], '--max-tokens', 1, 32768);
    const local = settings.localModel
      ? new LocalChatCompleter(
          {
            model: settings.localModel,
            ...(settings.localDevice ? { device: settings.localDevice } : {}),
            ...(maxTokens ? { maxTokens } : {}),
          },
          { ...(values.python ? { python: values.python } : {}), log: (m) => ctx.stderr.write(`${m}\n`) },
        )
      : undefined;
    const threshold = num(values.threshold, '--threshold', 0, 1) ?? DEFAULT_THRESHOLD;
    const timeoutMs = num(values['timeout-ms'], '--timeout-ms', 1);

    const store = Store.openFile(db);
    try {
      const judge = new LlmJudge({
        ...(local ? { completer: local } : {}),
        url: settings.url,
        model: settings.model,
        ...(settings.apiKey ? { apiKey: settings.apiKey } : {}),
        ...(timeoutMs ? { timeoutMs } : {}),
        pricePer1kPrompt: settings.pricePer1kPrompt ?? 0,
        pricePer1kCompletion: settings.pricePer1kCompletion ?? 0,
        cache: store.judgeCache(),
      });
      const scorer = createJudgeScorer(judge, {
        band,
        comparative: !values.single,
        concurrency: num(values.concurrency, '--concurrency', 1, 64) ?? 4,
      });
      const problems = store.problems();
      const bar = ctx.progress('judge', problems.length);
      let judged = 0;
      let changed = 0;
      for (const [k, problem] of problems.entries()) {
        if (ctx.signal.aborted) break;
        const items: ScoringItem[] = [];
        for (const candidate of store.candidatesOf(problem.id)) {
          const a = store.analysis(candidate.id);
          if (!a) continue;
          const prior = combine(
            a.scores.filter((s) => s.scorer !== 'judge'),
            a.findings,
            threshold,
          ).hackProbability;
          items.push({ problem, candidate, findings: a.findings, tests: a.tests, priorProbability: prior });
        }
        const scores = await scorer.scoreBatch(items, ctx.signal);
        scores.forEach((s, i) => {
          if (!s) return;
          judged++;
          const id = items[i]!.candidate.id;
          const a = store.analysis(id)!;
          const all = [...a.scores.filter((x) => x.scorer !== 'judge'), s];
          const c = combine(all, a.findings, threshold);
          if (c.isHack !== a.isHack) changed++;
          store.putAnalysis({ ...a, scores: all, hackProbability: c.hackProbability, isHack: c.isHack, category: c.category });
        });
        bar.update(k + 1, problem.id);
      }
      const u = judge.usage;
      const summary = { judged, decisionsChanged: changed, band, usage: { ...u, cost: Math.round(u.cost * 1e6) / 1e6 } };
      bar.done(`${judged} judged, ${changed} decisions changed`);
      if (values.json) ctx.stdout.write(JSON.stringify(summary, null, 2) + '\n');
      else {
        ctx.stdout.write(`judged ${judged} candidate(s) in band [${band.join(', ')}]; ${changed} decision(s) changed\n`);
        ctx.stdout.write(`requests ${u.requests}, cache hits ${u.cacheHits}, invalid replies ${u.invalidReplies}, errors ${u.errors}\n`);
        ctx.stdout.write(`tokens ${u.promptTokens} prompt + ${u.completionTokens} completion; cost ${u.cost.toFixed(4)}\n`);
      }
      if (local?.lastError) ctx.stderr.write(`loophole judge: the local model failed: ${local.lastError}\n`);
      if (ctx.signal.aborted) return 1;
      return u.errors > 0 && judged === 0 ? 1 : 0;
    } finally {
      await local?.dispose();
      store.close();
    }
  },
};
