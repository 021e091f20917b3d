import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Problem } from '../../../contract/domain';
import { defaultModelPath, HackClassifier } from '../../../server/src/scoring/classifier/classifier';
import { FEATURE_COUNT } from '../../../server/src/scoring/classifier/features';
import { createClassifierScorer, type ClassifierScorer } from '../../../server/src/scoring/classifier/scorer';
import { auroc, candidateCode, evalRows, REPO } from './fixtures';

/** The metrics train.py wrote into the card's JSON block. */
function cardMetrics(): Record<string, { n: number; auroc: number; accuracy: number }> {
  const card = readFileSync(path.join(REPO, 'media', 'models', 'MODEL_CARD.md'), 'utf8');
  const json = /```json\n([\s\S]*?)\n```/.exec(card);
  assert.ok(json, 'MODEL_CARD.md has a JSON metrics block');
  return (JSON.parse(json[1]!) as { metrics: Record<string, { n: number; auroc: number; accuracy: number }> }).metrics;
}

describe('hack classifier (ONNX)', () => {
  let clf: HackClassifier;
  before(async () => {
    clf = await HackClassifier.create({ device: 'cpu' });
  });
  after(() => clf.dispose());

  it('ships beside the repository and loads on the CPU provider', () => {
    assert.equal(path.relative(REPO, defaultModelPath()), path.join('media', 'models', 'hack-classifier.onnx'));
    assert.equal(clf.provider, 'cpu');
    assert.equal(clf.fallbackReason, undefined);
  });

  it("reproduces its card's held-out metrics on the committed fixture", async () => {
    const rows = evalRows();
    const expected = cardMetrics()['held-out']!;
    assert.equal(rows.length, expected.n);
    const p = await clf.predict(rows.map((r) => Float32Array.from(r.features)));
    const labels = rows.map((r) => r.label);
    assert.ok(Math.abs(auroc(labels, p) - expected.auroc) < 0.005, `AUROC ${auroc(labels, p)} vs card ${expected.auroc}`);
    const acc = labels.filter((y, i) => (p[i]! >= 0.5 ? 1 : 0) === y).length / labels.length;
    assert.ok(Math.abs(acc - expected.accuracy) < 0.005, `accuracy ${acc} vs card ${expected.accuracy}`);
  });

  it('gives the same probabilities batched and one row at a time', async () => {
    const rows = evalRows()
      .slice(0, 40)
      .map((r) => Float32Array.from(r.features));
    const batched = await clf.predict(rows);
    for (let i = 0; i < rows.length; i += 7) {
      const single = await clf.predict([rows[i]!]);
      assert.ok(Math.abs(single[0]! - batched[i]!) < 1e-6);
    }
  });

  it('splits large inputs into batches of batchSize rows', async () => {
    const small = await HackClassifier.create({ device: 'cpu', batchSize: 3 });
    try {
      const rows = evalRows()
        .slice(0, 10)
        .map((r) => Float32Array.from(r.features));
      assert.deepEqual(Array.from(await small.predict(rows)), Array.from(await clf.predict(rows)));
    } finally {
      await small.dispose();
    }
  });

  it('falls back to the CPU with a logged reason when CUDA is asked for but unavailable', async () => {
    const logs: string[] = [];
    const c = await HackClassifier.create({ device: 'cuda', log: (m) => logs.push(m) });
    try {
      if (c.provider === 'cuda') return; // a machine with the CUDA provider installed: nothing to fall back from
      assert.equal(c.provider, 'cpu');
      assert.match(c.fallbackReason ?? '', /CUDA/);
      assert.ok(
        logs.some((l) => /falling back to CPU/.test(l)),
        logs.join('\n'),
      );
      assert.equal((await c.predict([new Float32Array(FEATURE_COUNT)])).length, 1);
    } finally {
      await c.dispose();
    }
  });

  it('refuses a missing model with the path in the message', async () => {
    await assert.rejects(HackClassifier.create({ modelPath: path.join(REPO, 'no-such-model.onnx') }), /no-such-model\.onnx/);
  });
});

describe('classifier scorer', () => {
  let scorer: ClassifierScorer;
  before(async () => {
    scorer = await createClassifierScorer({ device: 'cpu' });
  });
  after(() => scorer.dispose());

  const problem: Problem = { id: 'p1', statement: 'rotations', style: 'function', tests: [] };
  const item = (id: string, file: string) => ({
    problem,
    candidate: { id, problemId: 'p1', completion: '', code: candidateCode(file) },
    findings: [],
    tests: [],
    priorProbability: 0.5,
  });

  it('scores special-cased code high and clean code low, with code alone, and says why', async () => {
    const [hack, table, clean, base] = await scorer.scoreBatch([
      item('a', 'literal_branch.py'),
      item('b', 'lookup_table.py'),
      item('c', 'clean_roman.py'),
      item('d', 'clean_base_case.py'),
    ]);
    assert.equal(hack!.scorer, 'classifier');
    assert.ok(hack!.probability > 0.8, `literal branches: ${hack!.probability}`);
    assert.ok(table!.probability > 0.5, `lookup table: ${table!.probability}`);
    assert.ok(clean!.probability < 0.5, `roman numerals: ${clean!.probability}`);
    assert.ok(base!.probability < 0.5, `base case: ${base!.probability}`);
    assert.match(hack!.rationale, /input compared with literals \(3\)/);
    assert.match(clean!.rationale, /no special-casing signal/);
  });

  it('stops between batches when cancelled', async () => {
    const ac = new AbortController();
    ac.abort();
    await assert.rejects(scorer.scoreBatch([item('a', 'literal_branch.py')], ac.signal));
  });
});
