import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { createFeaturizer, type Featurizer } from '../../../server/src/scoring/classifier/features';
import { fitReviewerModel, predictReviewer, rankForReview, rerank, reviewerFeatures } from '../../../server/src/scoring/rerank';
import { mulberry32 as prng } from '../../../server/src/core/prng';
import { analysedStore } from './reviewStore';

describe('learning from reviewers', () => {
  it('fits a logistic layer that separates what reviewers separated', () => {
    const r = prng(3);
    const examples = Array.from({ length: 200 }, () => {
      const x = [r() * 2 - 1, r() * 2 - 1, r()];
      return { features: x, label: (x[0]! + 0.5 * x[1]! > 0 ? 1 : 0) as 0 | 1 };
    });
    const m = fitReviewerModel(examples, { epochs: 400 });
    const correct = examples.filter((e) => (predictReviewer(m, e.features) >= 0.5 ? 1 : 0) === e.label).length;
    assert.ok(correct / examples.length > 0.95, `train accuracy ${correct / examples.length}`);
    assert.ok(m.weights[0]! > m.weights[1]! && m.weights[1]! > 0, 'the stronger feature gets the larger weight');
    assert.ok(Math.abs(m.weights[2]!) < 0.5, 'noise gets little weight');
  });

  it('L2 shrinks the weights', () => {
    const ex = [
      { features: [1], label: 1 as const },
      { features: [-1], label: 0 as const },
    ];
    const loose = fitReviewerModel(ex, { l2: 0, epochs: 200 });
    const tight = fitReviewerModel(ex, { l2: 1, epochs: 200 });
    assert.ok(Math.abs(tight.weights[0]!) < Math.abs(loose.weights[0]!));
  });

  it('ranks by likelihood, by uncertainty, or both', () => {
    const m = fitReviewerModel(
      [
        { features: [2], label: 1 },
        { features: [-2], label: 0 },
        { features: [1.5], label: 1 },
        { features: [-1.5], label: 0 },
      ],
      { epochs: 300 },
    );
    const items = [
      { candidateId: 'sure-hack', features: [3] },
      { candidateId: 'coin', features: [0] },
      { candidateId: 'sure-clean', features: [-3] },
    ];
    assert.deepEqual(
      rerank(items, m, 'likely').map((x) => x.candidateId),
      ['sure-hack', 'coin', 'sure-clean'],
    );
    assert.equal(rerank(items, m, 'uncertain')[0]!.candidateId, 'coin');
    const coin = rerank(items, m, 'mixed').find((x) => x.candidateId === 'coin')!;
    assert.ok(coin.uncertainty > 0.9);
  });

  it('puts missing scorers at no opinion (0.5)', () => {
    assert.deepEqual(
      reviewerFeatures([1, 2], [{ scorer: 'judge', probability: 0.9, rationale: '' }], ['classifier', 'judge'], 0.7),
      [1, 2, 0.5, 0.9, 0.7],
    );
  });

  describe('on a store', () => {
    let f: Featurizer;
    before(async () => {
      f = await createFeaturizer();
    });
    after(() => f.dispose());

    it('falls back to the ensemble until enough verdicts, then refits and ranks only unreviewed candidates', () => {
      const { dir, store, ids } = analysedStore(4);
      try {
        const before = rankForReview(store, f.features, { minVerdicts: 6 });
        assert.equal(before.model, undefined);
        assert.equal(before.ranked.length, ids.length);
        // reviewers label the first 2 copies (14 candidates): one unsure among them
        const labelled = ids.slice(0, 14);
        labelled.forEach(({ id, hack }, i) =>
          store.addVerdict({ candidateId: id, label: i === 3 ? 'unsure' : hack ? 'hack' : 'clean', reviewer: 'ana', at: '' }),
        );
        const q = rankForReview(store, f.features, { minVerdicts: 6, mode: 'likely' });
        assert.ok(q.model);
        assert.equal(q.model.n, 13, 'unsure is left out');
        assert.equal(q.ranked.length, ids.length - 14);
        const hacksFirst = q.ranked.slice(0, 10).map((r) => ids.find((x) => x.id === r.candidateId)!.hack);
        assert.ok(hacksFirst.every(Boolean), 'the 10 unreviewed hacks rank above the 4 unreviewed clean ones');
      } finally {
        store.close();
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
