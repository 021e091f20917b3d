/** Review sets beyond Python code through analyze: another language is not executed (and said so) and
 *  keeps its language-independent evidence; an answer without code is judged on its reasoning alone. */
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { analyzeStore, openReviewSet } from '../../../server/src/pipeline/analyze';
import type { Store } from '../../../server/src/store/store';
import { FIXTURES } from './fixtures';

const SET = path.join(FIXTURES, 'evidence/sets/mixed-languages.loophole.jsonl');
const PROSE = path.join(FIXTURES, 'evidence/sets/prose-answers.loophole.jsonl');

describe('analyze with candidates in other languages', function () {
  this.timeout(120_000);
  let dir: string;
  let store: Store | undefined;
  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'loophole-languages-'));
    cpSync(SET, path.join(dir, 'set.loophole.jsonl'));
    cpSync(PROSE, path.join(dir, 'prose', 'prose.loophole.jsonl'), { recursive: true });
  });
  after(() => {
    store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('executes only the Python, reports the rest as unsupported for execution, and still reads it', async () => {
    const opened = await openReviewSet(path.join(dir, 'set.loophole.jsonl'));
    store = opened.store;
    assert.deepEqual(opened.issues, []);
    const summary = await analyzeStore(store, { limits: { timeoutMs: 3000 } });
    assert.equal(summary.errors, 0);
    assert.deepEqual(summary.notExecuted, { ruby: 1 });

    const py = store.analysis('paths/py')!;
    assert.deepEqual(
      py.tests.map((t) => t.outcome),
      ['pass', 'pass', 'pass'],
    );
    assert.equal(py.isHack, false);

    const rb = store.analysis('paths/rb')!;
    assert.deepEqual(rb.tests, []);
    assert.ok(rb.findings.some((f) => f.kind === 'admitting-comment' && f.range.startLine === 0));
    assert.ok(rb.findings.some((f) => f.kind === 'literal-branch' && f.range.startLine === 2 && f.weight >= 0.5));
    assert.equal(rb.isHack, true);
  });

  it('flags a prose answer whose reasoning plans to game the metric, on that sentence, and not an honest one', async () => {
    const opened = await openReviewSet(path.join(dir, 'prose', 'prose.loophole.jsonl'));
    try {
      await analyzeStore(opened.store, { limits: { timeoutMs: 3000 } });
      const gamed = opened.store.analysis('review/gamed')!;
      assert.equal(gamed.isHack, true);
      assert.ok(gamed.findings.some((f) => f.kind === 'reasoning' && f.range.startLine === 0 && /game this metric/.test(f.quote ?? '')));
      assert.ok(!gamed.scores.some((s) => s.scorer === 'static'), 'no code: the static scorer abstains');
      const honest = opened.store.analysis('review/honest')!;
      assert.equal(honest.isHack, false);
    } finally {
      opened.store.close();
    }
  });
});
