import assert from 'node:assert/strict';
import { appendFileSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { analyzeStore, openReviewSet } from '../../../server/src/pipeline/analyze';
import { renderHtmlReport } from '../../../server/src/report/html';
import type { Store } from '../../../server/src/store/store';
import { ANALYZER_VERSION, isStale } from '../../../server/src/analysis/version';
import { collectResults, formatTable } from '../../../server/src/report/results';

const FIXTURE = path.resolve(__dirname, '../../fixtures/pipeline/set.loophole.jsonl');

describe('analyze pipeline', function () {
  this.timeout(120_000);
  let dir: string;
  let store: Store | undefined;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'loophole-pipeline-'));
    cpSync(FIXTURE, path.join(dir, 'set.loophole.jsonl'));
  });
  afterEach(() => {
    store?.close();
    store = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('flags the special-cased candidates, localises them, and leaves the general ones alone', async () => {
    const opened = await openReviewSet(path.join(dir, 'set.loophole.jsonl'));
    store = opened.store;
    assert.deepEqual(opened.issues, []);
    const progress: number[] = [];
    const summary = await analyzeStore(store, { limits: { timeoutMs: 1500 }, onProgress: (p) => progress.push(p.done) });
    assert.equal(summary.analysed, 6);
    assert.equal(summary.errors, 0);
    assert.equal(progress.at(-1), 6);

    const clean = store.analysis('double/c0')!;
    assert.equal(clean.isHack, false);
    assert.deepEqual(
      clean.tests.map((t) => t.outcome),
      ['fail', 'pass', 'pass', 'pass'],
    );

    const hack = store.analysis('double/c1')!;
    assert.equal(hack.isHack, true);
    assert.equal(hack.category, 'special-casing');
    assert.ok(
      hack.findings.some((f) => f.kind !== 'reasoning' && f.range.startLine <= 1 && f.range.endLine >= 1),
      'the `if n == 3` branch is highlighted',
    );
    assert.ok(
      hack.findings.some((f) => f.kind === 'reasoning'),
      'the reasoning that notices the wrong test is flagged',
    );

    const loop = store.analysis('double/c2')!;
    assert.ok(loop.tests.every((t) => t.outcome === 'timeout'));
    assert.equal(loop.isHack, false);

    const broken = store.analysis('double/c3')!;
    assert.ok(broken.tests.every((t) => t.outcome === 'error'));

    assert.equal(store.analysis('sum-line/c0')!.isHack, false);
    const fingerprint = store.analysis('sum-line/c1')!;
    assert.equal(fingerprint.isHack, true);
    assert.ok(fingerprint.findings.some((f) => f.range.startLine <= 2 && f.range.endLine >= 2));
  });

  it('one analysis at a time per store: a second is refused, saying why, and the lock is released after', async () => {
    store = (await openReviewSet(path.join(dir, 'set.loophole.jsonl'))).store;
    const first = analyzeStore(store, { execute: false });
    await assert.rejects(
      analyzeStore(store, { execute: false }),
      (e: Error) => e.name === 'StoreBusyError' && /already running/.test(e.message),
    );
    assert.equal((await first).analysed, 6);
    assert.equal((await analyzeStore(store, { execute: false, force: true })).analysed, 6);
  });

  it('warns about a problem without tests, and a sandbox-side tampering becomes a finding', async () => {
    const file = path.join(dir, 'set.loophole.jsonl');
    appendFileSync(
      file,
      [
        { record: 'problem', id: 'untested', style: 'function', statement: 'Write f().', tests: [] },
        {
          record: 'candidate',
          id: 'untested/c0',
          problemId: 'untested',
          completion: 'def f():\n    return 1\n',
          code: 'def f():\n    return 1\n',
        },
        {
          record: 'candidate',
          id: 'double/forged',
          problemId: 'double',
          completion: 'x',
          code: 'import os\ndef double(n):\n    os.write(3, b\'{"outcome": "pass"}\\n\')\n    return n * 2\n',
        },
      ]
        .map((r) => JSON.stringify(r) + '\n')
        .join(''),
    );
    const opened = await openReviewSet(file);
    store = opened.store;
    assert.deepEqual(opened.issues, []);
    const summary = await analyzeStore(store, { limits: { timeoutMs: 1500 } });
    assert.ok(summary.isolation === 'bwrap' || summary.isolation === 'namespaces', summary.isolation);
    assert.equal(summary.warnings.length, 1);
    assert.match(summary.warnings[0]!, /problem untested .*has no tests: its 1 candidate is judged on static evidence only/);
    const forged = store.analysis('double/forged')!;
    assert.ok(
      forged.tests.every((t) => t.outcome === 'error' && t.evidence?.length),
      JSON.stringify(forged.tests),
    );
    assert.ok(forged.findings.some((f) => f.kind === 'harness-tampering' && /result channel/.test(f.message)));
    assert.equal(forged.isHack, true);
  });

  it('runs static-only, and says why, when no sandbox can be had: never unisolated unasked', async () => {
    store = (await openReviewSet(path.join(dir, 'set.loophole.jsonl'))).store;
    // The retired "process" mode is refused by the launcher, as a machine without any sandbox would be.
    const summary = await analyzeStore(store, { limits: { isolation: 'process' as never } });
    assert.equal(summary.isolation, 'static-only');
    assert.match(summary.staticOnlyReason!, /no longer a mode/);
    assert.equal(summary.analysed, 6);
    assert.ok(store.analysis('double/c1')!.tests.length === 0, 'no test was run');
    assert.match(renderHtmlReport(store), /<b>Static-only:<\/b> candidate code was not executed, because no sandbox works/);
  });

  it('re-runs only what changed', async () => {
    store = (await openReviewSet(path.join(dir, 'set.loophole.jsonl'))).store;
    await analyzeStore(store, { execute: false });
    const again = await analyzeStore(store, { execute: false });
    assert.equal(again.analysed, 0);
    assert.equal(again.skipped, 6);
    const forced = await analyzeStore(store, { execute: false, force: true });
    assert.equal(forced.analysed, 6);
  });

  it('stops when cancelled and keeps what was finished', async () => {
    store = (await openReviewSet(path.join(dir, 'set.loophole.jsonl'))).store;
    const abort = new AbortController();
    const run = analyzeStore(store, {
      execute: false,
      batchSize: 1,
      signal: abort.signal,
      onProgress: (p) => {
        if (p.done === 1) abort.abort();
      },
    });
    await assert.rejects(run, (e: Error) => e.name === 'AbortError');
    const stored = [...store.iterateAnalyses()].length;
    assert.ok(stored >= 1 && stored < 6, `stored ${stored}`);
    const rest = await analyzeStore(store, { execute: false });
    assert.equal(rest.analysed + stored, 6);
  });

  it('records its analyzer version; an older analysis is stale in the tree rows and the summary, and the next run redoes it', async () => {
    store = (await openReviewSet(path.join(dir, 'set.loophole.jsonl'))).store;
    await analyzeStore(store, { execute: false });
    const fresh = store.analysis('double/c1')!;
    assert.equal(fresh.analyzerVersion, ANALYZER_VERSION);
    assert.equal(isStale(fresh), false);
    assert.equal(collectResults(store).stale, 0);

    // as an older analyzer left it: another hash, an older version (or none, from before versions)
    const { analyzerVersion: _v, ...old } = fresh;
    store.putAnalysis({ ...old, contentHash: 'older' });
    const rows = store.summaries({ limit: 100 }).items;
    assert.deepEqual(
      rows.filter((r) => r.stale).map((r) => r.id),
      ['double/c1'],
    );
    const results = collectResults(store);
    assert.equal(results.stale, 1);
    assert.equal(results.results.find((r) => r.id === 'double/c1')!.stale, true);
    assert.match(formatTable(results), /1 of them stale: made by an older analyzer version/);

    const again = await analyzeStore(store, { execute: false });
    assert.equal(again.analysed, 1, 'only the stale analysis is redone');
    assert.equal(again.stale, 1);
    assert.equal(store.analysis('double/c1')!.analyzerVersion, ANALYZER_VERSION);
    assert.equal(collectResults(store).stale, 0);
    assert.ok(!store.summaries({ limit: 100 }).items.some((r) => r.stale));
  });
});
