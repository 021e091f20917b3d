/**
 * The split between the candidate's process and the oracle: what each test becomes, how values come back
 * (data only), and the raw-call API others build on.
 */
import assert from 'node:assert/strict';
import type { Problem } from '../../../contract/domain';
import { SandboxPool } from '../../../server/src/execution';
import { outcomes } from './fixtures';

const fn = (...codes: string[]): Problem => ({
  id: 'p',
  statement: '',
  style: 'function',
  tests: codes.map((code, i) => ({ kind: 'assert' as const, id: `t${i}`, role: 'visible' as const, code })),
});

describe('execution/oracle outside the candidate', function () {
  let pool: SandboxPool;
  before(() => {
    pool = new SandboxPool({ size: 2, limits: { timeoutMs: 3000 }, log: () => {} });
  });
  after(() => pool.close());

  it('judges the usual shapes of assert outside, from the values alone', async function () {
    const code = [
      'import math',
      'def f(x):',
      '    return x / 10',
      'def g():',
      '    return [3, 1, 2]',
      'def h():',
      '    return None',
      'def pair():',
      '    return (1, "a")',
      'def nan():',
      '    return float("nan")',
    ].join('\n');
    const results = await pool.runCandidate(
      fn(
        'assert abs(f(3) - 0.3) < 1e-9',
        'assert math.isclose(f(1), 0.1)',
        'assert set(g()) == {1, 2, 3}',
        'assert sorted(g()) == [1, 2, 3] and len(g()) == 3',
        'assert h() is None',
        'assert pair() == (1, "a")',
        'assert pair() == [1, "a"]',
        'assert math.isnan(nan())',
        'assert f(1) + f(2) == 0.3',
        'assert g()[0] == 3',
        'assert not h()',
      ),
      code,
    );
    assert.deepEqual(
      results.map((r) => r.outcome),
      ['pass', 'pass', 'pass', 'pass', 'pass', 'pass', 'fail', 'pass', 'fail', 'pass', 'pass'],
    );
    assert.equal(
      results.some((r) => r.inProcess),
      false,
    );
    assert.match(results[6]!.message!, /assert pair\(\) == \[1, "a"\] — got \(1, 'a'\)/);
  });

  it('splits tests with set-up: statements run in place, plain values the calls do not use stay outside', async function () {
    const code = [
      'import gc',
      'class Counter:',
      '    def __init__(self):',
      '        self.n = 0',
      '    def bump(self):',
      '        self.n += 1',
      'def total(xs):',
      '    return sum(xs)',
      // Looks for the expected value everywhere it can: found, it would answer with it.
      'def peek(x):',
      '    for o in gc.get_objects():',
      '        if isinstance(o, dict) and 424242 in o.values():',
      '            return 424242',
      '    return x',
    ].join('\n');
    const results = await pool.runCandidate(
      fn(
        'c = Counter()\nc.bump()\nassert c.n == 1\nc.bump()\nassert c.n == 2',
        'data = [1, 2, 3]\nassert total(data) == 6',
        'expected = 424242\nassert peek(7) == expected',
      ),
      code,
    );
    assert.deepEqual(outcomes(results), { t0: 'pass', t1: 'pass', t2: 'fail' });
    assert.equal(
      results.some((r) => r.inProcess),
      false,
    );
    assert.match(results[2]!.message!, /^assert peek\(7\) == expected — got 7$/);
  });

  it("runs a test it cannot split whole in the candidate's process, and marks it", async function () {
    const results = await pool.runCandidate(
      fn('assert all(sq(i) == i * i for i in range(5))', 'assert sq(3) == 9'),
      'def sq(x):\n    return x * x\n',
    );
    assert.deepEqual(outcomes(results), { t0: 'pass', t1: 'pass' });
    assert.equal(results[0]!.inProcess, true);
    assert.equal(results[1]!.inProcess, undefined);
  });

  it('an exception in the call is an error with the candidate line; a value the check cannot use is a fail', async function () {
    const results = await pool.runCandidate(
      fn('assert f(0) == 1', 'assert f(1) + 1 == 3'),
      'def f(x):\n    if x == 0:\n        raise KeyError(x)\n    return "a"\n',
    );
    assert.deepEqual(outcomes(results), { t0: 'error', t1: 'fail' });
    assert.equal(results[0]!.message, 'KeyError: 0 (line 3)');
    assert.match(results[1]!.message!, /got 'a' \(TypeError/);
  });

  it('runCalls returns raw values and output; sameValues compares them as Python does', async function () {
    const code = 'stack = []\ndef push(x):\n    stack.append(x)\ndef items():\n    return list(stack)\n';
    const [r] = await pool.runCalls('function', code, [{ kind: 'call', exprs: ['push(1)', 'push(2.0)', 'items()'] }]);
    assert.equal(r!.status, 'ok');
    assert.deepEqual(r!.values, ['None', 'None', '[1, 2.0]']);
    assert.deepEqual(
      await pool.sameValues([
        ['[1, 2.0]', '[1.0, 2]'],
        ['(1,)', '[1]'],
        ['__import__("os")', '1'],
      ]),
      [true, false, null],
    );
    const [out] = await pool.runCalls('stdio', 'a, b = map(int, input().split())\nprint(a + b)\n', [{ kind: 'stdin', input: '3 4\n' }]);
    assert.equal(out!.status, 'ok');
    assert.equal(out!.stdout, '7\n');
    const [bad] = await pool.runCalls('function', 'class X:\n    pass\ndef f():\n    return X()\n', [{ kind: 'call', exprs: ['f()'] }]);
    assert.equal(bad!.status, 'error');
    assert.match(bad!.message!, /cannot be serialised as data: the result is a X object/);
  });
});
