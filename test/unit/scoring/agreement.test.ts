import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Verdict, VerdictLabel } from '../../../contract/domain';
import {
  binaryAgreement,
  cohensKappa,
  humanAgreement,
  reviewerVerdicts,
  scorerAgreement,
  type VerdictEvent,
} from '../../../server/src/scoring/agreement';

const v = (candidateId: string, label: VerdictLabel, reviewer = 'ana'): Verdict => ({
  candidateId,
  label,
  reviewer,
  at: '2026-01-01T00:00:00Z',
});

describe('agreement with people', () => {
  it('computes the confusion matrix, precision, recall, F1 and kappa of a scorer', () => {
    const probs = new Map([
      ['a', 0.9],
      ['b', 0.8],
      ['c', 0.2],
      ['d', 0.1],
      ['e', 0.7],
      ['f', 0.3],
    ]);
    const verdicts = new Map(
      [
        v('a', 'hack'),
        v('b', 'hack'),
        v('c', 'hack'),
        v('d', 'clean'),
        v('e', 'clean'),
        v('f', 'clean'),
        v('g', 'hack'),
        v('h', 'unsure'),
      ].map((x) => [x.candidateId, x]),
    );
    const a = scorerAgreement('judge', probs, verdicts, 0.5);
    assert.deepEqual(a.confusion, { tp: 2, fp: 1, fn: 1, tn: 2 });
    assert.equal(a.n, 6);
    assert.equal(a.precision, 2 / 3);
    assert.equal(a.recall, 2 / 3);
    assert.ok(Math.abs(a.f1 - 2 / 3) < 1e-12);
    assert.ok(Math.abs(a.kappa! - 1 / 3) < 1e-12, `kappa ${a.kappa}`); // po = 4/6, pe = 1/2
    assert.equal(a.excludedUnsure, 1);
    assert.equal(a.unscored, 1);
    assert.deepEqual(a.disagreements.map((d) => d.candidateId).sort(), ['c', 'e']);
  });

  it('kappa is 1 for identical raters, 0 for chance-level, symmetric always', () => {
    assert.equal(
      cohensKappa([
        [5, 0],
        [0, 5],
      ]),
      1,
    );
    assert.equal(
      cohensKappa([
        [25, 25],
        [25, 25],
      ]),
      0,
    );
  });

  it('kappa is undefined (null) with no items or one class throughout, where chance agreement is 1', () => {
    assert.equal(
      cohensKappa([
        [2, 0],
        [0, 0],
      ]),
      null,
      'two verdicts of one class, both raters agreeing',
    );
    assert.equal(
      cohensKappa([
        [0, 0],
        [0, 3],
      ]),
      null,
    );
    assert.equal(
      cohensKappa([
        [0, 0],
        [0, 0],
      ]),
      null,
    );
    assert.equal(
      binaryAgreement([
        { predicted: true, actual: true },
        { predicted: true, actual: true },
      ]).kappa,
      null,
    );
    assert.equal(
      cohensKappa([
        [1, 0],
        [0, 1],
      ]),
      1,
    );
    fc.assert(
      fc.property(fc.array(fc.array(fc.nat(20), { minLength: 3, maxLength: 3 }), { minLength: 3, maxLength: 3 }), (t) => {
        const transposed = t.map((_, i) => t.map((row) => row[i]!));
        const k = cohensKappa(t);
        const kt = cohensKappa(transposed);
        if (k === null || kt === null) return assert.equal(k, kt);
        assert.ok(Math.abs(k - kt) < 1e-9);
        assert.ok(k <= 1 + 1e-12);
      }),
    );
  });

  it('compares reviewers pairwise and lists the candidates to adjudicate', () => {
    const verdicts = [
      v('1', 'hack', 'ana'),
      v('1', 'hack', 'bo'),
      v('2', 'clean', 'ana'),
      v('2', 'hack', 'bo'),
      v('3', 'clean', 'ana'),
      v('3', 'clean', 'bo'),
      v('3', 'unsure', 'cy'),
      v('4', 'hack', 'ana'),
    ];
    const h = humanAgreement(verdicts);
    assert.deepEqual(h.reviewers, ['ana', 'bo', 'cy']);
    const ab = h.pairs.find((p) => p.a === 'ana' && p.b === 'bo')!;
    assert.equal(ab.n, 3);
    assert.equal(ab.agreement, 2 / 3);
    assert.ok(ab.kappa !== null && ab.kappa > 0 && ab.kappa < 1);
    assert.deepEqual(
      h.disagreements.map((d) => d.candidateId),
      ['2', '3'],
    );
    assert.deepEqual(h.disagreements[1]!.labels, { ana: 'clean', bo: 'clean', cy: 'unsure' });
  });

  it('replays the append-only history: a retraction cancels the latest verdict in force', () => {
    let seq = 0;
    const e = (candidateId: string, label: VerdictLabel, reviewer: string, action: 'set' | 'retract' = 'set'): VerdictEvent => ({
      ...v(candidateId, label, reviewer),
      seq: ++seq,
      action,
    });
    const records = [
      e('x', 'hack', 'ana'),
      e('x', 'clean', 'ana'),
      e('x', 'clean', 'ana', 'retract'),
      e('x', 'clean', 'bo'),
      e('y', 'hack', 'ana'),
      e('y', 'hack', 'ana', 'retract'),
    ];
    const current = reviewerVerdicts(records.reverse());
    assert.deepEqual(current.map((r) => `${r.candidateId}:${r.reviewer}:${r.label}`).sort(), ['x:ana:hack', 'x:bo:clean']);
  });
});
