import { UsageError, type CliCommand } from '../command';
import { num, parse } from '../args';
import type { EvalJobConfig, EvalResult } from '../../jobs/runners';
import { csv, openStoreFor, queueFor, report, runJob } from './jobs-cli';

export const evalCommand: CliCommand = {
  name: 'eval',
  summary: 'sample a model under neutral and permissive prompts and measure its hack rate and accuracy',
  usage: `Usage: loophole eval [DATA] --model MODEL [--adapter DIR] [options]

Samples the review set's problems under each prompt variant, runs the samples against the tests in the
sandbox, and reports per variant the hack rate and the accuracy (every test a correct solution passes).
The samples and their analyses are kept in the job's own store for review.

  --model MODEL          a Hugging Face model folder, a .gguf file, builtin:smollm2-135m, or with
                         --endpoint the served model name
  --adapter DIR          a LoRA adapter from \`loophole train\` (its adapter or adapter-ema folder)
  --endpoint URL         sample through an OpenAI-compatible server instead of the local worker
  --variants LIST        (default neutral,permit)    --problems LIST (default: all)
  -n, --samples N        (default 4)   --temperature T (default 0.7)   --max-tokens N (default 1024)
  --seed N               --device D    --python PATH
  --no-execute           static analysis only (no sandbox; hack rate from static findings)
  --json
`,
  async run(args, ctx) {
    const { values, positionals } = parse(args, {
      model: { type: 'string' },
      adapter: { type: 'string' },
      endpoint: { type: 'string' },
      variants: { type: 'string' },
      problems: { type: 'string' },
      samples: { type: 'string', short: 'n' },
      temperature: { type: 'string' },
      'max-tokens': { type: 'string' },
      seed: { type: 'string' },
      device: { type: 'string' },
      python: { type: 'string' },
      'no-execute': { type: 'boolean' },
      json: { type: 'boolean' },
    });
    if (!values.model) throw new UsageError('--model is required');
    const store = await openStoreFor(positionals[0], ctx);
    try {
      const config: EvalJobConfig = {
        model: values.model,
        ...(values.adapter ? { adapter: values.adapter } : {}),
        ...(values.endpoint ? { endpoint: { url: values.endpoint } } : {}),
        variants: csv(values.variants) ?? ['neutral', 'permit'],
        ...(values.problems ? { problems: csv(values.problems)! } : {}),
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
        ctx.stdout.write(`variant      samples  hack rate  accuracy\n`);
        for (const [v, m] of Object.entries(r.variants)) {
          ctx.stdout.write(`${v.padEnd(12)} ${String(m.samples).padStart(7)}  ${(m.hackRate * 100).toFixed(1).padStart(8)}%  ${(m.accuracy * 100).toFixed(1).padStart(7)}%\n`);
        }
        ctx.stdout.write(`samples and analyses: ${r.store}\n`);
        return 0;
      }
      return report(done, ctx, values.json === true);
    } finally {
      store.close();
    }
  },
};
