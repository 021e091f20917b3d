/**
 * Classifier throughput on the project's own generated candidates (dataset.ts, ~970 distinct programs,
 * cycled to 4,096): one `session.run` per batch of 256 against one per candidate, measured in the same
 * run — inference alone (features precomputed) and end to end (tree-sitter features + inference).
 * Also the featurizer alone against the bare tree-sitter parse it starts with, and the reviewer re-ranker's refit on 500 verdicts.
 */
import { HackClassifier } from '../../server/src/scoring/classifier/classifier';
import { generateDataset } from '../../server/src/scoring/classifier/dataset';
import { createFeaturizer, FEATURE_COUNT, type Featurizer } from '../../server/src/scoring/classifier/features';
import { createPythonParser } from '../../server/src/analysis/parser';
import { fitReviewerModel } from '../../server/src/scoring/rerank';
import type { BenchRow } from './types';

const N = 4096;
const BATCH = 256;

function rate(n: number, started: number): number {
  return n / ((performance.now() - started) / 1000);
}

async function endToEnd(clf: HackClassifier, f: Featurizer, codes: readonly string[], batch: number): Promise<number> {
  const t0 = performance.now();
  for (let s = 0; s < codes.length; s += batch) {
    const chunk = codes.slice(s, s + batch);
    const flat = new Float32Array(chunk.length * FEATURE_COUNT);
    chunk.forEach((c, i) => flat.set(f.features(c), i * FEATURE_COUNT));
    await clf.predictFlat(flat, chunk.length);
  }
  return rate(codes.length, t0);
}

async function inferenceOnly(clf: HackClassifier, flat: Float32Array, n: number, batch: number): Promise<number> {
  const t0 = performance.now();
  for (let s = 0; s < n; s += batch) {
    const rows = Math.min(batch, n - s);
    await clf.predictFlat(flat.subarray(s * FEATURE_COUNT, (s + rows) * FEATURE_COUNT), rows);
  }
  return rate(n, t0);
}

export async function bench(): Promise<BenchRow[]> {
  const f = await createFeaturizer();
  const rows = generateDataset(f);
  const codes = Array.from({ length: N }, (_, i) => `${rows[i % rows.length]!.code}\n# ${i}\n`);
  const clf = await HackClassifier.create({ device: 'cpu', batchSize: BATCH });
  const flat = new Float32Array(N * FEATURE_COUNT);
  codes.forEach((c, i) => flat.set(f.features(c), i * FEATURE_COUNT)); // also warms the featurizer

  await inferenceOnly(clf, flat, 512, BATCH); // warm-up
  const batched = await inferenceOnly(clf, flat, N, BATCH);
  const unbatched = await inferenceOnly(clf, flat, N, 1);

  const parser = await createPythonParser();
  const tp = performance.now();
  for (const c of codes) parser.parse(c)?.delete();
  const parseOnly = rate(N, tp);
  parser.delete();
  const t0 = performance.now();
  for (const c of codes) f.features(c);
  const featuresOnly = rate(N, t0);

  const e2eBatched = await endToEnd(clf, f, codes, BATCH);
  const e2eUnbatched = await endToEnd(clf, f, codes.slice(0, 1024), 1);

  const examples = rows.slice(0, 500).map((r) => ({ features: [...r.features, Math.random()], label: r.label }));
  const t1 = performance.now();
  fitReviewerModel(examples, { epochs: 300 });
  const refitMs = performance.now() - t1;

  await clf.dispose();
  f.dispose();
  return [
    {
      name: 'classifier inference, batched 256 (features precomputed)',
      value: batched,
      unit: 'cand/s',
      baseline: unbatched,
      baselineName: 'one run per candidate',
      target: '≥ 2,000 cand/s',
    },
    {
      name: 'classifier end to end, batched 256 (features + inference)',
      value: e2eBatched,
      unit: 'cand/s',
      baseline: e2eUnbatched,
      baselineName: 'one run per candidate',
      target: '≥ 2,000 cand/s',
    },
    {
      name: 'featurizer alone (tree-sitter parse + features)',
      value: featuresOnly,
      unit: 'cand/s',
      baseline: parseOnly,
      baselineName: 'tree-sitter parse alone',
    },
    { name: 'reviewer re-ranker refit (500 verdicts, 300 epochs)', value: refitMs, unit: 'ms' },
  ];
}
