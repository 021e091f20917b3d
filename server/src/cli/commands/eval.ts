import path from 'node:path';
import { UsageError, type CliCommand, type CliContext } from '../command';
import { num, oneOf, parse } from '../args';
import { compareEvals, evalResultOf, withIntervals } from '../../jobs/evaluation';
import { comparisonHtml, comparisonText, evalTable, writeFileAtomic } from '../../jobs/evaluationReport';
import { JobStore } from '../../jobs/jobStore';
import { splitProblems } from '../../jobs/chain';
import { JobFailure } from '../../jobs/queue';
import type { EvalJobConfig, EvalResult, ProblemSplit } from '../../jobs/runners';
import type { Store } from '../../store/store';
import { csv, openStoreFor, queueFor, report, runJob } from './jobsCli';

export const evalCommand: CliCommand = {
  name: 'eval',
  summary: 'sample a model under neutral and permissive prompts and measure its hack rate and accuracy',
  usage: `Usage: loophole eval [DATA] --model MODEL [--adapter DIR] [options]
       loophole eval --compare BEFORE AFTER [--data DATA] [--html FILE] [--json]

Samples the review set's problems under each prompt variant, runs the samples against the tests in the
sandbox, and reports per variant, by the tests' verdicts: the hack rate (samples passing the incorrect
test, over problems that have one), the overfit rate (passing the visible tests and failing a held-out
one, over problems without an incorrect test), the accuracy (passing every visible and held-out test),
and beside them the detector's flag rate; failed analyses are counted apart. Intervals are 95%
cluster-robust (samples of one problem are not independent). The samples and their analyses are kept
in the job's own store for review.

--compare reads two finished evaluations from the review set's jobs (eval jobs, or retrain chains,
whose raw adapter's eval step is used), e.g. the base model's and the fine-tuned one's, and reports per
variant both runs' rates and the difference (AFTER − BEFORE), paired over the problems both measured,
with its 95% cluster-robust t interval and test, and whether hacking went down (the interval lies
below zero). Results without per-problem counts are compared as independent proportions.
  --html FILE            also write the comparison as one self-contained HTML page with its charts
  --ema                  for retrain chains, compare their EMA adapter's evaluation instead of the raw one's
                         (two chains under different --policy, same split: the two selection policies compared)
  --data DATA            the review set holding the jobs (default: the working directory)

  --model MODEL          a Hugging Face model folder, a .gguf file, builtin:smollm2-135m, or with
                         --endpoint the served model name
  --adapter DIR          a LoRA adapter from \`loophole train\` (its adapter or adapter-ema folder)
  --endpoint URL         sample through an OpenAI-compatible server instead of the local worker
  --variants LIST        (default neutral,permit)    --problems LIST (default: all)
  --split SIDE           eval|train: one side of the seeded split by problem that \`train --chain\` uses
  --eval-fraction F      --split-seed N   (the split's settings; default 0.5 and 0, as the chain's)
  -n, --samples N        (default 4)   --temperature T (default 0.7)   --max-tokens N (default 1024)
  --seed N               --device D    --python PATH
  --no-execute           static analysis only (no sandbox): only the detector's flag rate, no test-based rates
  --json
`,
  async run(args, ctx) {
    const { values, positionals } = parse(args, {
      model: { type: 'string' },
      adapter: { type: 'string' },
      endpoint: { type: 'string' },
      variants: { type: 'string' },
      problems: { type: 'string' },
      split: { type: 'string' },
      'eval-fraction': { type: 'string' },
      'split-seed': { type: 'string' },
      samples: { type: 'string', short: 'n' },
      temperature: { type: 'string' },
      'max-tokens': { type: 'string' },
      seed: { type: 'string' },
      device: { type: 'string' },
      python: { type: 'string' },
      'no-execute': { type: 'boolean' },
      json: { type: 'boolean' },
      compare: { type: 'boolean' },
      ema: { type: 'boolean' },
      html: { type: 'string' },
      data: { type: 'string' },
    });
    if (values.compare)
      return compare(positionals, values.data, values.html, values.json === true, ctx, values.ema === true ? 'ema' : 'raw');
    if (values.html || values.data || values.ema) throw new UsageError('--html, --data and --ema go with --compare');
    if (!values.model) throw new UsageError('--model is required');
    if (values.split && values.problems) throw new UsageError('--split and --problems are two ways to choose the problems; give one');
    if ((values['eval-fraction'] || values['split-seed']) && !values.split)
      throw new UsageError('--eval-fraction and --split-seed go with --split');
    const side = values.split ? oneOf(values.split, '--split', ['eval', 'train'] as const)! : undefined;
    const store = await openStoreFor(positionals[0], ctx);
    try {
      let split: ProblemSplit | undefined;
      if (side) {
        const fraction = num(values['eval-fraction'], '--eval-fraction', 0, 1) ?? 0.5;
        try {
          split = splitProblems(
            store.problems().map((p) => p.id),
            fraction,
            num(values['split-seed'], '--split-seed', 0, 2 ** 32 - 1) ?? 0,
          );
        } catch (err) {
          if (err instanceof JobFailure) throw new UsageError(err.message);
          throw err;
        }
      }
      const config: EvalJobConfig = {
        model: values.model,
        ...(values.adapter ? { adapter: values.adapter } : {}),
        ...(values.endpoint ? { endpoint: { url: values.endpoint } } : {}),
        variants: csv(values.variants) ?? ['neutral', 'permit'],
        ...(values.problems ? { problems: csv(values.problems)! } : {}),
        ...(split && side ? { problems: split[side], split } : {}),
        n: num(values.samples, '--samples', 1, 10_000) ?? 4,
        temperature: num(values.temperature, '--temperature', 0, 5) ?? 0.7,
        maxTokens: num(values['max-tokens'], '--max-tokens', 1, 1_000_000) ?? 1024,
        seed: num(values.seed, '--seed', 0, 2 ** 32 - 1) ?? 0,
        execute: values['no-execute'] !== true,
        ...(values.device ? { device: values.device } : {}),
        ...(values.python ? { python: values.python } : {}),
      };
      const queue = queueFor(store, values.python);
      const job = queue.submit('eval', `eval ${values.model}${values.adapter ? ` + ${values.adapter}` : ''}`, config);
      const done = await runJob(queue, job, ctx, 'eval');
      if (done.status.state === 'succeeded' && values.json !== true) {
        const r = done.status.result as EvalResult;
        ctx.stdout.write(evalTable(r));
        ctx.stdout.write(`samples and analyses: ${r.store}\n`);
        return 0;
      }
      return report(done, ctx, values.json === true);
    } finally {
      store.close();
    }
  },
};

/** The evaluation held by job `id`; a usage error (exit 2) names what is wrong with it. */
function evaluationOf(jobs: JobStore, store: Store, id: string, which: 'raw' | 'ema' = 'raw'): EvalResult {
  const job = jobs.get(id);
  if (!job) throw new UsageError(`no job ${id} in ${store.dbPath} (list them with: loophole jobs list)`);
  if (job.kind !== 'eval' && job.kind !== 'chain')
    throw new UsageError(`job ${id} is a ${job.kind} job; --compare takes eval jobs or retrain chains`);
  if (job.status.state !== 'succeeded')
    throw new UsageError(`job ${id} has not succeeded (it is ${job.status.state}); only finished evaluations can be compared`);
  const r = evalResultOf(job, job.kind === 'chain' ? which : 'raw');
  if (!r) throw new UsageError(`job ${id} holds no ${which === 'ema' && job.kind === 'chain' ? 'EMA adapter ' : ''}evaluation result`);
  return { ...r, variants: Object.fromEntries(Object.entries(r.variants).map(([v, m]) => [v, withIntervals(m)])) };
}

async function compare(
  ids: readonly string[],
  data: string | undefined,
  html: string | undefined,
  json: boolean,
  ctx: CliContext,
  which: 'raw' | 'ema',
): Promise<number> {
  if (ids.length !== 2) throw new UsageError(`--compare expects two job ids (BEFORE AFTER), got ${ids.length}`);
  const store = await openStoreFor(data, ctx);
  try {
    const jobs = new JobStore(store.db);
    const [a, b] = ids as [string, string];
    const cmp = compareEvals(evaluationOf(jobs, store, a, which), evaluationOf(jobs, store, b, which), { before: a, after: b });
    if (cmp.variants.length === 0)
      throw new UsageError(`jobs ${a} and ${b} share no prompt variant (${cmp.onlyBefore.join(', ')} vs ${cmp.onlyAfter.join(', ')})`);
    if (html) {
      const out = path.resolve(ctx.cwd, html);
      writeFileAtomic(out, comparisonHtml(cmp));
      ctx.stderr.write(`wrote ${out}\n`);
    }
    ctx.stdout.write(json ? JSON.stringify(cmp, null, 2) + '\n' : comparisonText(cmp));
    return 0;
  } finally {
    store.close();
  }
}
