import assert from 'node:assert/strict';
import type { Problem } from '../../../contract/domain';
import { SandboxPool } from '../../../server/src/execution';
import { candidate, outcomes, problem } from './fixtures';

describe('execution/SandboxPool', function () {
  let pool: SandboxPool;
  before(() => {
    pool = new SandboxPool({ size: 2, limits: { timeoutMs: 3000 }, log: () => {} });
  });
  after(() => pool.close());

  it('uses bubblewrap when it works here, and says so', function () {
    assert.ok(pool.isolation === 'bwrap' || pool.isolation === 'namespaces'); // auto is never unisolated
    assert.ok(pool.isolationReason.length > 0);
  });

  it('runs every test in the problem order with pass, fail and error', async function () {
    const add = problem('add.problem.json');
    const results = await pool.runCandidate(add, candidate('clean_add.py'));
    assert.deepEqual(
      results.map((r) => r.testId),
      ['t0', 't1', 't2'],
    );
    assert.deepEqual(outcomes(results), { t0: 'pass', t1: 'pass', t2: 'fail' });
    assert.match(results[2]!.message!, /assert add\(2, 2\) == 5 — got 4/);
    for (const r of results) assert.ok(r.durationMs >= 0);
  });

  it('reports a runtime error with its type, message and candidate line', async function () {
    const add = problem('add.problem.json');
    const code = 'def add(a, b):\n    if a == 2:\n        raise ValueError("no twos")\n    return a + b\n';
    const results = await pool.runCandidate(add, code);
    assert.deepEqual(outcomes(results), { t0: 'pass', t1: 'error', t2: 'error' });
    assert.equal(results[1]!.message, 'ValueError: no twos (line 3)');
  });

  it('keeps tests apart: state one test changes is not seen by the next', async function () {
    const p: Problem = {
      id: 'count',
      statement: '',
      style: 'function',
      tests: [
        { kind: 'assert', id: 't0', role: 'visible', code: 'assert tick() == 1' },
        { kind: 'assert', id: 't1', role: 'visible', code: 'assert tick() == 1' },
      ],
    };
    const code = 'calls = 0\ndef tick():\n    global calls\n    calls += 1\n    return calls\n';
    const results = await pool.runCandidate(p, code);
    assert.deepEqual(outcomes(results), { t0: 'pass', t1: 'pass' });
  });

  it('accepts a non-equality assert and reports its failure', async function () {
    const p: Problem = {
      id: 'lt',
      statement: '',
      style: 'function',
      tests: [
        { kind: 'assert', id: 't0', role: 'visible', code: 'assert f() < 3, "too big"' },
        { kind: 'assert', id: 't1', role: 'visible', code: 'assert f() > 3' },
      ],
    };
    const results = await pool.runCandidate(p, 'def f():\n    return 5\n');
    assert.deepEqual(outcomes(results), { t0: 'fail', t1: 'pass' });
    assert.match(results[0]!.message!, /too big/);
  });

  it('compares stdio output ignoring trailing whitespace and blank lines, and shows both on a mismatch', async function () {
    const sum = problem('coverage/sum.problem.json');
    const clean = await pool.runCandidate(sum, 'a, b = map(int, input().split())\nprint(a + b, "  ")\nprint()\n');
    assert.deepEqual(outcomes(clean), { t0: 'pass', t1: 'fail', t2: 'pass', t3: 'pass' });
    assert.equal(clean[1]!.message, 'expected "5\\n", got "4   \\n\\n"');
  });

  it('lets a stdio program end with sys.exit(0) but not with a non-zero status', async function () {
    const sum = problem('coverage/sum.problem.json');
    const ok = await pool.runCandidate(sum, 'import sys\na, b = map(int, input().split())\nprint(a + b)\nsys.exit(0)\n');
    assert.equal(ok[0]!.outcome, 'pass');
    const bad = await pool.runCandidate(sum, 'import sys\nprint(3)\nsys.exit(2)\n');
    assert.equal(bad[0]!.outcome, 'error');
    assert.match(bad[0]!.message!, /exited with sys\.exit\(2\)/);
  });

  it('records the executed candidate lines only when coverage is on', async function () {
    const add = problem('add.problem.json');
    const code = 'def add(a, b):\n    if a == 1:\n        return 3\n    return a + b\n';
    const off = await pool.runCandidate(add, code);
    assert.equal(off[0]!.lines, undefined);
    const on = await pool.runCandidate(add, code, { coverage: true });
    assert.deepEqual(on[0]!.lines, [1, 2, 3]);
    assert.deepEqual(on[1]!.lines, [1, 2, 4]);
  });

  it('runs many candidates at once without mixing their results', async function () {
    const add = problem('add.problem.json');
    const codes = Array.from({ length: 12 }, (_, k) => `def add(a, b):\n    return a + b + ${k % 3}\n`);
    const all = await Promise.all(codes.map((c) => pool.runCandidate(add, c)));
    all.forEach((results, k) => {
      const expected =
        k % 3 === 0
          ? { t0: 'pass', t1: 'pass', t2: 'fail' }
          : k % 3 === 1
            ? { t0: 'fail', t1: 'fail', t2: 'pass' }
            : { t0: 'fail', t1: 'fail', t2: 'fail' };
      assert.deepEqual(outcomes(results), expected, `candidate ${k}`);
    });
  });

  it('aborts a candidate: rejects with AbortError, kills its tests, and the pool carries on', async function () {
    const add = problem('add.problem.json');
    const controller = new AbortController();
    const hung = pool.runCandidate(add, 'while True:\n    pass\n', { signal: controller.signal });
    const other = pool.runCandidate(add, candidate('clean_add.py'));
    controller.abort();
    await assert.rejects(hung, (err: Error) => err.name === 'AbortError');
    assert.deepEqual(outcomes(await other), { t0: 'pass', t1: 'pass', t2: 'fail' });
    assert.deepEqual(outcomes(await pool.runCandidate(add, candidate('clean_add.py'))), { t0: 'pass', t1: 'pass', t2: 'fail' });
    await assert.rejects(pool.runCandidate(add, 'x = 1', { signal: AbortSignal.abort() }), (err: Error) => err.name === 'AbortError');
  });

  it('resolves a problem without tests to no results', async function () {
    assert.deepEqual(await pool.runCandidate({ id: 'none', statement: '', style: 'function', tests: [] }, 'x = 1'), []);
  });

  it('refuses to start with a Python that does not run, saying which', function () {
    assert.throws(() => new SandboxPool({ python: '/nonexistent/python3', log: () => {} }), /cannot run Python '\/nonexistent\/python3'/);
  });

  it('rejects work once closed, including work still queued', async function () {
    const own = new SandboxPool({ size: 1, limits: { timeoutMs: 3000 }, log: () => {} });
    const add = problem('add.problem.json');
    const queued = own.runCandidate(add, 'while True:\n    pass\n').then(
      () => undefined,
      (err: Error) => err,
    );
    await own.close();
    assert.match(String(await queued), /closed/);
    await assert.rejects(own.runCandidate(add, candidate('clean_add.py')), /closed/);
  });
});
