import { strict as assert } from 'node:assert';
import { entryPointOf, findAsserts, parseAssert, splitTopLevel } from '../../../server/src/formats';

describe('formats/asserts', () => {
  it('parses assert f(args) == expected', () => {
    assert.deepEqual(parseAssert('assert find_Rotations("aaaa") == 4'), {
      callee: 'find_Rotations',
      call: 'find_Rotations("aaaa")',
      args: '"aaaa"',
      argList: ['"aaaa"'],
      expected: '4',
      comparison: '==',
    });
  });

  it('keeps nested brackets, strings with commas and operators intact', () => {
    const p = parseAssert('assert merge([1, (2, 3)], {"a,b": "x == y"}) == [1, 2, 3]')!;
    assert.equal(p.callee, 'merge');
    assert.deepEqual(p.argList, ['[1, (2, 3)]', '{"a,b": "x == y"}']);
    assert.equal(p.expected, '[1, 2, 3]');
  });

  it('handles reversed sides, wrappers, parentheses, messages, is/!=, truthiness and isclose', () => {
    assert.equal(parseAssert('assert 6 == area(2, 3)', 'area')!.call, 'area(2, 3)');
    const s = parseAssert('assert set(common([1, 2], [2])) == set([2])', 'common')!;
    assert.equal(s.callee, 'common');
    assert.equal(s.expected, 'set([2])');
    assert.equal(parseAssert('assert (f(1)) == (2), "f(1) must be 2"')!.expected, '2');
    assert.equal(parseAssert('assert f(1) is None')!.comparison, 'is');
    assert.equal(parseAssert('assert f(1) != 3')!.comparison, '!=');
    assert.deepEqual([parseAssert('assert is_even(4)')!.expected, parseAssert('assert is_even(4)')!.comparison], ['True', 'truthy']);
    assert.deepEqual(
      [parseAssert('assert not is_even(3)')!.expected, parseAssert('assert not is_even(3)')!.comparison],
      ['False', 'falsy'],
    );
    const c = parseAssert('assert math.isclose(area(1.5), 7.0685, rel_tol=0.001)')!;
    assert.deepEqual([c.callee, c.expected, c.comparison], ['area', '7.0685', 'isclose']);
    assert.equal(parseAssert('assert Solution().twoSum([2, 7], 9) == [0, 1]', 'twoSum')!.callee, 'Solution().twoSum');
  });

  it('rejects what is not an assert on a call', () => {
    assert.equal(parseAssert('print(f(1))'), undefined);
    assert.equal(parseAssert('assert x == 1'), undefined);
  });

  it('finds asserts in prose, across continuation lines and doctest prompts', () => {
    const text = 'Tests:\n```\nassert f([1,\n          2]) == 3\n>>> assert f([]) == 0\n```\nassert f([1, 2]) == 3  \n';
    assert.deepEqual(findAsserts(text), ['assert f([1,\n2]) == 3', 'assert f([]) == 0', 'assert f([1, 2]) == 3']);
  });

  it('tells the entry point from the tests and splits at top-level commas', () => {
    assert.equal(entryPointOf(['assert set(g(1)) == {1}', 'assert g(2) == [2]']), 'g');
    assert.deepEqual(splitTopLevel('1, "a,b", [2, 3], f(4, 5)'), ['1', '"a,b"', '[2, 3]', 'f(4, 5)']);
  });
});
