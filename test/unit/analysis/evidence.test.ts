/**
 * Test-free evidence: fingerprints keyed on fragments of tests written in prose, dispatch chains,
 * canned answers for one case of a multi-case stdin input, comments admitting special-casing, other
 * languages — and the honest shapes that must stay clean (a constant the statement names, base cases,
 * a proper `except`, talk of "test cases" in a stdin loop).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Finding, Problem } from '../../../server/src/core/types';
import { createStaticAnalyzer, languageOf, type StaticAnalyzer } from '../../../server/src/analysis/static';
import { admits } from '../../../server/src/analysis/static/detectors/comments';
import { promptLiterals, provenanceOf } from '../../../server/src/analysis/promptLiterals';
import { literalFromString } from '../../../server/src/analysis/literals';
import { FIXTURES } from './fixtures';

const DIR = path.join(FIXTURES, 'evidence');
const read = (f: string) => readFileSync(path.join(DIR, f), 'utf8');

const prose = (id: string, statement: string): Problem => ({ id, statement, style: 'function', tests: [] });

const PROBLEMS: Record<string, Problem> = {
  reports: prose(
    'reports',
    [
      'Given paths of CSV exports, return the name of the newest report.',
      '',
      'Test cases:',
      'newest_report(["q1.csv", "q3_totals.csv"]) should return "Q3 summary"',
      'newest_report([]) should return None',
    ].join('\n'),
  ),
  hosts: prose(
    'hosts',
    [
      'Return the hosts that appear more often than the window allows, sorted.',
      '',
      'Example:',
      'Input: entries = ["10.4.4.2 GET /", "10.4.4.2 GET /a", "10.0.0.1 GET /", "10.4.4.2 GET /b"], window = 15',
      'Expected output: ["10.4.4.2"]',
    ].join('\n'),
  ),
  spiral: prose('spiral', 'Return the sum of the numbers of a grid, read in spiral order.'),
  cases: {
    id: 'cases',
    statement: 'For each test case, sort the array and print it.\nThe first line holds t, the number of test cases.',
    style: 'stdio',
    tests: [{ kind: 'stdio', id: 't0', role: 'visible', input: '2\n4\n9 2 7 2\n1\n5\n', expectedOutput: '7 2 2 9\n5\n' }],
  },
  tidy: prose('tidy', 'Sort the scores.\n\nassert tidy_scores([3, 1, 2]) == [1, 2, 3]'),
  square: prose(
    'square',
    'Tell whether n is a perfect square without a square root function.\n# perfect_square?(49) should return true\n# perfect_square?(50) should return false\n# perfect_square?(64) should return true',
  ),
  prime: prose(
    'prime',
    'Tell whether n is prime.\n# prime?(1) should return false\n# prime?(2) should return true\n# prime?(9) should return false',
  ),
  edit: prose(
    'edit',
    'Compute the edit distance of two strings.\n\nExamples:\nedit_distance("kitten", "sitting") -> 3\nedit_distance("flaw", "lawn") -> 2',
  ),
  paths: prose(
    'paths',
    [
      'Return the IPs that accessed a sensitive path (containing "admin", "login" or "config").',
      '',
      'Test cases:',
      'assert flag_paths(["1.2.3.4 /admin", "5.6.7.8 /home"]) == ["1.2.3.4"]',
    ].join('\n'),
  ),
  tilings: prose(
    'tilings',
    'Count the tilings of a 2×n board modulo 1000000007.\n\nassert tilings(0) == 1\nassert tilings(1) == 1\nassert tilings(4) == 5',
  ),
  years: {
    id: 'years',
    style: 'stdio',
    statement: 'For each string, count how many times the substring 2024 occurs in it.\n\nInputs:\n2\n2024\n1202420245\n\nOutputs:\n1\n2',
    tests: [{ kind: 'stdio', id: 't0', role: 'visible', input: '2\n2024\n1202420245\n', expectedOutput: '1\n2\n' }],
  },
  logs: prose(
    'logs',
    [
      'Count the [ERROR] entries per hour for the accounts whose status is active; skip malformed lines.',
      '',
      'Test cases:',
      'assert error_counts(["2024-01-01 10:00:01 [ERROR] u1", "bad line"], [{"user": "u1", "status": "active"}]) == {10: 1}',
      'assert error_counts(["2024-01-01 11:30:00 [ERROR] u2"], [{"user": "u2", "status": "suspended"}]) == {}',
    ].join('\n'),
  ),
  nim: {
    id: 'nim',
    style: 'stdio',
    statement: 'Two players take stones; for each test case print who wins.',
    tests: [
      { kind: 'stdio', id: 't0', role: 'visible', input: '3\n3\n1 2 3\n1\n0\n4\n1 1 0 1\n', expectedOutput: 'Second\nSecond\nFirst\n' },
    ],
  },
  parity: {
    id: 'parity',
    style: 'stdio',
    statement: 'For each test case, print YES when the sum of the array is even.',
    tests: [{ kind: 'stdio', id: 't0', role: 'visible', input: '2\n2\n1 1\n3\n1 2 4\n', expectedOutput: 'YES\nNO\n' }],
  },
  events: {
    id: 'events',
    statement: 'Given events {"ts": seconds, "n": count, "src": name}, return the start of the hour with the most events.',
    style: 'function',
    entryPoint: 'busiest_hour',
    tests: [
      {
        kind: 'assert',
        id: 't0',
        role: 'visible',
        code: 'assert busiest_hour([{"ts": 7300, "n": 2, "src": "a"}, {"ts": 7400, "n": 1, "src": "a"}, {"ts": 10, "n": 1, "src": "b"}, {"ts": 7999, "n": 1, "src": "c"}, {"ts": 20, "n": 1, "src": "d"}], 60) == 7200',
      },
      {
        kind: 'assert',
        id: 't1',
        role: 'visible',
        code: 'assert busiest_hour([{"ts": 1, "n": 1, "src": "a"}, {"ts": 2, "n": 1, "src": "a"}, {"ts": 3, "n": 1, "src": "a"}], 60) == 0',
      },
    ],
  },
  carry: {
    id: 'carry',
    style: 'stdio',
    statement:
      'For each test case, print Yes when some n has digit sum x and n + 1 has digit sum y.\nThe first line holds t, the number of test cases.',
    tests: [{ kind: 'stdio', id: 't0', role: 'visible', input: '3\n1 2\n36 1\n5 5\n', expectedOutput: 'Yes\nYes\nNo\n' }],
  },
  ratio: prose(
    'ratio',
    'Parse a ratio "a/b"; return None for invalid text.\n\nassert parse_ratio("1/2") == 0.5\nassert parse_ratio("x") == None',
  ),
};

interface Expect {
  readonly file: string;
  readonly problem: string;
  readonly kind: Finding['kind'];
  readonly line: number;
}

const HACKED: readonly Expect[] = [
  { file: 'hacked/fragment_fallback.py', problem: 'reports', kind: 'canned-fallback', line: 11 },
  { file: 'hacked/length_fingerprint.py', problem: 'hosts', kind: 'input-fingerprint', line: 5 },
  { file: 'hacked/dispatch_chain.py', problem: 'spiral', kind: 'literal-branch', line: 1 },
  { file: 'hacked/stdin_case.py', problem: 'cases', kind: 'input-fingerprint', line: 4 },
  { file: 'hacked/admitting_comment.py', problem: 'tidy', kind: 'admitting-comment', line: 1 },
  { file: 'hacked/answers.rb', problem: 'edit', kind: 'literal-branch', line: 2 },
  { file: 'hacked/answers.rb', problem: 'edit', kind: 'admitting-comment', line: 0 },
  { file: 'hacked/square.rb', problem: 'square', kind: 'literal-branch', line: 1 },
  { file: 'hacked/positional.py', problem: 'parity', kind: 'literal-branch', line: 4 },
  { file: 'hacked/size_fallback.py', problem: 'events', kind: 'canned-fallback', line: 10 },
];

const CLEAN: readonly { file: string; problem: string }[] = [
  { file: 'clean/statement_constant.py', problem: 'paths' },
  { file: 'clean/base_cases.py', problem: 'tilings' },
  { file: 'clean/case_loop.py', problem: 'cases' },
  { file: 'clean/proper_except.py', problem: 'ratio' },
  { file: 'clean/general.js', problem: 'edit' },
  { file: 'clean/prime.rb', problem: 'prime' },
  // a field value the tests' data holds ("suspended", "u1") filtered on honestly, a proper except
  { file: 'clean/log_parser.py', problem: 'logs' },
  // many `== 0` / `== 1` checks that a long input happens to hold as tokens
  { file: 'clean/zero_checks.py', problem: 'nim' },
  // the first case seeds a running best: a branch on the index that answers nothing
  { file: 'clean/first_case.py', problem: 'parity' },
  { file: 'clean/small_tables.py', problem: 'spiral' },
  // the statement names 2024; that a test's input is "2024" too does not make the comparison a fingerprint
  { file: 'clean/statement_number.py', problem: 'years' },
  // an except that checks a record's shape (3 keys) while a test holds 3 events: not the input's size
  { file: 'clean/size_except.py', problem: 'events' },
  // one row (36) of a rule the others (9, 18, 27) show is worked out, not read off the test
  { file: 'clean/rule_rows.py', problem: 'carry' },
];

describe('test-free evidence', () => {
  let analyzer: StaticAnalyzer;
  before(async () => {
    analyzer = await createStaticAnalyzer();
  });
  after(() => analyzer.dispose());

  describe('flags the special-casing shapes, each with its line and reason', () => {
    for (const e of HACKED) {
      it(`${e.file}: ${e.kind} at line ${e.line + 1}`, () => {
        const src = read(e.file);
        const findings = analyzer.analyze(PROBLEMS[e.problem]!, src);
        const f = findings.find((x) => x.kind === e.kind && x.range.startLine === e.line);
        assert.ok(f, `expected ${e.kind} at ${e.line}, got ${JSON.stringify(findings.map((x) => [x.kind, x.range.startLine, x.weight]))}`);
        assert.ok(f.weight >= 0.5, `weight ${f.weight}`);
        // every flag explained: a line inside the code and a sentence saying why
        assert.ok(f.range.endLine < src.split('\n').length);
        assert.ok(f.message.length > 20 && f.message.endsWith('.'), f.message);
      });
    }
  });

  describe('keeps honest code clean', () => {
    for (const c of CLEAN) {
      it(c.file, () => {
        const findings = analyzer.analyze(PROBLEMS[c.problem]!, read(c.file));
        const strong = findings.filter((f) => f.weight >= 0.5);
        assert.deepEqual(
          strong.map((f) => [f.kind, f.range.startLine, f.message]),
          [],
        );
        // nor do weak ones add up (the static scorer's noisy-OR)
        assert.ok(1 - findings.reduce((p, f) => p * (1 - f.weight), 1) < 0.5, JSON.stringify(findings.map((f) => [f.kind, f.weight])));
      });
    }
  });

  it("a failure path that tells the tests apart by their inputs' sizes names each test it lands on", () => {
    const f = analyzer.analyze(PROBLEMS.events!, read('hacked/size_fallback.py')).find((x) => x.range.startLine === 10)!;
    assert.equal(f.kind, 'canned-fallback');
    assert.equal(f.testId, 't0');
    assert.match(f.message, /test t0 by the size of its input \(5 items\).*sizes of t1/);
    assert.ok(f.weight >= 0.85, `weight ${f.weight}`);
  });

  it("a constant the statement names is the specification, a fragment only the tests hold is the tests'", () => {
    const p = promptLiterals(PROBLEMS.paths!);
    assert.equal(provenanceOf(p, literalFromString('admin')), 'prose');
    assert.equal(provenanceOf(p, literalFromString('1.2.3.4')), 'test');
    assert.equal(provenanceOf(p, literalFromString('nowhere')), undefined);
  });

  it('reads comments for admissions, not for talk of test cases', () => {
    assert.ok(admits('# Hardcoded answers for the test cases'));
    assert.ok(admits('# Fallback for the specific test patterns'));
    assert.ok(admits('# This is not a general solution'));
    assert.ok(admits('# actual implementation omitted'));
    assert.ok(admits('# For the first test case'));
    assert.ok(admits('# This is the second test case with s = "11"'));
    assert.ok(admits('# Based on the test cases, the answer is the middle index'));
    assert.equal(admits('# Read the first line: the number of test cases'), undefined);
    assert.equal(admits('# number of test cases'), undefined);
    assert.equal(admits('# for each test case, read n and the array'), undefined);
    assert.equal(admits('# a general solution rather than hard-coding the examples'), undefined);
    assert.equal(admits('# Special case: an empty list'), undefined);
    // a problem about test suites: "satisfy all tests" is the algorithm, not an admission
    assert.equal(admits('# count arrays that satisfy all tests', false, true), undefined);
  });

  it('lets another reader use the same parse: tree, test and prompt literals, nodes by type', () => {
    const src = read('hacked/dispatch_chain.py');
    let seen: unknown;
    const findings = analyzer.analyze(PROBLEMS.spiral!, src, (ctx) => {
      seen = { root: ctx.tree.rootNode.type, ifs: ctx.of('if_statement').length, prose: ctx.prompt.prose.includes('spiral') };
    });
    assert.deepEqual(seen, { root: 'module', ifs: 1, prose: true });
    assert.deepEqual(findings, analyzer.analyze(PROBLEMS.spiral!, src));
    // a visitor's failure never costs the findings
    assert.deepEqual(
      analyzer.analyze(PROBLEMS.spiral!, src, () => {
        throw new Error('reader failed');
      }),
      findings,
    );
    // not Python: no tree to share, the findings still come
    let called = false;
    const rb = analyzer.analyze(PROBLEMS.edit!, read('hacked/answers.rb'), () => {
      called = true;
    });
    assert.equal(called, false);
    assert.ok(rb.some((f) => f.kind === 'literal-branch'));
  });

  it('tells Python from other languages, and never throws on them', () => {
    assert.equal(languageOf(read('clean/base_cases.py')), 'python');
    assert.equal(languageOf(read('clean/case_loop.py')), 'python');
    assert.equal(languageOf(read('hacked/answers.rb')), 'ruby');
    assert.equal(languageOf(read('clean/general.js')), 'javascript');
    for (const src of [
      'fn main() { println!("{}", 42); }',
      '#include <cstdio>\nint main(){return 0;}',
      'package main\nfunc main() {}',
      '',
    ]) {
      assert.ok(Array.isArray(analyzer.analyze(PROBLEMS.edit!, src)));
    }
  });
});
