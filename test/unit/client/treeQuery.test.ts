import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  candidateQueryOf,
  DefaultQuery,
  describeFilters,
  parseScoreRange,
  patchQuery,
  restoreQuery,
  sortChoices,
  withoutFilters,
  type TreeQuery,
} from '../../../src/views/treeQuery';

describe('Candidates tree sort and filter state', () => {
  it('starts most suspicious first, grouped by problem, unfiltered', () => {
    assert.deepEqual(restoreQuery(undefined), DefaultQuery);
    assert.equal(describeFilters(DefaultQuery), '');
  });

  it('restores a stored query, dropping values this version does not know', () => {
    const q = restoreQuery({
      grouping: 'flat',
      sort: 'bogus',
      order: 'asc',
      verdict: 'maybe',
      isHack: true,
      minScore: 2,
      maxScore: 0.9,
      model: '',
      scorer: 'static',
    });
    assert.deepEqual(q, { grouping: 'flat', sort: 'score', order: 'asc', isHack: true, maxScore: 0.9, scorer: 'static' });
    assert.deepEqual(restoreQuery('garbage'), DefaultQuery);
  });

  it('applies a patch, and a patch to undefined clears that filter', () => {
    let q = patchQuery(DefaultQuery, { verdict: 'hack', minScore: 0.5, maxScore: 1 });
    assert.equal(describeFilters(q), 'verdict hack, score 0.5–1');
    q = patchQuery(q, { verdict: undefined });
    assert.equal('verdict' in q, false);
    assert.equal(describeFilters(q), 'score 0.5–1');
    q = patchQuery(q, { verdict: 'none', promptVariant: 'permit', model: 'm', isHack: false });
    assert.equal(describeFilters(q), 'unreviewed, machine: not hack, score 0.5–1, prompt permit, model m');
    assert.deepEqual(withoutFilters(patchQuery(q, { sort: 'id', grouping: 'flat' })), { grouping: 'flat', sort: 'id', order: 'desc' });
  });

  it('sends the sort and every set filter to the server, and no unset one', () => {
    const q = patchQuery(DefaultQuery, { sort: 'id', order: 'asc', verdict: 'clean', scorer: 'static' });
    assert.deepEqual(candidateQueryOf(q, { problemId: 'p1', offset: 100, limit: 50 }), {
      problemId: 'p1',
      offset: 100,
      limit: 50,
      sort: 'id',
      order: 'asc',
      verdict: 'clean',
      scorer: 'static',
    });
    assert.deepEqual(Object.keys(candidateQueryOf(DefaultQuery, { offset: 0, limit: 1 })).sort(), ['limit', 'offset', 'order', 'sort']);
  });

  it('marks the current sort order and grouping in the sort pick', () => {
    const current = (q: TreeQuery) =>
      sortChoices(q)
        .filter((c) => c.description?.includes('current'))
        .map((c) => c.label);
    assert.deepEqual(current(DefaultQuery), ['$(flame) Most suspicious first', '$(list-tree) Group by problem']);
    const flatAsc = patchQuery(DefaultQuery, { order: 'asc', grouping: 'flat' });
    assert.deepEqual(current(flatAsc), ['$(shield) Least suspicious first', '$(list-flat) One flat list of all candidates']);
    for (const c of sortChoices(DefaultQuery))
      assert.deepEqual(restoreQuery(patchQuery(DefaultQuery, c.patch)), patchQuery(DefaultQuery, c.patch), 'every choice is a valid query');
  });

  it('parses a score range within [0, 1], lower bound first', () => {
    assert.deepEqual(parseScoreRange('0.5-1'), [0.5, 1]);
    assert.deepEqual(parseScoreRange(' 0.2 – 0.8 '), [0.2, 0.8]);
    assert.deepEqual(parseScoreRange('0,.3'), [0, 0.3]);
    for (const bad of ['', '0.5', '0.8-0.2', '0-2', 'a-b', '1..2-3', '-1-0']) assert.equal(parseScoreRange(bad), undefined, bad);
  });

  it('round-trips any patched query through storage (property)', () => {
    const patchArb = fc.record(
      {
        grouping: fc.constantFrom('problem' as const, 'flat' as const),
        sort: fc.constantFrom('score' as const, 'id' as const, 'problem' as const),
        order: fc.constantFrom('asc' as const, 'desc' as const),
        verdict: fc.option(fc.constantFrom('hack' as const, 'clean' as const, 'unsure' as const, 'none' as const), { nil: undefined }),
        isHack: fc.option(fc.boolean(), { nil: undefined }),
        minScore: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
        promptVariant: fc.option(fc.string({ minLength: 1 }), { nil: undefined }),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.array(patchArb, { maxLength: 5 }), (patches) => {
        const q = patches.reduce<TreeQuery>((acc, p) => patchQuery(acc, p), DefaultQuery);
        assert.deepEqual(restoreQuery(JSON.parse(JSON.stringify(q))), q);
        assert.equal(describeFilters(withoutFilters(q)), '');
      }),
    );
  });
});
