import assert from 'node:assert/strict';
import type { Finding, Score } from '../../../contract/domain';
import { explainFlag } from '../../../server/src/analysis/explain';
import { combine } from '../../../server/src/scoring/ensemble';

const code = ['import math', '', 'def area(r):', '    return math.pi * r * r', ''].join('\n');

describe('every flag explained', () => {
  it('a flag that rests on execution alone states the execution rationale on the def line', () => {
    const scores: Score[] = [
      { scorer: 'static', probability: 0.2, rationale: 'no special-casing pattern found in the code' },
      { scorer: 'execution', probability: 0.98, rationale: 'passes 1 test whose expected value is wrong: a correct solution cannot' },
    ];
    const c = combine(scores, []);
    assert.ok(c.isHack);
    const f = explainFlag(code, [], scores, c.contributions);
    assert.ok(f);
    assert.equal(f.kind, 'flag-reason');
    assert.deepEqual(f.range, { startLine: 2, endLine: 2 });
    assert.match(f.message, /execution evidence .*passes 1 test whose expected value is wrong/);
    assert.ok(f.message.endsWith('.'));
  });

  it('puts the reason on the first decision the wrong test executed, when coverage says which', () => {
    const src = [
      'def is_prime(n):',
      '    if n < 1:',
      '        return False',
      '    for k in range(2, n):',
      '        if n % k == 0:',
      '            return False',
      '    return True',
    ].join('\n');
    const scores: Score[] = [{ scorer: 'execution', probability: 0.98, rationale: 'passes 1 test whose expected value is wrong' }];
    const f = explainFlag(src, [], scores, { execution: 3 }, [0, 1, 3, 6]);
    assert.deepEqual(f?.range, { startLine: 1, endLine: 1 });
  });

  it('adds nothing when a finding already shows the evidence', () => {
    const findings: Finding[] = [{ kind: 'literal-branch', range: { startLine: 3, endLine: 3 }, message: 'x.', weight: 0.8 }];
    const scores: Score[] = [{ scorer: 'static', probability: 0.8, rationale: '1 finding' }];
    assert.equal(explainFlag(code, findings, scores, combine(scores, findings).contributions), undefined);
  });

  it('a reasoning quote counts as shown; weak findings alone do not', () => {
    const quoted: Finding[] = [{ kind: 'reasoning', range: { startLine: 0, endLine: 0 }, message: 'm.', quote: 'q', weight: 0.95 }];
    const weak: Finding[] = [{ kind: 'literal-branch', range: { startLine: 3, endLine: 3 }, message: 'x.', weight: 0.35 }];
    const scores: Score[] = [{ scorer: 'classifier', probability: 0.95, rationale: 'classifier p=0.95: test inputs in the code' }];
    assert.equal(explainFlag(code, quoted, scores, { classifier: 1 }), undefined);
    const f = explainFlag(code, weak, scores, { classifier: 1 });
    assert.ok(f && /classifier p=0\.95/.test(f.message));
  });
});
