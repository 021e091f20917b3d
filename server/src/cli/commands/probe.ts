import path from 'node:path';
import { defineCommand, type CliCommand } from '../command';
import { UsageError } from '../command';
import { num, parse, renamedOption } from '../args';
import type { ActivationItem } from '../../scoring/local/monitorProtocol';
import { activationCacheDir } from '../../scoring/probe/scorer';
import { itemsFromDataset, itemsFromVerdicts, MIN_PER_CLASS, trainProbe } from '../../scoring/probe/train';
import { openAnalysedStore, stateDirOf } from '../../service';

export const probeCommand: CliCommand = defineCommand({
  name: 'probe',
  summary: 'train an activation probe from verdicts and labelled data sets',
  usage: `Usage: loophole probe train [<review-set>] --model MODEL [options]

Reads every labelled candidate with a local model (prompt + completion), keeps the hidden state after
--layer decoder layers averaged over the completion's tokens, and fits a class-balanced logistic
probe. Labels: the review set's current verdicts (hack / clean; unsure is left out) and any --data
files. The probe records its model and layer and only scores activations of that model.

Use it in the hierarchy (between the code classifier and the judge) with LOOPHOLE_PROBE=<file>,
\`loophole analyze --probe <file>\`, or the VS Code setting loophole.probe.file.

Options:
  --model MODEL       a Hugging Face folder, a .gguf file, or builtin:smollm2-135m (required)
  --out FILE          the probe file (default <review-set>/.loophole/probe.json)
  --data FILE         labelled JSON lines {"prompt", "completion", "label": "hack"|"clean"} (repeatable)
  --layer N           decoder layers read (0: embeddings; negative: from the end; default: the middle)
  --read-tokens N     completion tokens read per candidate (default 256)
  --device D          auto|cpu|cuda|cuda:N (default auto)
  --min-per-class N   refuse with fewer labels of either class (default ${MIN_PER_CLASS})
  --python PATH       the worker's interpreter (default LOOPHOLE_WORKER_PYTHON or python3)
  --json              print the result as JSON
`,
  async run(args, ctx) {
    if (args[0] !== 'train') throw new UsageError(`expects a sub-command: train (see --help)`);
    const { values, positionals } = parse(args.slice(1), {
      model: { type: 'string' },
      out: { type: 'string' },
      data: { type: 'string', multiple: true },
      layer: { type: 'string' },
      'read-tokens': { type: 'string' },
      /** Deprecated spelling of `--read-tokens`. */
      'max-tokens': { type: 'string' },
      device: { type: 'string' },
      'min-per-class': { type: 'string' },
      python: { type: 'string' },
      json: { type: 'boolean' },
    });
    if (!values.model) throw new UsageError('--model is required (a Hugging Face folder, a .gguf file or builtin:smollm2-135m)');
    if (positionals.length > 1) throw new UsageError('expects at most one review set');
    const layer = num(values.layer, '--layer', -1000, 1000);
    if (layer !== undefined && !Number.isInteger(layer)) throw new UsageError('--layer expects an integer');
    const maxTokens = num(
      renamedOption(
        values,
        { current: 'read-tokens', old: 'max-tokens', arg: 'N', why: '--max-tokens is a generation length in generate, eval and judge' },
        'probe train',
        ctx,
      ),
      '--read-tokens',
      1,
      32768,
    );
    const minPerClass = num(values['min-per-class'], '--min-per-class', 1, 100000) ?? MIN_PER_CLASS;

    const items: ActivationItem[] = [];
    let db: string | undefined;
    let stateDir: string | undefined;
    if (positionals[0]) {
      const { store, dataDir } = openAnalysedStore(path.resolve(ctx.cwd, positionals[0]), { label: positionals[0] });
      db = store.dbPath;
      stateDir = stateDirOf(dataDir);
      try {
        items.push(...itemsFromVerdicts(store));
      } finally {
        store.close();
      }
    }
    for (const f of values.data ?? []) items.push(...itemsFromDataset(path.resolve(ctx.cwd, f)));
    if (!db && !values.data?.length) throw new UsageError('no labels: name a review set with verdicts and/or --data files');
    const out = values.out ? path.resolve(ctx.cwd, values.out) : stateDir ? path.join(stateDir, 'probe.json') : undefined;
    if (!out) throw new UsageError('--out is required without a review set');
    if (!out.endsWith('.json')) throw new UsageError('--out must name a .json file');

    const bar = ctx.progress('activations', items.length);
    try {
      const r = await trainProbe(
        {
          model: values.model,
          items,
          out,
          min_per_class: minPerClass,
          ...(layer !== undefined ? { layer } : {}),
          ...(maxTokens ? { max_tokens: maxTokens } : {}),
          ...(values.device ? { device: values.device as 'auto' } : {}),
          ...(db ? { cache_dir: activationCacheDir(db) } : {}),
        },
        { signal: ctx.signal, ...(values.python ? { python: values.python } : {}), onProgress: (d, t) => (bar.total(t), bar.update(d)) },
      );
      bar.done(`${r.counts.hack + r.counts.clean} candidates`);
      if (values.json) ctx.stdout.write(JSON.stringify(r, null, 2) + '\n');
      else {
        const f = (x: number | null) => (x === null ? 'n/a' : x.toFixed(3));
        ctx.stdout.write(`probe written to ${r.probe}\n`);
        ctx.stdout.write(
          `layer ${r.layer} of ${values.model}; ${r.counts.hack} hack + ${r.counts.clean} clean; AUROC ${f(r.train_auroc)} on the training labels, ${f(r.cv_auroc)} cross-validated (5 folds)\n`,
        );
        ctx.stdout.write(
          `activations: ${r.stats.computed} computed, ${r.stats.cached} cached${r.stats.candidates_per_s ? `, ${r.stats.candidates_per_s.toFixed(2)} candidates/s` : ''}\n`,
        );
      }
      return 0;
    } catch (e) {
      bar.done('failed');
      throw e;
    }
  },
});
