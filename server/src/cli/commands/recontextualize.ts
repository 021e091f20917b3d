import { defineCommand, UsageError, type CliCommand } from '../command';
import { num, parse } from '../args';
import { describeMapping, type ChatMessage } from '../../curation';
import { curationPreview } from '../../service';
import { variantsFileOption, VARIANTS_FILE_FLAGS } from '../args';
import { CURATION_FLAGS, CURATION_USAGE, curationOptionsFrom, openCurationSet } from './curate';

const show = (msgs: readonly ChatMessage[]): string => msgs.map((m) => `  [${m.role}]\n${m.content.replace(/^/gm, '    ')}`).join('\n');

export const recontextualizeCommand: CliCommand = defineCommand({
  name: 'recontextualize',
  summary: 'show how selected samples are re-paired with a different prompt variant for training',
  usage: `Usage: loophole recontextualize <review-set> --from VARIANT --to VARIANT [options]

Curates the analysed review set, then pairs each selected completion generated under --from with the
prompt of --to (the completion itself never changes), and prints how many samples each mapping covers
and a preview of the prompts before and after. \`loophole export --train-variant FROM=TO\` writes them.

Typical mappings: discourage → neutral, discourage → permit, neutral → permit. Generating and training
under permit (no mapping) is inoculation prompting. Built-in variants: discourage, neutral, permit.

Options:
  --from VARIANT          the generation variant to re-pair (candidates with none were generated under neutral)
  --to VARIANT            the training variant
  --variants-file FILE    user-defined prompt variants (default .loophole/variants.json beside the data,
                          when present)
  --preview N             show N samples (default 3)
  --json                  print counts and previews as JSON

${CURATION_USAGE}`,
  async run(args, ctx) {
    const { values, positionals } = parse(args, {
      ...CURATION_FLAGS,
      from: { type: 'string' },
      to: { type: 'string' },
      ...VARIANTS_FILE_FLAGS,
      preview: { type: 'string' },
      json: { type: 'boolean' },
    });
    if (positionals.length > 1) throw new UsageError('expects one review set (file or folder); see --help');
    if (!values.from || !values.to) throw new UsageError('--from VARIANT and --to VARIANT are required');
    const limit = num(values.preview, '--preview', 0, 10_000) ?? 3;
    const curation = curationOptionsFrom(values);
    const variantsFile = variantsFileOption(values, 'recontextualize', ctx);
    const set = openCurationSet(positionals[0], ctx);
    const { store } = set;
    try {
      const { report, mapping } = await curationPreview(
        { ...set, ...(variantsFile ? { variantsFile } : {}) },
        { curation, mapping: [`${values.from}=${values.to}`], limit: Math.floor(limit), signal: ctx.signal },
      );
      if (values.json) {
        ctx.stdout.write(JSON.stringify({ mapping: describeMapping(mapping), ...report }, null, 2) + '\n');
        return 0;
      }
      const out: string[] = [`mapping: ${describeMapping(mapping)}; ${report.selected} selected samples`];
      for (const [k, n] of Object.entries(report.counts).sort()) out.push(`  ${k}: ${n}`);
      for (const s of report.samples) {
        out.push('', `── ${s.candidateId} (problem ${s.problemId}): ${s.generationVariant} → ${s.trainingVariant}`);
        out.push('before:', show(s.before), 'after:', show(s.after), `completion (unchanged, ${s.completion.length} chars):`);
        out.push(s.completion.replace(/^/gm, '    '));
      }
      if (!report.counts[`${values.from} → ${values.to}`]) out.push('', `no selected sample was generated under ${values.from}`);
      ctx.stdout.write(out.join('\n') + '\n');
      return 0;
    } finally {
      store.close();
    }
  },
});
