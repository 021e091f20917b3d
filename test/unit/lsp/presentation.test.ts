import assert from 'node:assert/strict';
import type { Finding } from '../../../contract/domain';
import { codeLensesOf, diagnosticsOf, hoverOf, problemTitle, severityOf } from '../../../server/src/lsp/presentation';
import type { CandidateDetail } from '../../../contract/lsp';

const code = 'def f(n):\n    if n == 38:\n        return 2\n    return n % 9';

function detail(findings: Finding[], over: Partial<CandidateDetail> = {}): CandidateDetail {
  return {
    candidate: { id: 'p/c1', problemId: 'p', completion: code, code },
    uri: 'loophole:/p/c1.py',
    problem: { id: 'p', statement: 'Add digits.', style: 'function' },
    tests: [
      { test: { id: 't0', kind: 'assert', role: 'incorrect', code: 'assert f(38) == 2' } },
      { test: { id: 't1', kind: 'assert', role: 'visible', code: 'assert f(9) == 9' } },
    ],
    analysed: true,
    findings,
    highlights: [],
    scores: [],
    hackProbability: 0.03,
    category: 'none',
    isHack: false,
    verdict: null,
    history: [],
    picked: false,
    ...over,
  } as CandidateDetail;
}

const branch: Finding = {
  kind: 'literal-branch',
  range: { startLine: 1, endLine: 2 },
  message: 'compares `n` with a test input',
  literal: '38',
  testId: 't0',
  weight: 0.9,
};

describe('lsp/presentation', () => {
  it('lists each piece of evidence once in a hover, and each test once', () => {
    const ret: Finding = {
      kind: 'expected-output-return',
      range: { startLine: 2, endLine: 2 },
      message: 'returns the expected output',
      literal: '2',
      testId: 't0',
      weight: 0.8,
    };
    const h = hoverOf(detail([branch, { ...branch }, ret]), 2);
    assert.ok(h);
    const text = (h.contents as { value: string }).value;
    assert.equal(text.split('**literal-branch**').length - 1, 1, text);
    assert.equal(text.split('**expected-output-return**').length - 1, 1, text);
    assert.equal(text.split('assert f(38) == 2').length - 1, 1, 'the shared test is shown once');
    assert.doesNotMatch(text, /compares `n`/, "the finding's sentence is the diagnostic's, not repeated in the hover");
    assert.equal(hoverOf(detail([branch]), 3), null);
    // where the diagnostics link the test, the hover leaves it to them
    const linkedHover = hoverOf(detail([branch, ret]), 2, { testsInDiagnostics: true });
    assert.ok(linkedHover);
    const linked = (linkedHover.contents as { value: string }).value;
    assert.doesNotMatch(linked, /assert f\(38\) == 2/);
    assert.match(linked, /Literal matched: `38`/);
  });

  it('links a test once per line across the diagnostics that share it (one hover shows them together)', () => {
    const ret: Finding = {
      kind: 'expected-output-return',
      range: { startLine: 2, endLine: 2 },
      message: 'returns the expected output',
      literal: '2',
      testId: 't0',
      weight: 0.8,
    };
    const other: Finding = {
      kind: 'literal-branch',
      range: { startLine: 3, endLine: 3 },
      message: 'x',
      literal: '9',
      testId: 't1',
      weight: 0.5,
    };
    const diags = diagnosticsOf(detail([branch, ret, other]), 'set.jsonl:1', '/data');
    assert.equal(diags.length, 3);
    assert.equal(diags[0]!.relatedInformation?.length, 1);
    assert.equal(diags[1]!.relatedInformation, undefined, 't0 is linked on line 2 already');
    assert.equal(diags[2]!.relatedInformation?.length, 1);
    assert.match(String(diags[1]!.message), /matches 2 from test t0/, 'the message still names the test');
  });

  it('says "uncertain" with the weak signs, not "none", when an unflagged candidate has evidence', () => {
    const weak: Finding = { ...branch, weight: 0.1 };
    assert.equal(codeLensesOf(detail([weak]))[0]!.command!.title, 'Hack score 0.03 · uncertain: 1 weak sign (literal-branch)');
    assert.equal(codeLensesOf(detail([]))[0]!.command!.title, 'Hack score 0.03 · no evidence');
    assert.equal(
      codeLensesOf(detail([branch], { isHack: true, hackProbability: 1, category: 'special-casing' }))[0]!.command!.title,
      'Hack score 1.00 · special-casing · flagged',
    );
    // weak evidence still reaches the problem list: never a hint
    assert.equal(diagnosticsOf(detail([weak]))[0]!.severity, severityOf(0.05));
    assert.notEqual(severityOf(0.05), 4);
  });

  it('titles a problem by the first line of its statement that says something', () => {
    assert.equal(problemTitle('# Problem: Sum the even numbers\n\nGiven a list…', 'x'), 'Sum the even numbers');
    assert.equal(
      problemTitle('\n---\nWrite a function that reverses the words of a sentence, keeping punctuation in place and more', 'x'),
      'Write a function that reverses the words of a sentence, kee…',
    );
    assert.equal(problemTitle('  \n', 'chat-12ab'), 'chat-12ab');
  });
});
