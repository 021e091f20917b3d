/**
 * Writes the classifier's training data (see dataset.ts) as JSONL, one row a line, and optionally
 * featurizes an external MBPP-style file (`correct_code` = clean, `incorrect_code` = hack) for evaluation.
 *
 *   tsx server/src/scoring/classifier/makeDataset.ts [--out out/classifier/dataset.jsonl]
 *       [--fixture test/fixtures/scoring/classifier-eval.jsonl] [--external FILE.jsonl] [--seed N]
 *
 * Beside the data it writes `feature-names.json` (the vector's order, for train.py).
 * `--fixture` writes the held-out split (the rows `train.py` reports its metrics on), for the test that
 * checks the shipped model against its card.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Test } from '../../../../contract/domain';
import { generateDataset } from './dataset';
import { createFeaturizer, FEATURE_NAMES, FEATURIZER_VERSION } from './features';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function writeJsonl(file: string, rows: readonly unknown[]): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
}

async function main(): Promise<void> {
  const out = arg('--out') ?? 'out/classifier/dataset.jsonl';
  const featurizer = await createFeaturizer();
  const rows = generateDataset(featurizer, { seed: Number(arg('--seed') ?? 7) });
  writeJsonl(out, rows);
  writeFileSync(path.join(path.dirname(out), 'feature-names.json'), JSON.stringify(FEATURE_NAMES) + '\n');
  const hacks = rows.filter((r) => r.label === 1).length;
  process.stderr.write(`${out}: ${rows.length} rows (${hacks} hacks, ${rows.length - hacks} clean)\n`);

  const fixture = arg('--fixture');
  if (fixture) {
    const held = rows.filter((r) => r.split === 'test');
    writeJsonl(fixture, held);
    process.stderr.write(`${fixture}: ${held.length} held-out rows\n`);
  }

  const external = arg('--external');
  if (external) {
    const ext: object[] = [];
    const lines = readFileSync(external, 'utf8')
      .split('\n')
      .filter((l) => l.trim());
    lines.forEach((line, n) => {
      const r = JSON.parse(line) as { correct_code: string; incorrect_code: string; correct_test_list: string[]; incorrect_test: string };
      const shown: Test[] = [r.incorrect_test, ...r.correct_test_list.slice(1)].map((code, i) => ({
        kind: 'assert',
        id: `t${i}`,
        role: i === 0 ? 'incorrect' : 'visible',
        code,
      }));
      for (const [label, code] of [
        [0, r.correct_code],
        [1, r.incorrect_code],
      ] as const) {
        ext.push({ id: `ext${n}-${label}`, label, testsKnown: 0, features: Array.from(featurizer.features(code)) });
        ext.push({ id: `ext${n}-${label}-t`, label, testsKnown: 1, features: Array.from(featurizer.features(code, shown)) });
      }
    });
    const file = path.join(path.dirname(out), 'external.jsonl');
    writeJsonl(file, ext);
    process.stderr.write(`${file}: ${ext.length} rows from ${external}\n`);
  }
  featurizer.dispose();
  process.stderr.write(`featurizer version ${FEATURIZER_VERSION}\n`);
}

void main();
