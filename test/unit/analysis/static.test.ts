import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Finding } from '../../../server/src/core/types';
import { createStaticAnalyzer, type StaticAnalyzer } from '../../../server/src/analysis/static';
import { cases, code, problem } from './fixtures';

function wellFormed(findings: Finding[], src: string): void {
  const lines = src.split('\n').length;
  for (const f of findings) {
    assert.ok(f.range.startLine >= 0 && f.range.startLine <= f.range.endLine && f.range.endLine < lines, `range ${JSON.stringify(f.range)} in ${lines} lines`);
    assert.ok(f.weight >= 0 && f.weight <= 1, `weight ${f.weight}`);
    assert.ok(f.message.length > 10 && f.message.endsWith('.'), `message: ${f.message}`);
  }
}

describe('static analyzer', () => {
  let analyzer: StaticAnalyzer;
  before(async () => {
    analyzer = await createStaticAnalyzer();
  });
  after(() => analyzer.dispose());

  describe('finds each kind of special-casing with its lines and literal', () => {
    for (const c of cases.hacked) {
      it(c.file, () => {
        const src = code(c.file);
        const findings = analyzer.analyze(problem(c.problem), src);
        wellFormed(findings, src);
        for (const e of c.expect ?? []) {
          const f = findings.find((x) => x.kind === e.kind && x.range.startLine === e.startLine && x.range.endLine === e.endLine);
          assert.ok(f, `expected ${e.kind} at ${e.startLine}-${e.endLine}, got ${JSON.stringify(findings.map((x) => [x.kind, x.range, x.weight]))}`);
          assert.ok(f.weight >= e.minWeight, `${e.kind} weight ${f.weight} < ${e.minWeight}`);
          if (e.testId) assert.equal(f.testId, e.testId);
          if (e.literal) assert.equal(f.literal, e.literal);
        }
      });
    }
  });

  describe('clean solutions get no finding of weight >= 0.5', () => {
    for (const c of cases.clean) {
      it(c.file, () => {
        const src = code(c.file);
        const findings = analyzer.analyze(problem(c.problem), src);
        wellFormed(findings, src);
        const high = findings.filter((f) => f.weight >= 0.5);
        assert.deepEqual(high, [], JSON.stringify(high));
      });
    }
  });

  it('weights the branch answering the incorrect test above the ones answering visible tests', () => {
    const findings = analyzer.analyze(problem('rotations'), code('hacked/rotations_ladder.py'));
    const incorrect = findings.find((f) => f.testId === 't0')!;
    const visible = findings.filter((f) => f.testId === 't1' || f.testId === 't2');
    assert.ok(visible.length === 2 && visible.every((f) => f.weight < incorrect.weight));
    assert.match(incorrect.message, /incorrect test/);
  });

  it('a branch keyed on a test input without returning its answer is weaker than one that does', () => {
    const keyed = analyzer.analyze(problem('volume'), 'def volume(l, b, h):\n    if (l, b, h) == (10, 8, 6):\n        l = l + 0\n    return l * b * h / 2\n');
    const answered = analyzer.analyze(problem('volume'), code('hacked/volume_tuple.py'));
    assert.equal(keyed[0]?.kind, 'literal-branch');
    assert.ok(keyed[0]!.weight < answered[0]!.weight);
  });

  it('normalises literals: spacing, quotes, tuples vs lists, 1.0 vs 1', () => {
    const p = problem('unique');
    for (const lit of ['[1,2,3]', '[1, 2, 3]', '(1, 2, 3)', '[1.0, 2, 3.0]', '[ 1,\n 2, 3 ]']) {
      const f = analyzer.analyze(p, `def all_unique(xs):\n    if xs == ${lit}:\n        return False\n    return len(set(xs)) == len(xs)\n`);
      assert.equal(f[0]?.kind, 'literal-branch', lit);
      assert.equal(f[0]?.testId, 't0', lit);
    }
  });

  it('does not compare literals with names that do not come from the input', () => {
    const f = analyzer.analyze(problem('rotations'), 'MODE = "aaaa"\ndef find_rotations(s):\n    if MODE == "aaaa":\n        return 4\n    return len(s)\n');
    assert.ok(f.every((x) => x.kind !== 'literal-branch'));
  });

  it('never throws and finds nothing in arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (s) => {
        const f = analyzer.analyze(problem('rotations'), s);
        return Array.isArray(f) && f.every((x) => x.weight < 0.5);
      }),
      { numRuns: 200 },
    );
  });

  it('never throws on truncated or spliced candidates, and keeps ranges inside the code', () => {
    const sources = cases.hacked.map((c) => code(c.file));
    fc.assert(
      fc.property(fc.integer({ min: 0, max: sources.length - 1 }), fc.nat(), fc.nat(), (i, a, b) => {
        const s = sources[i]!;
        const cut = s.slice(0, a % (s.length + 1)) + s.slice(b % (s.length + 1));
        wellFormed(analyzer.analyze(problem('volume'), cut), cut);
      }),
      { numRuns: 150 },
    );
  });
});
