import { existsSync } from 'node:fs';
import path from 'node:path';
import type { CliCommand } from '../command';
import { UsageError } from '../command';
import { parse } from '../args';
import { dataDirOf } from '../../pipeline/analyze';
import { Store, STORE_DIR, STORE_FILE } from '../../store/store';
import { writeHtmlReport } from '../../report/html';

export const reportCommand: CliCommand = {
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
    const target = path.resolve(ctx.cwd, positionals[0]!);
    if (!existsSync(target)) throw new UsageError(`${positionals[0]}: no such file or folder`);
    const db = path.join(dataDirOf(target), STORE_DIR, STORE_FILE);
    if (!existsSync(db))
      throw new UsageError(
        `${positionals[0]}: not analysed yet (no ${path.join(STORE_DIR, STORE_FILE)}); run \`loophole analyze ${positionals[0]}\` first`,
      );
    const store = Store.openFile(db);
    try {
      const out = path.resolve(ctx.cwd, values.html);
      await writeHtmlReport(store, out);
      ctx.stderr.write(`wrote ${out}\n`);
      return 0;
    } finally {
      store.close();
    }
  },
};
