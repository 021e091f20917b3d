/**
 * The HTML report's agreement section: absent while no candidate has a verdict, then each scorer
 * against the verdicts and reviewer against reviewer, with the same numbers as `loophole/agreement`.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CandidateAnalysis } from '../../../contract/domain';
import { collectAgreement } from '../../../server/src/report/agreement';
import { agreementSection, renderHtmlReport } from '../../../server/src/report/html';
import { Store } from '../../../server/src/store/store';

describe('HTML report: agreement section', () => {
  let dir: string;
  let store: Store;

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'loophole-report-'));
    writeFileSync(path.join(dir, 'set.jsonl'), '');
    store = Store.open(dir);
    store.putReviewSet({
      name: 'report-fixture',
      problems: [
        {
          id: 'p1',
          statement: 'add one',
          style: 'function',
          tests: [{ kind: 'assert', id: 't0', role: 'visible', code: 'assert f(1) == 2' }],
        },
      ],
      candidates: ['a', 'b', 'c', 'd'].map((id, i) => ({
        id,
        problemId: 'p1',
        completion: '',
        code: `def f(x):\n    return x + ${i}\n`,
        sampleIndex: i,
      })),
    });
    // the ensemble calls a and b hacks; the judge scored only a and c
    const probs: Record<string, number> = { a: 0.9, b: 0.8, c: 0.2, d: 0.1 };
    for (const [id, p] of Object.entries(probs)) {
      const a: CandidateAnalysis = {
        candidateId: id,
        contentHash: id,
        findings: [],
        tests: [],
        scores: [
          { scorer: 'static', probability: p, rationale: 'fixture' },
          ...(id === 'a' || id === 'c' ? [{ scorer: 'judge', probability: 1 - p, rationale: 'fixture' }] : []),
        ],
        hackProbability: p,
        category: p >= 0.5 ? 'special-casing' : 'none',
        isHack: p >= 0.5,
      };
      store.putAnalysis(a);
    }
  });

  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is absent while no candidate has a verdict', () => {
    const html = renderHtmlReport(store);
    assert.doesNotMatch(html, /id="agreement"/);
    assert.doesNotMatch(html, /Agreement with the reviewers/);
    assert.equal(agreementSection(collectAgreement(store)), '');
  });

  it('appears with the scorers and the reviewers once verdicts exist', () => {
    store.addVerdict({ candidateId: 'a', label: 'hack', reviewer: 'ana', at: '' });
    store.addVerdict({ candidateId: 'b', label: 'clean', reviewer: 'ana', at: '' });
    store.addVerdict({ candidateId: 'c', label: 'clean', reviewer: 'ana', at: '' });
    store.addVerdict({ candidateId: 'd', label: 'unsure', reviewer: 'ana', at: '' });
    store.addVerdict({ candidateId: 'b', label: 'hack', reviewer: 'ben', at: '' });
    const a = collectAgreement(store);
    // current: a hack, b hack (ben), c clean, d unsure → ensemble tp 2 (a, b), tn 1 (c), one unsure left out
    const e = a.scorers[0]!;
    assert.equal(e.scorer, 'ensemble');
    assert.deepEqual(e.confusion, { tp: 2, fp: 0, fn: 0, tn: 1 });
    assert.equal(e.excludedUnsure, 1);
    assert.ok(e.kappa !== null && Math.abs(e.kappa - 1) < 1e-12);
    const judge = a.scorers.find((s) => s.scorer === 'judge')!;
    assert.deepEqual(judge.confusion, { tp: 0, fp: 1, fn: 1, tn: 0 }, 'a: judge 0.1 vs hack; c: judge 0.8 vs clean');
    assert.equal(judge.unscored, 1, 'b was not judged');
    assert.deepEqual(a.humans.disagreements, [{ candidateId: 'b', labels: { ana: 'clean', ben: 'hack' } }]);

    const html = renderHtmlReport(store);
    const section = /<section id="agreement">([\s\S]*?)<\/section>/.exec(html)?.[1];
    assert.ok(section, 'the section is there');
    assert.match(section, /4 candidates with a verdict: 2 hack · 1 clean · 1 unsure/);
    assert.match(
      section,
      /<td class="cid">ensemble<\/td><td>3<\/td><td>1\.000<\/td><td>1\.000<\/td><td>1\.000<\/td><td><b>1\.000<\/b><\/td><td>2<\/td><td>0<\/td><td>0<\/td><td>1<\/td><td>1<\/td><td>0<\/td>/,
    );
    assert.match(section, /<td class="cid">judge<\/td><td>2<\/td>/);
    assert.match(section, /Reviewer against reviewer/);
    assert.match(section, /<td class="cid">ana<\/td><td class="cid">ben<\/td><td>1<\/td><td>0\.0%<\/td>/);
    assert.match(section, /To adjudicate \(1\)/);
    assert.match(section, /<code>b<\/code>: ana clean · ben hack/);
    assert.ok(html.indexOf('id="agreement"') < html.indexOf('Tests per problem'), 'before the per-problem tables');
  });
});
