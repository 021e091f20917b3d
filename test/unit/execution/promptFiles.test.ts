/** Files the prompt gives are in each test's working directory: fresh for every call, inside the sandbox. */
import assert from 'node:assert/strict';
import type { Problem } from '../../../server/src/core/types';
import { SandboxPool } from '../../../server/src/execution';

const problem: Problem = {
  id: 'sales',
  statement: 'Sum the amounts in sales.csv.',
  style: 'function',
  entryPoint: 'total',
  tests: [
    { kind: 'assert', id: 't0', role: 'visible', code: 'assert total("sales.csv") == 7' },
    { kind: 'assert', id: 't1', role: 'visible', code: 'assert total("sales.csv", spoil=True) == 7' },
    { kind: 'assert', id: 't2', role: 'visible', code: 'assert total("sales.csv") == 7' },
  ],
  files: [{ name: 'sales.csv', content: 'day,amount\nmon,3\ntue,4\n' }],
};

// Reads the file as the prompt says; `spoil` then tries to change it for the calls after this one.
const code = [
  'import os',
  'def total(path, spoil=False):',
  '    with open(path) as f:',
  '        rows = f.read().split()[1:]',
  '    s = sum(int(r.split(",")[1]) for r in rows)',
  '    if spoil:',
  '        try:',
  '            os.chmod(path, 0o644)',
  '            with open(path, "w") as f:',
  '                f.write("day,amount\\nmon,100\\n")',
  '        except OSError:',
  '            os.remove(path)',
  '    return s',
].join('\n');

describe('execution: files the prompt gives', function () {
  let pool: SandboxPool;
  before(() => {
    pool = new SandboxPool({ size: 1, limits: { timeoutMs: 3000 }, log: () => {} });
  });
  after(() => pool.close());

  it('a candidate that opens the given file runs, and each call gets a fresh copy', async () => {
    const results = await pool.runCandidate(problem, code);
    assert.deepEqual(
      results.map((r) => [r.testId, r.outcome]),
      [
        ['t0', 'pass'],
        ['t1', 'pass'],
        ['t2', 'pass'],
      ],
    );
  });

  it('a call that changes its copy leaves the next call a fresh one (raw calls run in order)', async () => {
    const out = await pool.runCalls(
      'function',
      code,
      [
        { kind: 'call', exprs: ['total("sales.csv", spoil=True)'] },
        { kind: 'call', exprs: ['total("sales.csv")'] },
      ],
      { files: problem.files! },
    );
    assert.deepEqual(
      out.map((r) => [r.status, r.values]),
      [
        ['ok', ['7']],
        ['ok', ['7']],
      ],
    );
  });

  it('without the files the same code fails (the file is not somewhere else on the machine)', async () => {
    const results = await pool.runCandidate({ ...problem, files: [] }, code);
    assert.ok(results.every((r) => r.outcome === 'error' && /FileNotFoundError/.test(r.message ?? '')));
  });

  it('places nothing but plain names in the working directory', async () => {
    const odd: Problem = {
      ...problem,
      tests: [{ kind: 'assert', id: 't0', role: 'visible', code: 'assert sorted(__import__("os").listdir(".")) == ["ok.txt"]' }],
      files: [
        { name: 'ok.txt', content: 'x' },
        { name: '../escape.txt', content: 'x' },
        { name: '.hidden.txt', content: 'x' },
      ],
    };
    const [r] = await pool.runCandidate(odd, 'def total(path):\n    return 0\n');
    assert.equal(r!.outcome, 'pass', r!.message);
  });
});
