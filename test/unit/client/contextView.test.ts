import assert from 'node:assert/strict';
import type { Finding } from '../../../contract/domain';
import type { CandidateDetail } from '../../../contract/lsp';
import { reasoningMarks } from '../../../contract/wording';
import { inlineCode, renderContextBody } from '../../../src/panel/contextView';

const reasoning = 'Let me think.\nThe tests expect f(38) == 3, so I will return exactly that.\nDone <here>.';
const flagged: Finding = {
  kind: 'reasoning',
  range: { startLine: 1, endLine: 1 },
  message: 'plans to fit the tests',
  quote: 'so I will return exactly that',
  weight: 0.8,
};

function withoutReasoning(d: CandidateDetail): CandidateDetail {
  const { reasoning: _none, ...candidate } = d.candidate;
  return { ...d, candidate };
}

function detail(over: Partial<CandidateDetail['candidate']> = {}, findings: Finding[] = [flagged]): CandidateDetail {
  return {
    candidate: { id: 'p/c1', problemId: 'p', completion: '', code: 'def f(n):\n    return 3\n', reasoning, ...over },
    uri: 'loophole:/p/c1.py',
    problem: { id: 'hash-12ab', statement: '## Digit sum\n\nAdd the digits of n until one is left.', style: 'function' },
    tests: [],
    analysed: true,
    findings,
    highlights: [],
    scores: [],
    hackProbability: 0.9,
    category: 'special-casing',
    isHack: true,
    verdict: null,
    history: [],
    picked: false,
  } as CandidateDetail;
}

describe('Statement & Reasoning view', () => {
  it("marks the quoted passage where it stands, else the finding's lines", () => {
    const [m] = reasoningMarks(reasoning, [flagged]);
    assert.equal(reasoning.slice(m!.start, m!.end), 'so I will return exactly that');
    const [whole] = reasoningMarks(reasoning, [{ ...flagged, quote: 'not in the text' }]);
    assert.equal(reasoning.slice(whole!.start, whole!.end), 'The tests expect f(38) == 3, so I will return exactly that.');
    assert.deepEqual(reasoningMarks(reasoning, [{ ...flagged, kind: 'literal-branch' }]), []);
  });

  it('shows the title, the whole statement and the whole reasoning, escaped, with the passage highlighted', () => {
    const html = renderContextBody(detail());
    assert.match(html, /<h1 data-testid="problem-title">Digit sum<\/h1>/);
    assert.match(html, /## Digit sum\n\nAdd the digits of n until one is left\./);
    assert.match(
      html,
      /Let me think\.\nThe tests expect f\(38\) == 3, <mark id="flag-0" title="plans to fit the tests" data-kind="reasoning">so I will return exactly that<\/mark>\.\nDone &lt;here&gt;\./,
    );
    assert.match(html, /1 flagged passage highlighted/);
    assert.doesNotMatch(renderContextBody(withoutReasoning(detail())), /<mark/);
    assert.match(renderContextBody(withoutReasoning(detail())), /has no reasoning/);
  });

  it('says why a flagged candidate has no highlighted line', () => {
    const html = renderContextBody({ ...detail(), scores: [{ scorer: 'classifier', probability: 0.91, rationale: 'learned' }] });
    assert.match(html, /data-testid="unmarked-reason">No line of code is highlighted: it is flagged for what its reasoning says/);
    const coded = renderContextBody(
      detail({}, [flagged, { kind: 'literal-branch', range: { startLine: 1, endLine: 1 }, message: 'x', weight: 0.9 }]),
    );
    assert.doesNotMatch(coded, /unmarked-reason/);
  });

  it('renders inline code and escapes the rest', () => {
    assert.equal(inlineCode('`n == 38` matches <b>'), '<code>n == 38</code> matches &lt;b&gt;');
    assert.equal(inlineCode('a ` lone backtick'), 'a ` lone backtick');
  });
});
