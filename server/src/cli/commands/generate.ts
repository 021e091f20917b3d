import { defineCommand, UsageError, type CliCommand } from '../command';
import { num, parse } from '../args';
import type { GenerateJobConfig } from '../../jobs/runners';
import { csv, openStoreFor, queueFor, report, runJob } from './jobsCli';

export const generateCommand: CliCommand = defineCommand({
  name: 'generate',
  summary: "sample candidates for the review set's problems (local worker or an OpenAI-compatible endpoint)",
  usage: `Usage: loophole generate [DATA] --model MODEL [options]

Samples N completions per problem and prompt variant and stores them as candidates (with the model,
variant, sampling parameters, seed and job as provenance). DATA is the review set (file or folder;
default: the working directory).

  --model MODEL          a Hugging Face model folder, a .gguf file, builtin:smollm2-135m, or with
                         --endpoint the served model name
  --endpoint URL         sample through an OpenAI-compatible server (vLLM, Ollama, llama.cpp, OpenAI)
  --concurrency N        requests in flight with --endpoint (default 8)
  --adapter DIR          a LoRA adapter from \`loophole train\`, on top of --model (local worker)
  --variants LIST        prompt variants, comma-separated (default neutral)
  --variants-file FILE   user-defined variants (default .loophole/variants.json beside the data, when present)
  --problems LIST        problem ids (default: all)
  -n, --samples N        samples per prompt (default 1)
  --temperature T        (default 0.7)      --top-p P
  --max-tokens N         (default 512)      --seed N (default 0)
  --batch-size N         prompts per generate() call in the local worker (default 8)
  --device D             auto|cpu|cuda|cuda:N (default auto)
  --python PATH          the worker's interpreter (default $LOOPHOLE_WORKER_PYTHON or python3)
  --analyze              analyse the new candidates when done (statically; with --execute run them too)
  --execute
  --json                 print the job record as JSON
`,
  async run(args, ctx) {
    const { values, positionals } = parse(args, {
      model: { type: 'string' },
      endpoint: { type: 'string' },
      concurrency: { type: 'string' },
      adapter: { type: 'string' },
      variants: { type: 'string' },
      'variants-file': { type: 'string' },
      problems: { type: 'string' },
      samples: { type: 'string', short: 'n' },
      temperature: { type: 'string' },
      'top-p': { type: 'string' },
      'max-tokens': { type: 'string' },
      seed: { type: 'string' },
      'batch-size': { type: 'string' },
      device: { type: 'string' },
      python: { type: 'string' },
      analyze: { type: 'boolean' },
      execute: { type: 'boolean' },
      json: { type: 'boolean' },
    });
    if (!values.model) throw new UsageError('--model is required');
    const store = await openStoreFor(positionals[0], ctx);
    try {
      const topP = num(values['top-p'], '--top-p', 0, 1);
      const config: GenerateJobConfig = {
        model: values.model,
        ...(values.endpoint
          ? {
              endpoint: {
                url: values.endpoint,
                ...(values.concurrency ? { concurrency: num(values.concurrency, '--concurrency', 1, 1024)! } : {}),
              },
            }
          : {}),
        ...(values.adapter ? { adapter: values.adapter } : {}),
        ...(values.variants ? { variants: csv(values.variants)! } : {}),
        ...(values['variants-file'] ? { variantsFile: values['variants-file'] } : {}),
        ...(values.problems ? { problems: csv(values.problems)! } : {}),
        n: num(values.samples, '--samples', 1, 10_000) ?? 1,
        temperature: num(values.temperature, '--temperature', 0, 5) ?? 0.7,
        ...(topP !== undefined ? { topP } : {}),
        maxTokens: num(values['max-tokens'], '--max-tokens', 1, 1_000_000) ?? 512,
        seed: num(values.seed, '--seed', 0, 2 ** 32 - 1) ?? 0,
        ...(values['batch-size'] ? { batchSize: num(values['batch-size'], '--batch-size', 1, 4096)! } : {}),
        ...(values.device ? { device: values.device } : {}),
        ...(values.analyze ? { analyze: true } : {}),
        ...(values.execute ? { execute: true } : {}),
      };
      const queue = queueFor(store, values.python);
      const job = queue.submit('generate', `generate ${values.model}`, config);
      return report(await runJob(queue, job, ctx, 'generate'), ctx, values.json === true);
    } finally {
      store.close();
    }
  },
});
