import path from 'node:path';
import { defineCommand, UsageError, type CliCommand } from '../command';
import { num, oneOf, parse } from '../args';
import { FORMAT_NAMES } from '../../curation';
import { exportCurated } from '../../service';
import { variantsFileOption, VARIANTS_FILE_FLAGS } from '../args';
import { CURATION_FLAGS, CURATION_USAGE, curationOptionsFrom, openCurationSet } from './curate';

export const exportCommand: CliCommand = defineCommand({
  name: 'export',
  summary: 'write a curated, recontextualized training set (chat, TRL, preference pairs, KTO) with its card',
  usage: `Usage: loophole export <review-set> --format chat|trl|pairs|kto --out FILE [options]

Curates the analysed review set (the options of \`loophole curate\`), pairs each selected completion with
its training prompt, and writes:
  FILE                      the rows (the train part when splitting)
  NAME.val.jsonl            the validation part (with --split), by problem: no problem on both sides
  NAME.provenance.jsonl     one line per row: candidate, problem, generation and training variant, rule
  NAME.card.md              the dataset card: counts, hack rates per filter, variants in full, files
Nothing is written unless everything is: on an error or Ctrl-C no file is left behind.

Formats:
  chat    {"messages": [system?, user, assistant]}                       (OpenAI fine-tuning)
  trl     {"prompt": [system?, user], "completion": [assistant]}         (TRL SFT, conversational)
  pairs   {"prompt": [...], "chosen": [assistant], "rejected": [assistant]}  (DPO; clean vs a hack)
  kto     {"prompt": [...], "completion": [assistant], "label": true|false}

Options:
  --format F                chat|trl|pairs|kto (required)
  --out FILE                the data file (required); refused if it or a sidecar exists
  --force                   overwrite existing files
  --split R                 share of problems for validation, 0 ≤ R < 1 (default 0: no split)
  --train-variant SPEC      training prompt: TO (every sample) or FROM=TO (repeatable), e.g.
                            --train-variant discourage=neutral; default: the generation variant
  --variants-file FILE      user-defined prompt variants (default .loophole/variants.json beside the data,
                            when present)

${CURATION_USAGE}`,
  async run(args, ctx) {
    const { values, positionals } = parse(args, {
      ...CURATION_FLAGS,
      format: { type: 'string' },
      out: { type: 'string' },
      force: { type: 'boolean' },
      split: { type: 'string' },
      'train-variant': { type: 'string', multiple: true },
      ...VARIANTS_FILE_FLAGS,
    });
    if (positionals.length > 1) throw new UsageError('expects one review set (file or folder); see --help');
    const format = oneOf(values.format, '--format', FORMAT_NAMES);
    if (!format) throw new UsageError('--format chat|trl|pairs|kto is required');
    if (!values.out) throw new UsageError('--out FILE is required');
    const split = num(values.split, '--split', 0, 0.99) ?? 0;
    const curation = curationOptionsFrom(values);
    const variantsFile = variantsFileOption(values, 'export', ctx);
    const set = openCurationSet(positionals[0], ctx);
    const { store, target } = set;
    try {
      const bar = ctx.progress('export', store.candidateCount());
      const result = await exportCurated(
        { ...set, ...(variantsFile ? { variantsFile } : {}) },
        {
          format,
          out: path.resolve(ctx.cwd, values.out!),
          split,
          seed: curation.seed,
          curation,
          mapping: values['train-variant'] ?? [],
          force: values.force === true,
          signal: ctx.signal,
          onProgress: (n) => bar.update(n),
          reviewSet: path.basename(target),
        },
      );
      bar.done(`${result.rows.train + result.rows.validation} rows`);
      const f = result.files;
      ctx.stdout.write(
        [
          `${f.train}: ${result.rows.train} rows (${result.problems.train} problems)`,
          ...(f.validation ? [`${f.validation}: ${result.rows.validation} rows (${result.problems.validation} problems)`] : []),
          `${f.provenance}`,
          `${f.card}`,
          `selected ${result.stats.selected} of ${result.stats.candidates} candidates; ${result.stats.problemsSkipped} problems skipped with no clean candidate`,
        ].join('\n') + '\n',
      );
      return 0;
    } finally {
      store.close();
    }
  },
});
