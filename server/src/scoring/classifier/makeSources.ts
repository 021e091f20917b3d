/**
 * Featurizes review sets whose candidates carry a known label, one *source* per file, for the
 * classifier's leave-one-source-out evaluation and training (`train.py --sources`).
 *
 *   tsx server/src/scoring/classifier/makeSources.ts --out out/classifier/sources.jsonl \
 *       NAME=FILE[:FORMAT][@clean|@hack] [NAME=FILE[:FORMAT] …]
 *
 * Several files may share a NAME (a development set and its clean counterparts form one source).
 * A file is imported with the project's own importers (`FORMAT`: mbpp, stdio, chat, loophole; default
 * auto), exactly as `loophole analyze` reads it; candidates without code are skipped. Labels:
 * - `mbpp`: the row's `correct_code` is clean, `incorrect_code` a hack;
 * - otherwise the row's own label (`label` of a solution, `metadata.label` of a dialogue, `label` of a
 *   candidate), found by the completion's text; rows with none take the spec's `@clean` / `@hack`.
 * Every candidate gives two rows: with the tests the model was shown (held-out tests never count), and
 * with none (code only), as the generator does.
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { importReviewSet, type FormatName } from '../../formats';
import { createFeaturizer } from './features';
import { labeller, parseSourceSpec } from './labels';
import { shownTests } from './scorer';

interface SourceRow {
  source: string;
  group: string;
  id: string;
  label: 0 | 1;
  testsKnown: 0 | 1;
  features: number[];
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const outAt = argv.indexOf('--out');
  const out = outAt >= 0 ? argv[outAt + 1]! : 'out/classifier/sources.jsonl';
  const specs = argv.filter((a, i) => a.includes('=') && (outAt < 0 || i !== outAt + 1));
  if (!specs.length) throw new Error('make-sources: give at least one NAME=FILE[:FORMAT]');
  const featurizer = await createFeaturizer();
  const rows: SourceRow[] = [];
  for (const spec of specs) {
    const src = parseSourceSpec(spec);
    const { name, file } = src;
    const { set } = await importReviewSet(file, { format: src.format as FormatName | 'auto' });
    const labelOf = labeller(src);
    const problems = new Map(set.problems.map((p) => [p.id, p]));
    let kept = 0;
    let unlabelled = 0;
    for (const c of set.candidates) {
      if (!c.code.trim()) continue;
      const label = labelOf(c);
      if (label === undefined) {
        unlabelled++;
        continue;
      }
      const problem = problems.get(c.problemId)!;
      const shown = shownTests(problem.tests);
      const group = `${name}:${path.basename(file)}:${c.problemId}`;
      rows.push({ source: name, group, id: c.id, label, testsKnown: 0, features: Array.from(featurizer.features(c.code), round) });
      if (shown.length)
        rows.push({ source: name, group, id: c.id, label, testsKnown: 1, features: Array.from(featurizer.features(c.code, shown), round) });
      kept++;
    }
    process.stderr.write(`${name}: ${file}: ${kept} candidates${unlabelled ? `, ${unlabelled} without a label skipped` : ''}\n`);
  }
  featurizer.dispose();
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  process.stderr.write(`${out}: ${rows.length} rows\n`);
}

const round = (x: number) => Math.round(x * 1e6) / 1e6;

main().catch((e: unknown) => {
  process.stderr.write(`make-sources: ${(e as Error).message}\n`);
  process.exitCode = 1;
});
