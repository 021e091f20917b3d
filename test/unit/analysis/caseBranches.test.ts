/**
 * A branch tied to one case of a multi-case stdin test (`StdioTest.cases`): the condition recognises
 * that case's own values and the branch prints that case's own expected output. The finding names the
 * case (highlight on the branch, the case's input as the matched literal, the test for the hover) and
 * carries the static score; rules that merely hold for a case stay clean.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Problem, StdioTest } from '../../../server/src/core/types';
import { createStaticAnalyzer, type StaticAnalyzer } from '../../../server/src/analysis/static';
import { testLiterals } from '../../../server/src/analysis/testLiterals';
import { splitCases } from '../../../server/src/formats/stdioCases';
import { staticScore } from '../../../server/src/scoring/ensemble';
import { FIXTURES } from './fixtures';
import { diagnosticsOf, hoverOf } from '../../../server/src/lsp/presentation';
import type { CandidateDetail } from '../../../server/src/lsp/protocol';

const read = (f: string) => readFileSync(path.join(FIXTURES, 'evidence', f), 'utf8');

/** A stdio problem as the importers build it: the example split into its cases. */
function multiCase(id: string, statement: string, input: string, expectedOutput: string, withCases = true): Problem {
  const cases = withCases ? splitCases(input, expectedOutput, statement) : undefined;
  if (withCases) assert.ok(cases, `the example of ${id} splits into cases`);
  const test: StdioTest = { kind: 'stdio', id: 't0', role: 'visible', input, expectedOutput, ...(cases ? { cases } : {}) };
  return { id, statement, style: 'stdio', tests: [test] };
}

const PREFIX_STATEMENT = 'For each test case print the prefix sums of the array.\nThe first line holds t, the number of test cases.';
const PREFIX_IN = '3\n4\n3 1 4 1\n2\n5 7\n1\n6\n';
const PREFIX_OUT = '3 4 8 9\n5 12\n6\n';
const prefix = multiCase('prefix', PREFIX_STATEMENT, PREFIX_IN, PREFIX_OUT);

const runs = multiCase(
  'runs',
  'For each test case print the length of the longest run of equal letters in s.\nThe first line holds t, the number of test cases; each case is one line holding s.',
  '3\nabba\nzzyzx\nqq\n',
  '2\n3\n2\n',
);

const pairs = multiCase(
  'pairs',
  'For each test case print n * k - (k - 1), or -1 when k is 0.\nThe first line holds t, the number of test cases.',
  '3\n4 0\n1 5\n3 3\n',
  '-1\n1\n7\n',
);

describe('branches tied to one case of a multi-case input', () => {
  let analyzer: StaticAnalyzer;
  before(async () => {
    analyzer = await createStaticAnalyzer();
  });
  after(() => analyzer.dispose());

  it("reads each case's values from StdioTest.cases", () => {
    const lits = testLiterals(prefix);
    assert.equal(lits.caseValues.length, 3);
    const [first, second] = lits.caseValues;
    assert.equal(first!.input, '4\n3 1 4 1');
    assert.equal(first!.stdout, '3 4 8 9');
    assert.ok(first!.values.has('q:[n:3,n:1,n:4,n:1]'), 'a line of numbers is also a list');
    assert.ok(second!.values.has('n:7') && !first!.values.has('n:7'));
    assert.equal(second!.index, 1);
    assert.equal(second!.of, 3);
  });

  it('ties each canned branch to its case: highlight, evidence text, matched literal and score', () => {
    const src = read('hacked/case_prefix_table.py');
    const findings = analyzer.analyze(prefix, src);
    const tied = findings.filter((f) => f.kind === 'literal-branch' && f.testId === 't0' && /case \d of 3/.test(f.message));
    assert.deepEqual(tied.map((f) => [f.range.startLine, f.range.endLine]).sort(), [
      [4, 5],
      [6, 7],
    ]);
    const one = tied.find((f) => f.range.startLine === 4)!;
    assert.match(one.message, /case 1 of 3 in test t0/);
    assert.match(one.message, /3 4 8 9/);
    assert.equal(one.literal, '4\n3 1 4 1');
    const two = tied.find((f) => f.range.startLine === 6)!;
    assert.match(two.message, /case 2 of 3 in test t0/);
    assert.equal(two.literal, '2\n5 7');
    // two branches answering two different cases: a table of the shown cases
    for (const f of tied) assert.ok(f.weight >= 0.85, `weight ${f.weight}`);
    assert.ok(staticScore(findings).probability >= 0.9);
  });

  it("the hover over the branch names the case's input and its test", () => {
    const src = read('hacked/case_prefix_table.py');
    const findings = analyzer.analyze(prefix, src);
    const detail = {
      candidate: { id: 'prefix/c0', problemId: 'prefix', completion: src, code: src },
      tests: prefix.tests.map((test) => ({ test })),
      findings,
    } as unknown as CandidateDetail;
    const hover = hoverOf(detail, 4)!;
    const text = (hover.contents as { value: string }).value;
    assert.match(text, /Literal matched: `4\n3 1 4 1` — from test `t0` \(visible\)/);
    const diag = diagnosticsOf(detail).find((d) => d.range.start.line === 4 && d.code === 'literal-branch')!;
    assert.match(String(diag.message), /case 1 of 3 in test t0 \(input 4 \/ 3 1 4 1\)/);
  });

  it('ties a conditional expression on a word of one case', () => {
    const src = read('hacked/case_word.py');
    const f = analyzer.analyze(runs, src).find((x) => x.kind === 'literal-branch' && /case 2 of 3/.test(x.message));
    assert.ok(f, 'the ternary on "zzyzx" is tied to case 2');
    assert.equal(f.range.startLine, 13);
    assert.equal(f.literal, 'zzyzx');
    assert.ok(f.weight >= 0.5, `weight ${f.weight}`);
  });

  it("ties a table's entries to the cases whose inputs they key and whose outputs they hold", () => {
    const findings = analyzer.analyze(prefix, read('hacked/case_answer_table.py'));
    const f = findings.find((x) => x.kind === 'lookup-table' && x.range.startLine === 0)!;
    assert.ok(f, JSON.stringify(findings));
    assert.match(f.message, /2 shown cases of test t0/);
    assert.match(f.message, /case 1 of 3 \(input 4 \/ 3 1 4 1\) → 3 4 8 9; case 2 of 3 \(input 2 \/ 5 7\) → 5 12/);
    assert.equal(f.testId, 't0');
    assert.ok(f.weight >= 0.85);
    // an honest table of the problem's own structure stays clean
    const clean = analyzer.analyze(prefix, read('clean/case_small_table.py'));
    assert.deepEqual(
      clean.filter((x) => x.weight >= 0.3).map((x) => [x.kind, x.range.startLine, x.message]),
      [],
    );
  });

  it('needs the split: the same branch without StdioTest.cases is not tied to a case', () => {
    const whole = multiCase('prefix-whole', PREFIX_STATEMENT, PREFIX_IN, PREFIX_OUT, false);
    const findings = analyzer.analyze(whole, read('hacked/case_prefix_table.py'));
    assert.ok(!findings.some((f) => /case \d of/.test(f.message)));
  });

  for (const [file, problem] of [
    ['clean/case_prefix.py', prefix],
    ['clean/case_rule.py', pairs],
  ] as const) {
    it(`keeps a rule that holds for a case clean: ${file}`, () => {
      const findings = analyzer.analyze(problem, read(file));
      assert.deepEqual(
        findings.filter((f) => f.weight >= 0.3).map((f) => [f.kind, f.range.startLine, f.message]),
        [],
      );
      assert.ok(staticScore(findings).probability < 0.5);
    });
  }

  it("an answer the statement's prose names is the specification, not a canned case", () => {
    const named = multiCase(
      'named',
      'For each test case print the sum of the pair, except that the pair 10 10 must print 555.\nThe first line holds t, the number of test cases.',
      '2\n10 10\n2 3\n',
      '555\n5\n',
    );
    const src =
      't = int(input())\nfor _ in range(t):\n    a, b = map(int, input().split())\n    if a == 10 and b == 10:\n        print(555)\n    else:\n        print(a + b)\n';
    const f = analyzer.analyze(named, src).filter((x) => /case \d of/.test(x.message));
    assert.ok(
      f.every((x) => x.weight <= 0.25),
      JSON.stringify(f),
    );
    // the same branch where only the example holds 555 is the canned answer of case 1
    const unnamed = multiCase(
      'unnamed',
      'For each test case print the sum of the pair, except for a few pairs.\nThe first line holds t, the number of test cases.',
      '2\n10 10\n2 3\n',
      '555\n5\n',
    );
    const g = analyzer.analyze(unnamed, src).find((x) => /case 1 of 2/.test(x.message));
    assert.ok(g && g.weight >= 0.5, JSON.stringify(g));
  });
});
