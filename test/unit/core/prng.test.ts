/** The one seeded PRNG: its draws are part of stored results (curation splits and picks, the classifier's
 *  training renderings), so they must not drift. */
import assert from 'node:assert/strict';
import { hash32, mulberry32, shuffled, streamFor } from '../../../server/src/core/prng';

describe('core/prng', () => {
  it('draws the same numbers for the same seed, as it always has', () => {
    const r = mulberry32(7);
    assert.deepEqual([r(), r(), r()], [0.011704753153026104, 0.06195825757458806, 0.97690763277933]);
    assert.equal(hash32('p1', 42), 2327902910);
  });

  it('gives each key its own stream, whatever order the keys are visited in', () => {
    const first = ['a', 'b', 'c'].map((k) => streamFor(9, k)());
    const reversed = ['c', 'b', 'a'].map((k) => streamFor(9, k)()).reverse();
    assert.deepEqual(first, reversed);
    assert.equal(new Set(first).size, 3);
  });

  it('shuffles a copy into a permutation, reproducibly', () => {
    const items = Array.from({ length: 50 }, (_, i) => i);
    const a = shuffled(items, mulberry32(1));
    assert.deepEqual(
      [...a].sort((x, y) => x - y),
      items,
    );
    assert.deepEqual(a, shuffled(items, mulberry32(1)));
    assert.notDeepEqual(a, items);
    assert.equal(items[0], 0, 'the input is left as it was');
  });
});
