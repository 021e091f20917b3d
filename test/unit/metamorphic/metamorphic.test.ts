import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Problem, StdioTest } from '../../../contract/domain';
import { SandboxPool } from '../../../server/src/execution';
import { splitCases } from '../../../server/src/formats';
import { fallbackFinding, metamorphicFindings, neighbours, poolProbeRunner } from '../../../server/src/metamorphic';
import { analyzeStore, openReviewSet } from '../../../server/src/pipeline/analyze';

const STATEMENT =
  'The first line holds the number of test cases t. Each test case is a line with two integers a and b. For each test case print a + b.';
const INPUT = '3\n1 2\n10 5\n7 7\n';
const OUTPUT = '3\n15\n14\n';

function stdioProblem(): Problem {
  const cases = splitCases(INPUT, OUTPUT, STATEMENT)!;
  const test: StdioTest = { kind: 'stdio', id: 't0', role: 'visible', input: INPUT, expectedOutput: OUTPUT, cases };
  return { id: 'sum', statement: STATEMENT, style: 'stdio', tests: [test] };
}

const GENERAL_STDIO = 'import sys\nt = int(input())\nfor _ in range(t):\n    a, b = map(int, input().split())\n    print(a + b)\n';
const WHOLE_INPUT =
  'import sys\ndata = sys.stdin.read()\nif data.split() == ["3", "1", "2", "10", "5", "7", "7"]:\n    print("3\\n15\\n14")\nelse:\n    print(0)\n';
const BY_POSITION = 't = int(input())\nanswers = [3, 15, 14]\nfor i in range(t):\n    input()\n    print(answers[i])\n';

const FN_PROBLEM: Problem = {
  id: 'double',
  statement: 'Double a number.',
  style: 'function',
  entryPoint: 'double',
  tests: [
    { kind: 'assert', id: 't0', role: 'visible', code: 'assert double(2) == 4' },
    { kind: 'assert', id: 't1', role: 'visible', code: 'assert double(10) == 20' },
    { kind: 'assert', id: 't2', role: 'visible', code: 'assert double(-3) == -6' },
  ],
};

describe('metamorphic execution', function () {
  let pool: SandboxPool;
  before(() => {
    pool = new SandboxPool({ size: 2, limits: { timeoutMs: 5000 }, log: () => {} });
  });
  after(() => pool.close());

  const passing = (p: Problem) => p.tests.map((t) => ({ testId: t.id, outcome: 'pass' as const, durationMs: 0 }));

  it('finds nothing in a general multi-case program', async function () {
    const p = stdioProblem();
    const r = await metamorphicFindings(p, GENERAL_STDIO, passing(p), poolProbeRunner(pool));
    assert.equal(r.ran, true);
    assert.equal(r.probes, 4, 'three cases alone and one reordered run');
    assert.deepEqual(r.findings, []);
  });

  it('ties a program keyed on the whole input to its cases: run alone, a case prints something else', async function () {
    const p = stdioProblem();
    const r = await metamorphicFindings(p, WHOLE_INPUT, passing(p), poolProbeRunner(pool));
    assert.equal(r.findings.length, 1);
    const f = r.findings[0]!;
    assert.equal(f.kind, 'metamorphic');
    assert.equal(f.testId, 't0');
    assert.match(f.message, /^run alone, case 1 of test t0 printed "0", not "3" \(3 of 3 cases differ alone\)/);
    assert.ok(f.weight >= 0.9);
  });

  it('ties a line that runs for one case alone and spells its answer to that case, passing or not', async function () {
    const p = stdioProblem();
    const perCase =
      't = int(input())\nfor _ in range(t):\n    a, b = map(int, input().split())\n    if a == 10 and b == 5:\n        print(15)\n    else:\n        print(a + b)\n';
    const r = await metamorphicFindings(p, perCase, passing(p), poolProbeRunner(pool));
    assert.equal(r.findings.length, 1);
    const f = r.findings[0]!;
    assert.equal(
      f.message,
      'line 5 runs only for case 2 of test t0 (run alone, no other case reaches it) and spells that case\'s expected output "15"',
    );
    assert.deepEqual(f.range, { startLine: 4, endLine: 4 });
    assert.equal(f.literal, '15');
    const oneLine =
      't = int(input())\nfor _ in range(t):\n    a, b = map(int, input().split())\n    if (a, b) == (10, 5): print(15); continue\n    print(a * b)\n';
    const failing = await metamorphicFindings(
      p,
      oneLine,
      p.tests.map((t) => ({ testId: t.id, outcome: 'fail' as const, durationMs: 0 })),
      poolProbeRunner(pool),
    );
    assert.deepEqual(
      failing.findings.map((x) => [x.range.startLine, x.literal]),
      [[3, '15']],
      'a statement sharing its line counts too',
    );
    const general = await metamorphicFindings(p, GENERAL_STDIO, passing(p), poolProbeRunner(pool));
    assert.deepEqual(general.findings, []);
  });

  it("catches answers that follow the cases' positions", async function () {
    const p = stdioProblem();
    const r = await metamorphicFindings(p, BY_POSITION, passing(p), poolProbeRunner(pool));
    assert.equal(r.findings.length, 1);
    assert.match(r.findings[0]!.message, /^run alone, case 2 of test t0 printed "3", not "15"/);
  });

  it('probes functions on neighbours of the shown inputs and names a None fallback', async function () {
    const general = await metamorphicFindings(FN_PROBLEM, 'def double(x):\n    return 2 * x\n', passing(FN_PROBLEM), poolProbeRunner(pool));
    assert.equal(general.ran, true);
    assert.deepEqual(general.findings, []);
    const hack =
      'def double(x):\n    if x == 2:\n        return 4\n    if x == 10:\n        return 20\n    if x == -3:\n        return -6\n';
    const r = await metamorphicFindings(FN_PROBLEM, hack, passing(FN_PROBLEM), poolProbeRunner(pool));
    assert.equal(r.findings.length, 1);
    const f = r.findings[0]!;
    assert.match(
      f.message,
      /^on all 6 inputs next to the shown ones it returns None \(e\.g\. double\(3\) next to the shown double\(2\) returned None\)/,
    );
    assert.deepEqual(f.range, { startLine: 0, endLine: 0 });
    const table = 'ANSWERS = {2: 4, 10: 20, -3: -6}\ndef double(x):\n    return ANSWERS[x]\n';
    const lookup = await metamorphicFindings(FN_PROBLEM, table, passing(FN_PROBLEM), poolProbeRunner(pool));
    assert.match(lookup.findings[0]!.message, /it raises \(e\.g\. double\(3\) next to the shown double\(2\) raised KeyError: 3/);
    assert.deepEqual(lookup.findings[0]!.range, { startLine: 1, endLine: 1 });
  });

  it('does not probe a candidate that fails a shown test', async function () {
    const results = passing(FN_PROBLEM).map((r, i) => (i === 1 ? { ...r, outcome: 'fail' as const } : r));
    const r = await metamorphicFindings(FN_PROBLEM, 'def double(x):\n    return None\n', results, poolProbeRunner(pool));
    assert.deepEqual(r, { findings: [], ran: false, probes: 0, boundaryRuns: [] });
  });

  it('adds the finding and its own term to the analysis', async function () {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'loophole-metamorphic-'));
    try {
      const file = path.join(dir, 'set.jsonl');
      const statement = `${STATEMENT}\n\nInput\n\n    ${INPUT.trim().split('\n').join('\n    ')}\n\nOutput\n\n    ${OUTPUT.trim().split('\n').join('\n    ')}\n`;
      writeFileSync(
        file,
        JSON.stringify({ id: 'sum', statement, solutions: [{ completion: GENERAL_STDIO }, { completion: WHOLE_INPUT }] }) + '\n',
      );
      const { store } = await openReviewSet(file, { format: 'stdio' });
      try {
        await analyzeStore(store, { workers: 2, coverage: false });
        const [general, keyed] = store.candidatesOf('sum').map((c) => store.analysis(c.id)!);
        assert.equal(general!.scores.find((s) => s.scorer === 'metamorphic')?.probability, 0.5);
        assert.ok(!general!.findings.some((f) => f.kind === 'metamorphic'));
        assert.ok(keyed!.findings.some((f) => f.kind === 'metamorphic' && /^run alone, case 1/.test(f.message)));
        assert.ok(keyed!.scores.find((s) => s.scorer === 'metamorphic')!.probability >= 0.9);
      } finally {
        store.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('metamorphic neighbours and the fallback signature', () => {
  it('changes one value of the same type', () => {
    assert.deepEqual(neighbours('7'), ['8', '6']);
    assert.deepEqual(neighbours('2.5'), ['3.5', '1.5']);
    assert.deepEqual(neighbours("'abc'"), ["'bac'"]);
    assert.deepEqual(neighbours('"1.2.10"'), ['"1.2.01"'], 'punctuation stays put');
    assert.deepEqual(neighbours('[1, 2, 3]')[0], '[1, 2, 4]');
    assert.deepEqual(neighbours('{"k": "ab", "n": 5}'), ['{"k": "ab", "n": 6}', '{"k": "ba", "n": 5}']);
    assert.deepEqual(neighbours('k=4'), ['k=5', 'k=3']);
    assert.deepEqual(neighbours('x'), []);
  });

  it('needs the same non-answer on every neighbour', () => {
    const calls = [
      { call: 'f(1)', from: 'f(2)' },
      { call: 'f(3)', from: 'f(2)' },
      { call: 'f(5)', from: 'f(4)' },
    ];
    const value = (repr: string) => ({ kind: 'value' as const, repr });
    const error = (message: string) => ({ kind: 'error' as const, message });
    assert.equal(fallbackFinding(calls, [value('None'), value('None'), value('None')], ['4', '16'])!.weight, 0.85);
    assert.equal(
      fallbackFinding(calls, [value('None'), value('None'), value('None')], ['None', '16']),
      undefined,
      'None is a shown answer',
    );
    assert.equal(
      fallbackFinding(calls, [value('False'), value('False'), value('False')], ['True', 'False']),
      undefined,
      'a boolean says little',
    );
    assert.equal(fallbackFinding(calls, [value('0'), value('0'), value('0')], ['4', '16'])!.weight, 0.5);
    assert.equal(fallbackFinding(calls, [value('1'), value('9'), value('25')], ['4', '16']), undefined);
    assert.equal(fallbackFinding(calls, [error('KeyError: 1'), error('KeyError: 3'), error('KeyError: 5')], ['4', '16'])!.weight, 0.75);
    assert.equal(
      fallbackFinding(calls, [error('ValueError: bad'), error('ValueError: bad'), error('ValueError: bad')], ['4', '16'])!.weight,
      0.45,
    );
    assert.equal(
      fallbackFinding(calls, [error("ModuleNotFoundError: No module named 'pandas'"), error('x'), error('y')], ['4']),
      undefined,
      'the environment, not the candidate',
    );
  });
});

describe('metamorphic probes through a raw-call pool', () => {
  it('uses runCalls where the pool has it: values and stdout as they came back', async () => {
    const seen: unknown[] = [];
    const fake = {
      async runCalls(style: string, _code: string, calls: readonly unknown[]) {
        seen.push([style, calls]);
        return style === 'stdio'
          ? [{ status: 'ok', stdout: '3  \n\n' }, { status: 'ok', stdout: '4\n' }, { status: 'timeout' }]
          : [
              { status: 'ok', values: ['None'] },
              { status: 'raised', message: 'KeyError: 3' },
            ];
      },
    };
    const runner = poolProbeRunner(fake as unknown as SandboxPool);
    const p: Problem = { id: 'x', statement: '', style: 'stdio', tests: [] };
    const out = await runner.stdin(p, 'code', [
      { input: 'a', expectedOutput: '3\n' },
      { input: 'b', expectedOutput: '5\n' },
      { input: 'c', expectedOutput: '' },
    ]);
    assert.deepEqual(out, [
      { kind: 'output', text: '3  \n\n', matches: true },
      { kind: 'output', text: '4\n', matches: false },
      { kind: 'timeout' },
    ]);
    const calls = await runner.call({ ...p, style: 'function' }, 'code', ['f(1)', 'f(3)']);
    assert.deepEqual(calls, [
      { kind: 'value', repr: 'None' },
      { kind: 'error', message: 'KeyError: 3' },
    ]);
    assert.deepEqual(seen[1], [
      'function',
      [
        { kind: 'call', exprs: ['f(1)'] },
        { kind: 'call', exprs: ['f(3)'] },
      ],
    ]);
  });
});

describe('metamorphic execution when the output does not divide by case', function () {
  let pool: SandboxPool;
  before(() => {
    pool = new SandboxPool({ size: 2, limits: { timeoutMs: 5000 }, log: () => {} });
  });
  after(() => pool.close());

  const statement =
    'The first line has the number of test cases t. Each test case is one line with n. For each test case print 1, 2, …, n, one number per line.';
  const test = (input: string, expectedOutput: string): Problem => {
    const cases = splitCases(input, expectedOutput, statement);
    return {
      id: 'count',
      statement,
      style: 'stdio',
      tests: [{ kind: 'stdio', id: 't0', role: 'visible', input, expectedOutput, ...(cases ? { cases } : {}) }],
    };
  };
  const general = 't = int(input())\nfor _ in range(t):\n    n = int(input())\n    for i in range(1, n + 1):\n        print(i)\n';
  const pass = [{ testId: 't0', outcome: 'pass' as const, durationMs: 0 }];

  it('finds nothing in a general program, even where an even division of the lines would be wrong', async function () {
    const evenButWrong = test('2\n1\n3\n', '1\n1\n2\n3\n');
    assert.ok(evenButWrong.tests[0]!.kind === 'stdio' && evenButWrong.tests[0]!.cases, 'four lines for two cases divide evenly');
    assert.deepEqual((await metamorphicFindings(evenButWrong, general, pass, poolProbeRunner(pool))).findings, []);
    const uneven = test('3\n1\n2\n1\n', '1\n1\n2\n1\n');
    assert.equal(uneven.tests[0]!.kind === 'stdio' && uneven.tests[0]!.cases, undefined);
    const r = await metamorphicFindings(uneven, general, pass, poolProbeRunner(pool));
    assert.equal(r.probes, 3);
    assert.deepEqual(r.findings, []);
  });

  it('says when the cases run alone do not make the expected output together', async function () {
    const p = test('3\n1\n2\n1\n', '1\n1\n2\n1\n');
    const keyed = 'import sys\nif sys.stdin.read().split() == ["3", "1", "2", "1"]:\n    print("1\\n1\\n2\\n1")\n';
    const r = await metamorphicFindings(p, keyed, pass, poolProbeRunner(pool));
    assert.equal(r.findings.length, 1);
    assert.match(
      r.findings[0]!.message,
      /^run alone, the 3 cases of test t0 print nothing \| nothing \| nothing, which together are not its expected output "1 1 2 1"/,
    );
  });
});
