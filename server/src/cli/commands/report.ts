import path from 'node:path';
import { defineCommand, type CliCommand } from '../command';
import { UsageError } from '../command';
import { parse } from '../args';
import { writeHtmlReport } from '../../report/html';
import { openAnalysedStore } from '../../service';

export const reportCommand: CliCommand = defineCommand({
  name: 'report',
  summary: 'write a self-contained HTML report of an analysed review set',
  usage: `Usage: loophole report <review-set> --html report.html

Reads the results stored beside <review-set> (run \`loophole analyze\` first) and writes one HTML file with
everything inside it: hack rate per prompt variant and per model, score histograms, the per-problem test
matrix and the highlighted code of each hack.

Options:
  --html FILE     where to write the report (required)
`,
  async run(args, ctx) {
    const { values, positionals } = parse(args, { html: { type: 'string' } });
    if (positionals.length !== 1) throw new UsageError('expects one review set (file or folder)');
    if (!values.html) throw new UsageError('--html FILE is required');
    const { store } = openAnalysedStore(path.resolve(ctx.cwd, positionals[0]!), { label: positionals[0]! });
    try {
      const out = path.resolve(ctx.cwd, values.html);
      await writeHtmlReport(store, out);
      ctx.stderr.write(`wrote ${out}\n`);
      return 0;
    } finally {
      store.close();
    }
  },
});
