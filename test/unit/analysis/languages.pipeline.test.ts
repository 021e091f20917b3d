/** A review set mixing Python and another language runs through analyze: the other language is not
 *  executed (and said so), keeps its language-independent evidence, and the run does not fail. */
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { analyzeStore, openReviewSet } from '../../../server/src/pipeline/analyze';
import type { Store } from '../../../server/src/store/store';
import { FIXTURES } from './fixtures';

const SET = path.join(FIXTURES, 'evidence/sets/mixed-languages.loophole.jsonl');

describe('analyze with candidates in other languages', function () {
  this.timeout(120_000);
  let dir: string;
  let store: Store | undefined;
  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'loophole-languages-'));
    cpSync(SET, path.join(dir, 'set.loophole.jsonl'));
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
    assert.deepEqual(py.tests.map((t) => t.outcome), ['pass', 'pass', 'pass']);
    assert.equal(py.isHack, false);

    const rb = store.analysis('paths/rb')!;
    assert.deepEqual(rb.tests, []);
    assert.ok(rb.findings.some((f) => f.kind === 'admitting-comment' && f.range.startLine === 0));
    assert.ok(rb.findings.some((f) => f.kind === 'literal-branch' && f.range.startLine === 2 && f.weight >= 0.5));
    assert.equal(rb.isHack, true);
  });
});
