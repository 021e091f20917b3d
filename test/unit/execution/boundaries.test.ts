import assert from 'node:assert/strict';
import type { BoundaryHit, Problem, StdioTest } from '../../../contract/domain';
import { type BoundaryRun, fittedBoundaries, SandboxPool, shownRuns, wrongTestTies } from '../../../server/src/execution';
import { statesBound } from '../../../server/src/execution/boundaries';
import { splitCases } from '../../../server/src/formats';
import { metamorphicFindings, poolProbeRunner } from '../../../server/src/metamorphic';

const hit = (over: Partial<BoundaryHit> = {}): BoundaryHit => ({
  line: 3,
  column: 3,
  endColumn: 9,
  constant: 5,
  evaluations: 1,
  equal: 0,
  other: 0,
  ...over,
});
/** A comparison of two expressions: no constant, no other side. */
const between = (over: Partial<BoundaryHit> = {}): BoundaryHit => {
  const { constant: _constant, other: _other, ...rest } = hit(over);
  return rest;
};
const run = (label: string, bounds: BoundaryHit[], cases = 1): BoundaryRun => ({ label, testId: 't0', cases, bounds });
const CODE = 'a, b = map(int, input().split())\nd = b - a\nif d >= 5 and d != 0:\n    print("YES")\n';

describe('execution/fittedBoundaries (from recorded comparisons)', function () {
  it('finds a threshold one shown input sits on while another falls on its other side', function () {
    const findings = fittedBoundaries(CODE, [run('case 1 of test t0', [hit({ equal: 1 })]), run('case 2 of test t0', [hit({ other: 1 })])]);
    assert.equal(findings.length, 1);
    const f = findings[0]!;
    assert.equal(f.kind, 'fitted-boundary');
    assert.deepEqual(f.range, { startLine: 2, endLine: 2 });
    assert.equal(f.literal, undefined, "the constant is the code's, not a literal of the test");
    assert.equal(f.testId, 't0');
    assert.match(f.message, /^`d >= 5` is decided once per case, and on case 1 of test t0 the compared value is exactly 5 /);
  });

  it('names one finding per comparison, from the first run on its boundary', function () {
    const findings = fittedBoundaries(CODE, [
      run('case 1', [hit({ equal: 1 })]),
      run('case 2', [hit({ equal: 1 })]),
      run('case 3', [hit({ other: 1 })]),
    ]);
    assert.equal(findings.length, 1);
    assert.match(findings[0]!.message, /on case 1 /);
  });

  it('says nothing when no shown input falls on the other side (a length the problem fixes)', function () {
    assert.deepEqual(fittedBoundaries(CODE, [run('test t0', [hit({ equal: 1 })]), run('test t1', [hit({ evaluations: 1 })])]), []);
  });

  it('says nothing of a comparison that ran more often than its run had cases (a loop or a recursion)', function () {
    const loop = [run('test t0', [hit({ evaluations: 9, equal: 1, other: 4 })])];
    assert.deepEqual(fittedBoundaries(CODE, loop), []);
    // the same counts over nine cases are a decision per case
    assert.equal(fittedBoundaries(CODE, [run('test t0', [hit({ evaluations: 9, equal: 1, other: 4 })], 9)]).length, 1);
  });

  it('says nothing of a threshold the statement states', function () {
    const runs = [run('case 1', [hit({ equal: 1 })]), run('case 2', [hit({ other: 1 })])];
    assert.deepEqual(fittedBoundaries(CODE, runs, 'Print YES when the points are at least 5 apart.'), []);
    assert.equal(fittedBoundaries(CODE, runs, 'Print YES when the points are far apart ($$$1 \\le n \\le 100$$$).').length, 1);
  });

  it('recognises the ways a statement states a bound', function () {
    for (const text of [
      'at least 5',
      'no more than 5 times',
      '$$$n \\le 5$$$',
      'x ≥ 5',
      '5 or more',
      'a code of 5 digits',
      '$$$5 \\le k$$$',
      'a grade of 5 and above',
      'a number between 5 and 9',
      'from 1 to 5',
    ])
      assert.equal(statesBound(text, 5), true, text);
    for (const text of ['the set {1, 3, 5, 8}', 'greater than |3-5|', '15 or more', 'at least 50', 'case 5', 'between 15 and 59'])
      assert.equal(statesBound(text, 5), false, text);
    assert.equal(statesBound('at most -3 degrees', -3), true);
  });

  it('takes the passing shown tests of the main run, as many cases as each splits into', function () {
    const p: Problem = {
      id: 'p',
      statement: '',
      style: 'function',
      entryPoint: 'f',
      tests: [
        { kind: 'assert', id: 't0', role: 'visible', code: 'assert f(5) == 1' },
        { kind: 'assert', id: 't1', role: 'heldout', code: 'assert f(4) == 0' },
        { kind: 'assert', id: 't2', role: 'incorrect', code: 'assert f(1) == 7' },
      ],
    };
    const bounds = [hit({ equal: 1 })];
    const runs = shownRuns(p, [
      { testId: 't0', outcome: 'pass', durationMs: 1, bounds },
      { testId: 't1', outcome: 'pass', durationMs: 1, bounds },
      { testId: 't2', outcome: 'fail', durationMs: 1, bounds },
    ]);
    assert.deepEqual(runs, [{ label: 'test t0', testId: 't0', cases: 1, bounds }]);
  });
});

describe('execution/wrongTestTies (from recorded comparisons)', function () {
  const p: Problem = {
    id: 'tri',
    statement: '',
    style: 'function',
    entryPoint: 'f',
    tests: [
      { kind: 'assert', id: 't0', role: 'visible', code: 'assert f(2, 2, 2) == "equilateral"' },
      { kind: 'assert', id: 't1', role: 'incorrect', code: 'assert f(1, 2, 3) == "scalene"' },
      { kind: 'assert', id: 't2', role: 'heldout', code: 'assert f(1, 1, 2) == "invalid"' },
    ],
  };
  const code = 'def f(a, b, c):\n    a, b, c = sorted((a, b, c))\n    if a + b < c:\n        return "invalid"\n';
  const tie = between({ column: 7, endColumn: 16, equal: 1 });
  const noTie = between({ column: 7, endColumn: 16 });

  it('finds the comparison a passing wrong test ties on, naming a failing correct test that ties there too', function () {
    const findings = wrongTestTies(p, code, [
      { testId: 't0', outcome: 'pass', durationMs: 1, bounds: [noTie] },
      { testId: 't1', outcome: 'pass', durationMs: 1, bounds: [tie] },
      { testId: 't2', outcome: 'fail', durationMs: 1, bounds: [tie] },
    ]);
    assert.equal(findings.length, 1);
    assert.equal(findings[0]!.kind, 'wrong-test-tie');
    assert.equal(findings[0]!.testId, 't1');
    assert.deepEqual(findings[0]!.range, { startLine: 2, endLine: 2 });
    assert.equal(
      findings[0]!.message,
      'test t1 (whose expected value is wrong) passes on a tie: the two sides of `a + b < c` are equal for it, and for no correct test that passes (held-out test t2 ties there too, and fails). Which way the tie goes is what the wrong test checks: the boundary is placed for it',
    );
  });

  it('says nothing when a correct test that passes ties there, the wrong test fails, or the tie is in a loop', function () {
    const passingTie = [
      { testId: 't1', outcome: 'pass' as const, durationMs: 1, bounds: [tie] },
      { testId: 't2', outcome: 'pass' as const, durationMs: 1, bounds: [tie] },
    ];
    assert.deepEqual(wrongTestTies(p, code, passingTie), []);
    assert.deepEqual(wrongTestTies(p, code, [{ testId: 't1', outcome: 'fail', durationMs: 1, bounds: [tie] }]), []);
    const loop = between({ evaluations: 6, equal: 1 });
    assert.deepEqual(wrongTestTies(p, code, [{ testId: 't1', outcome: 'pass', durationMs: 1, bounds: [loop] }]), []);
  });

  it('finds it in a real run: a strict inequality that lets the degenerate triangle through', async function () {
    const pool = new SandboxPool({ size: 1, limits: { timeoutMs: 5000 }, log: () => {} });
    try {
      const strict = [
        'def f(a, b, c):',
        '    a, b, c = sorted((a, b, c))',
        '    if a + b < c:',
        '        return "invalid"',
        '    if a == b == c:',
        '        return "equilateral"',
        '    return "isosceles" if a == b or b == c else "scalene"',
      ].join('\n');
      const results = await pool.runCandidate(p, strict, { coverage: true });
      assert.deepEqual(
        results.map((r) => r.outcome),
        ['pass', 'pass', 'fail'],
      );
      const findings = wrongTestTies(p, strict, results);
      assert.deepEqual(
        findings.map((f) => [f.range.startLine, f.testId]),
        [[2, 't1']],
      );
      // the correct version fails the wrong test: no evidence at all
      const correct = strict.replace('a + b < c', 'a + b <= c');
      assert.deepEqual(wrongTestTies(p, correct, await pool.runCandidate(p, correct, { coverage: true })), []);
    } finally {
      await pool.close();
    }
  });
});

describe('execution/fittedBoundaries in the sandbox', function () {
  let pool: SandboxPool;
  before(() => {
    pool = new SandboxPool({ size: 2, limits: { timeoutMs: 5000 }, log: () => {} });
  });
  after(() => pool.close());

  const fnProblem: Problem = {
    id: 'big',
    statement: 'Say whether a number is big.',
    style: 'function',
    entryPoint: 'big',
    tests: [
      { kind: 'assert', id: 't0', role: 'visible', code: 'assert big(8) == True' },
      { kind: 'assert', id: 't1', role: 'visible', code: 'assert big(2) == False' },
    ],
  };

  it('counts, per test, how often each comparison with a literal ran, met it and fell on its other side', async function () {
    const code = 'def big(x):\n    if 8 <= x:\n        return True\n    return x > 100\n';
    const results = await pool.runCandidate(fnProblem, code, { coverage: true });
    assert.deepEqual(
      results.map((r) => [r.testId, r.outcome]),
      [
        ['t0', 'pass'],
        ['t1', 'pass'],
      ],
    );
    const t0 = results.find((r) => r.testId === 't0')!;
    const t1 = results.find((r) => r.testId === 't1')!;
    // `8 <= x` reads as `x >= 8`: 8 itself goes with the values above, so below is its other side
    assert.deepEqual(t0.bounds, [{ line: 2, column: 7, endColumn: 13, constant: 8, evaluations: 1, equal: 1, other: 0 }]);
    assert.deepEqual(t1.bounds, [
      { line: 2, column: 7, endColumn: 13, constant: 8, evaluations: 1, equal: 0, other: 1 },
      { line: 4, column: 11, endColumn: 18, constant: 100, evaluations: 1, equal: 0, other: 0 },
    ]);
    const findings = fittedBoundaries(code, shownRuns(fnProblem, results), fnProblem.statement);
    assert.equal(findings.length, 1);
    assert.equal(findings[0]!.message.split(' is decided')[0], '`8 <= x`');
    // without coverage nothing is recorded (and nothing is rewritten)
    const plain = await pool.runCandidate(fnProblem, code);
    assert.ok(plain.every((r) => r.bounds === undefined));
  });

  it('leaves what the program computes unchanged: objects with their own ordering, chains, side effects', async function () {
    const code = [
      'calls = []',
      'class V:',
      '    def __init__(self, v): self.v = v',
      '    def __ge__(self, other): calls.append(other); return self.v * 2 >= other',
      'def tick(x):',
      '    calls.append(x)',
      '    return x',
      'def big(x):',
      '    a = V(x) >= 8',
      '    b = 3 < tick(x) < 100',
      '    c = -5 > -x',
      '    return a and b and c and calls == [8, x]',
    ].join('\n');
    const results = await pool.runCandidate(fnProblem, code, { coverage: true });
    assert.equal(results.find((r) => r.testId === 't0')!.outcome, 'pass');
    assert.equal(results.find((r) => r.testId === 't1')!.outcome, 'pass');
    const t0 = results.find((r) => r.testId === 't0')!;
    // V(...) is not a plain number: counted as run, never as a tie; `-5 > -x` met at x = 5 only; the
    // comparison of two expressions inside `__ge__` (16 >= 8) is counted too, with no constant
    assert.deepEqual(
      t0.bounds?.map((b) => [b.line, b.constant, b.evaluations, b.equal]),
      [
        [9, 8, 1, 0],
        [11, -5, 1, 0],
        [4, undefined, 1, 0],
      ],
    );
  });

  const STATEMENT =
    'The first line holds the number of test cases t. Each test case is a line with two points a < b. Print YES when a new point can be placed strictly between them, NO otherwise.';
  const INPUT = '2\n3 8\n5 6\n';
  const OUTPUT = 'YES\nNO\n';
  function stdioProblem(): Problem {
    const cases = splitCases(INPUT, OUTPUT, STATEMENT)!;
    const test: StdioTest = { kind: 'stdio', id: 't0', role: 'visible', input: INPUT, expectedOutput: OUTPUT, cases };
    return { id: 'gap', statement: STATEMENT, style: 'stdio', tests: [test] };
  }
  const program = (condition: string) =>
    `t = int(input())\nfor _ in range(t):\n    a, b = map(int, input().split())\n    print("YES" if ${condition} else "NO")\n`;

  it('ties a threshold placed between two cases to the case that sits on it', async function () {
    const p = stdioProblem();
    const code = program('b - a >= 5');
    const results = await pool.runCandidate(p, code, { coverage: true });
    assert.equal(results[0]!.outcome, 'pass');
    const meta = await metamorphicFindings(p, code, results, poolProbeRunner(pool));
    const findings = fittedBoundaries(code, [...meta.boundaryRuns, ...shownRuns(p, results)], p.statement);
    assert.equal(findings.length, 1);
    assert.equal(
      findings[0]!.message,
      '`b - a >= 5` is decided once per case, and on case 1 of test t0 ("3 8") the compared value is exactly 5 while another shown input falls on its other side: the threshold is drawn through a shown example rather than derived from the problem',
    );
    assert.deepEqual(findings[0]!.range, { startLine: 3, endLine: 3 });
  });

  it('finds nothing in the general program, nor in a bound the loop walks through', async function () {
    const p = stdioProblem();
    for (const code of [
      program('b - a >= 2'),
      't = int(input())\nfor _ in range(t):\n    a, b = map(int, input().split())\n    k = 0\n    while k < 5:\n        k += 1\n    print("YES" if b - a > 1 else "NO")\n',
    ]) {
      const results = await pool.runCandidate(p, code, { coverage: true });
      assert.equal(results[0]!.outcome, 'pass', code);
      const meta = await metamorphicFindings(p, code, results, poolProbeRunner(pool));
      assert.deepEqual(fittedBoundaries(code, [...meta.boundaryRuns, ...shownRuns(p, results)], p.statement), [], code);
    }
  });
});
