import assert from 'node:assert/strict';
import type { Problem, TestResult } from '../../../contract/domain';
import { differentialCoverage, SandboxPool } from '../../../server/src/execution';
import { candidate, problem } from './fixtures';

/** A result with coverage, for the pure tests. */
function r(testId: string, outcome: TestResult['outcome'], lines: number[]): TestResult {
  return { testId, outcome, durationMs: 1, lines };
}

const ranges = (findings: readonly { range: { startLine: number; endLine: number } }[]) =>
  findings.map((f) => [f.range.startLine, f.range.endLine]);

describe('execution/differentialCoverage (from recorded lines)', function () {
  const double = problem('coverage/double.problem.json');

  it('finds the lines only a passed wrong test runs, even when its held-out twin runs them too', function () {
    const results = [
      r('t0', 'pass', [1, 2, 3, 4, 5]),
      r('t1', 'fail', [1, 2, 3, 4, 5]),
      r('t2', 'pass', [1, 2, 3, 6]),
      r('t3', 'pass', [1, 2, 3, 6]),
      r('t4', 'pass', [1, 2, 3, 6]),
    ];
    const findings = differentialCoverage(double, candidate('coverage/double_special_case.py'), results);
    assert.deepEqual(ranges(findings), [[3, 4]]);
    assert.equal(findings[0]!.kind, 'differential-coverage');
    assert.equal(findings[0]!.testId, 't0');
    assert.ok(findings[0]!.weight > 0.5);
  });

  it('says nothing when no test recorded lines, or a single test did', function () {
    assert.deepEqual(differentialCoverage(double, 'x', [r('t0', 'pass', [1])]), []);
    assert.deepEqual(
      differentialCoverage(
        double,
        'x',
        double.tests.map((t) => ({ testId: t.id, outcome: 'pass' as const, durationMs: 1 })),
      ),
      [],
    );
  });

  it('takes the tests the reference solution fails as wrong tests too', function () {
    const p: Problem = { ...double, tests: double.tests.map((t) => (t.id === 't0' ? { ...t, role: 'visible' as const } : t)) };
    const results = [
      r('t0', 'pass', [1, 2, 3, 4, 5]),
      r('t1', 'fail', [1, 2, 3, 4, 5]),
      r('t2', 'pass', [1, 2, 3, 6]),
      r('t3', 'pass', [1, 2, 3, 6]),
      r('t4', 'pass', [1, 2, 3, 6]),
    ];
    const reference = [r('t0', 'fail', []), r('t1', 'pass', []), r('t2', 'pass', []), r('t3', 'pass', []), r('t4', 'pass', [])];
    const code = candidate('coverage/double_special_case.py');
    // Without the reference t0 is an ordinary visible test, and its held-out twin walks the same branch.
    assert.deepEqual(differentialCoverage(p, code, results), []);
    const found = differentialCoverage(p, code, results, reference);
    assert.deepEqual(ranges(found), [[3, 4]]);
    assert.equal(found[0]!.testId, 't0');
  });

  it('sees a one-line branch through its inline statement', function () {
    const seg = (t: string, o: TestResult['outcome'], lines: number[], segments: string[]): TestResult => ({ ...r(t, o, lines), segments });
    const results = [
      seg('t0', 'pass', [1, 2], ['2:15']),
      seg('t1', 'fail', [1, 2], ['2:15']),
      seg('t2', 'pass', [1, 2, 3], []),
      seg('t3', 'pass', [1, 2, 3], []),
      seg('t4', 'pass', [1, 2, 3], []),
    ];
    const found = differentialCoverage(double, candidate('coverage/double_one_line.py'), results);
    assert.deepEqual(ranges(found), [[1, 1]]);
  });

  it('bridges blank and comment lines inside one branch', function () {
    const code = 'def f(x):\n    if x == 4:\n        a = 1\n\n        # the wrong answer\n        return 9\n    return x * 2\n';
    const results = [
      r('t0', 'pass', [1, 2, 3, 6]),
      r('t1', 'fail', [1, 2, 3, 6]),
      r('t2', 'pass', [1, 2, 7]),
      r('t3', 'pass', [1, 2, 7]),
      r('t4', 'pass', [1, 2, 7]),
    ];
    assert.deepEqual(ranges(differentialCoverage(double, code, results)), [[2, 5]]);
  });
});

describe('execution/differentialCoverage (through the sandbox)', function () {
  let pool: SandboxPool;
  before(() => {
    pool = new SandboxPool({ size: 2, limits: { timeoutMs: 3000 }, log: () => {} });
  });
  after(() => pool.close());

  async function findings(problemFile: string, candidateFile: string) {
    const p = problem(problemFile);
    const code = candidate(candidateFile);
    const results = await pool.runCandidate(p, code, { coverage: true });
    const reference = p.referenceSolution ? await pool.runCandidate(p, p.referenceSolution) : undefined;
    return differentialCoverage(p, code, results, reference);
  }

  it("a function special-casing the wrong test's input: exactly that branch", async function () {
    const found = await findings('coverage/double.problem.json', 'coverage/double_special_case.py');
    assert.deepEqual(ranges(found), [[3, 4]]);
    assert.equal(found[0]!.testId, 't0');
  });

  it('a one-line `if x == <input>: return <wrong>`: that line, though every test runs it', async function () {
    const found = await findings('coverage/double.problem.json', 'coverage/double_one_line.py');
    assert.deepEqual(ranges(found), [[1, 1]]);
    assert.equal(found[0]!.testId, 't0');
    assert.match(found[0]!.message, /one-line branch on line 2/);
  });

  it('a clean candidate: nothing', async function () {
    assert.deepEqual(await findings('coverage/double.problem.json', 'coverage/double_clean.py'), []);
  });

  it('a lookup of every visible input: the wrong answer and each visible-only branch', async function () {
    const found = await findings('coverage/double.problem.json', 'coverage/double_lookup_all.py');
    assert.deepEqual(ranges(found), [
      [2, 2],
      [4, 4],
      [6, 6],
    ]);
    assert.deepEqual(
      found.map((f) => f.testId),
      ['t0', 't2', 't3'],
    );
  });

  it('a stdio program that fingerprints the input: the branch found', async function () {
    const found = await findings('coverage/sum.problem.json', 'coverage/sum_fingerprint.py');
    assert.deepEqual(ranges(found), [[4, 4]]);
    assert.equal(found[0]!.testId, 't1');
  });

  it('a clean stdio program: nothing', async function () {
    assert.deepEqual(await findings('coverage/sum.problem.json', 'coverage/sum_clean.py'), []);
  });
});
