import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { importReviewSet, splitCases } from '../../../server/src/formats';

const STATEMENT = 'The first line contains the number of test cases t. Each test case is one line with two integers a and b; print a + b.';

describe('formats/stdioCases', () => {
  it('splits a counted input with one line per case into per-case pairs', () => {
    const cases = splitCases('3\n1 2\n5 5\n-1 1\n', '3\n10\n0\n', STATEMENT)!;
    assert.deepEqual(
      cases.map((c) => [c.input, c.expectedOutput]),
      [
        ['1\n1 2\n', '3\n'],
        ['1\n5 5\n', '10\n'],
        ['1\n-1 1\n', '0\n'],
      ],
    );
    assert.deepEqual(
      cases.map((c) => [c.inputLines, c.outputLines]),
      [
        [
          [1, 1],
          [0, 0],
        ],
        [
          [2, 2],
          [1, 1],
        ],
        [
          [3, 3],
          [2, 2],
        ],
      ],
    );
  });

  it('splits cases of several lines: equal blocks, or a header that says how many lines follow', () => {
    const equal = splitCases('2\n3\n1 2 3\n2\n4 4\n', '6\n8\n', STATEMENT)!;
    assert.deepEqual(
      equal.map((c) => c.input),
      ['1\n3\n1 2 3\n', '1\n2\n4 4\n'],
    );
    const headed = splitCases('2\n2\n1\n2\n3\n7\n8\n9\n', 'A\nB\n', STATEMENT)!;
    assert.deepEqual(
      headed.map((c) => c.input),
      ['1\n2\n1\n2\n', '1\n3\n7\n8\n9\n'],
    );
    assert.deepEqual(
      headed.map((c) => c.inputLines),
      [
        [1, 3],
        [4, 7],
      ],
    );
    const twoLineAnswers = splitCases('2\n1\n2\n', 'YES\n1\nNO\n-1\n', STATEMENT)!;
    assert.deepEqual(
      twoLineAnswers.map((c) => c.expectedOutput),
      ['YES\n1\n', 'NO\n-1\n'],
    );
  });

  it('splits cases sized by their first line: a string of n characters, n - 1 edges, n - 1 values', () => {
    const strings = splitCases('3\n3\n101\n2\n11\n4\n1001\n', 'A\nB\nC\n', STATEMENT)!;
    assert.deepEqual(
      strings.map((c) => c.input),
      ['1\n3\n101\n', '1\n2\n11\n', '1\n4\n1001\n'],
    );
    const trees = splitCases('2\n3\n1 2\n2 3\n2\n1 2\n', '5\n6\n', STATEMENT)!;
    assert.deepEqual(
      trees.map((c) => c.input),
      ['1\n3\n1 2\n2 3\n', '1\n2\n1 2\n'],
    );
    const gaps = splitCases('2\n4\n5 6 7\n3\n1 1\n', 'x\ny\n', STATEMENT)!;
    assert.deepEqual(
      gaps.map((c) => c.input),
      ['1\n4\n5 6 7\n', '1\n3\n1 1\n'],
    );
    assert.equal(
      splitCases('2\n1 2\n3 4\n5 6\n7 8\n', 'a\nb\n', STATEMENT),
      undefined,
      'pairs of lines alike: blocks could be cut anywhere',
    );
  });

  it('does not split what is not clearly a sequence of cases', () => {
    assert.equal(splitCases('3\n1 2 3\n', '6\n', STATEMENT), undefined, 'n then an array');
    assert.equal(splitCases('1\n5 5\n', '10\n', STATEMENT), undefined, 'a single case');
    assert.equal(splitCases('2\n1 2\n3 4\n', '3\n', STATEMENT), undefined, 'one answer for two cases');
    assert.equal(splitCases('2\n5\n1 1\n4\n', '1\n2\n', STATEMENT), undefined, 'cases of unclear size');
    assert.equal(
      splitCases('2\n1 2\n3 4\n', '3\n7\n', 'Read n queries and answer each one.'),
      undefined,
      'the statement speaks of no test cases',
    );
    assert.equal(splitCases('hello\nworld\nx\n', 'a\nb\n', STATEMENT), undefined);
  });

  it('puts the cases on the imported stdio tests', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'loophole-cases-'));
    try {
      const file = path.join(dir, 'cf.jsonl');
      const statement = `${STATEMENT}\n\nInput\n\n    2\n    1 2\n    3 4\n\nOutput\n\n    3\n    7\n`;
      writeFileSync(file, JSON.stringify({ id: 'p1', statement, solutions: [{ completion: 'print(1)' }] }) + '\n');
      const { set } = await importReviewSet(file, { format: 'stdio' });
      const t = set.problems[0]!.tests[0]!;
      assert.equal(t.kind, 'stdio');
      assert.deepEqual(t.kind === 'stdio' ? t.cases?.map((c) => [c.input, c.expectedOutput]) : undefined, [
        ['1\n1 2\n', '3\n'],
        ['1\n3 4\n', '7\n'],
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
