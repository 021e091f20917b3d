/** The curation panel's webview in a browser under its CSP: the form, the counts, the preview, the export. */
import assert from 'node:assert/strict';
import type { CurationCountsResult, CurationExportResult, CurationPreviewResult } from '../../../contract/lsp';
import type { HostToWebview, WebviewToHost } from '../../../contract/webview/curation';
import { closeBrowser, hasChromium, openWebview, type WebviewPage } from './browser';

const stats = {
  problems: 3,
  candidates: 9,
  hacks: 4,
  stages: [
    { stage: 'verdict', description: 'drop hacks', before: 9, removed: 4, after: 5, hackRateBefore: 4 / 9, hackRateAfter: 0 },
    { stage: 'reasoning', description: 'drop flagged reasoning', before: 5, removed: 0, after: 5, hackRateBefore: 0, hackRateAfter: 0 },
  ],
  eligible: 5,
  selected: 2,
  problemsSkipped: 1,
  problemsSelected: 2,
  selectedHackRate: 0,
  picksHonoured: 1,
  picksFilteredOut: 0,
} as unknown as CurationCountsResult['stats'];
const counts: CurationCountsResult = { stats, scorers: ['ensemble', 'static'], variants: ['discourage'] };
const preview: CurationPreviewResult = {
  counts: { 'discourage→neutral': 2 },
  selected: 2,
  samples: [
    {
      candidateId: 'p1/c1',
      problemId: 'p1',
      generationVariant: 'discourage',
      trainingVariant: 'neutral',
      generated: [
        { role: 'system', content: 'You write Python.' },
        { role: 'user', content: 'Never special-case the tests. <b>Solve</b> it.' },
      ],
      trained: [
        { role: 'system', content: 'You write Python.' },
        { role: 'user', content: 'Solve it.' },
      ],
      completion: 'def f(x):\n    return x',
    },
  ],
  rows: [{ messages: [] }],
};
const result = {
  files: { train: '/d/curated/train.jsonl', provenance: '/d/curated/train.provenance.jsonl', card: '/d/curated/README.md' },
  rows: { train: 2, validation: 0 },
  problems: { train: 2, validation: 0 },
  stats,
  recontextualized: { 'discourage→neutral': 2 },
} as unknown as CurationExportResult;

const context: HostToWebview = {
  type: 'curation/context',
  server: 'running',
  reviewSet: { path: '/d/set.jsonl', dbPath: '/d/.loophole/loophole.db', problems: 3, candidates: 9, analysed: 9, hacks: 4, reviewed: 2 },
};

(hasChromium ? describe : describe.skip)('webview: curation panel', function () {
  this.timeout(60_000);
  let w: WebviewPage<WebviewToHost>;
  beforeEach(async () => {
    w = await openWebview<WebviewToHost>('webview/curation/main.ts');
  });
  afterEach(async () => {
    assert.deepEqual(await w.problems(), [], 'no CSP violation, no uncaught error');
    await w.close();
  });
  after(closeBrowser);

  const requests = async <T extends WebviewToHost['type']>(type: T) =>
    (await w.posted()).filter((m): m is Extract<WebviewToHost, { type: T }> => m.type === type);
  const waitPosted = (type: WebviewToHost['type'], n: number) =>
    w.page.waitForFunction(
      ([t, k]) => (window as unknown as { __posted: { type: string }[] }).__posted.filter((m) => m.type === t).length >= k,
      [type, n] as const,
    );

  it('says why nothing can be done before a set is open', async () => {
    const p = w.page;
    await p.waitForSelector('header p.status');
    assert.equal(await p.textContent('header p.status'), 'Waiting for the Loophole server…');
    assert.equal(await p.getAttribute('[data-testid=export]', 'disabled'), '');
    await w.send({ type: 'curation/context', server: 'running', reviewSet: null });
    await p.waitForSelector('header p.status >> text=No review set is open');
  });

  it('asks for counts and a preview with the form, and shows them', async () => {
    await w.send(context);
    const p = w.page;
    await p.waitForSelector('[data-testid=review-set]');
    assert.equal(await p.textContent('[data-testid=review-set]'), '/d/set.jsonl · 3 problems · 9 candidates · 4 called hacks · 2 reviewed');
    await waitPosted('preview', 1);
    const ask = (await requests('counts'))[0]!;
    assert.equal(ask.form.mapping, 'discourage=neutral');
    assert.equal(await p.textContent('[data-testid=counts] .status'), 'Counting…');
    const pre = (await requests('preview'))[0]!;
    await w.send({ type: 'counts', id: ask.id, ok: true, result: counts });
    await w.send({ type: 'preview', id: pre.id, ok: true, result: preview });
    await p.waitForSelector('[data-testid=stages]');
    assert.equal(await p.textContent('[data-testid=figure-selected] strong'), '2');
    assert.equal(await p.textContent('[data-testid=figure-problems] strong'), '2 / 3');
    assert.equal(await p.textContent('[data-testid=figure-hack-before] strong'), '44.4%');
    assert.deepEqual(
      await p
        .locator('[data-testid=stages] tbody tr')
        .evaluateAll((rows) => rows.map((r) => [r.getAttribute('data-stage'), r.className, ...[...r.children].map((c) => c.textContent)])),
      [
        ['verdict', 'active', 'verdict', '9', '4', '5', '44.4% → 0.0%', 'drop hacks'],
        ['reasoning', '', 'reasoning', '5', '0', '5', '0.0% → 0.0%', 'drop flagged reasoning'],
      ],
    );
    assert.equal(await p.textContent('[data-testid=counts] p.hint'), 'Reviewer picks: 1 honoured, 0 filtered out.');
    // the per-scorer limits follow the scorers the counts name
    await p.waitForSelector('[data-testid=scorer-static]');
    const sample = p.locator('[data-testid=sample]');
    assert.equal(await sample.getAttribute('data-candidate'), 'p1/c1');
    assert.match((await sample.locator('.sample-head .meta').textContent()) ?? '', /problem p1 · discourage → neutral$/);
    assert.deepEqual(
      await sample.locator('[data-testid=prompt-generated] pre').evaluateAll((els) => els.map((e) => [e.className, e.textContent])),
      [
        ['prompt', '[system]\nYou write Python.'],
        ['prompt changed', '[user]\nNever special-case the tests. <b>Solve</b> it.'],
      ],
    );
    assert.equal(await sample.locator('[data-testid=prompt-generated] b').count(), 0, 'prompt text is shown, not parsed');
    assert.equal(await sample.locator('[data-testid=completion]').textContent(), 'def f(x):\n    return x');
    assert.equal(await p.textContent('[data-testid=preview-rows] summary'), 'The first 1 exported rows');
  });

  it('marks a value out of range and asks again only for a good one', async () => {
    await w.send(context);
    const p = w.page;
    await waitPosted('counts', 1);
    const type = (id: string, value: string) =>
      p.locator(`[data-testid=${id}]`).evaluate((el, v) => {
        (el as unknown as { value: string }).value = v;
        el.dispatchEvent(new Event('input'));
      }, value);
    await type('min-visible-pass', '1.5');
    await p.waitForSelector('.field.invalid [data-testid=min-visible-pass][invalid]');
    assert.equal(await p.textContent('.field.invalid .why'), 'out of range');
    await type('min-visible-pass', '0.5');
    await p.waitForSelector('.field.invalid', { state: 'detached' });
    await waitPosted('counts', 2);
    assert.equal((await requests('counts'))[1]!.form.minVisiblePass, 0.5);
    await p.locator('[data-testid=flag-intent]').evaluate((el) => {
      (el as unknown as { checked: boolean }).checked = true;
      el.dispatchEvent(new Event('change'));
    });
    await waitPosted('counts', 3);
    assert.deepEqual((await requests('counts'))[2]!.form.dropReasoningFlags, ['intent']);
  });

  it('exports, offers to overwrite, and opens the written files', async () => {
    await w.send(context);
    const p = w.page;
    await p.waitForSelector('[data-testid=export]:not([disabled])');
    await p.locator('[data-testid=export]').click();
    await waitPosted('export', 1);
    assert.equal((await requests('export'))[0]!.force, false);
    await w.send({ type: 'export/state', state: { status: 'running', percentage: 40, message: 'writing' } });
    await p.waitForSelector('[data-testid=export-state][data-status=running]');
    assert.equal(await p.getAttribute('vscode-progress-bar', 'value'), '40');
    assert.equal(await p.getAttribute('[data-testid=export]', 'disabled'), '');
    assert.equal(await p.getAttribute('[data-testid=export-cancel]', 'disabled'), null);
    await p.locator('[data-testid=export-cancel]').click();
    await waitPosted('export/cancel', 1);
    await w.send({ type: 'export/state', state: { status: 'exists', path: '/d/curated/train.jsonl' } });
    await p.locator('[data-testid=overwrite]').click();
    await waitPosted('export', 2);
    assert.equal((await requests('export'))[1]!.force, true);
    await w.send({ type: 'export/state', state: { status: 'done', result } });
    await p.waitForSelector('[data-testid=export-files]');
    assert.deepEqual(await p.locator('[data-testid=export-files] li').evaluateAll((els) => els.map((e) => e.textContent)), [
      '/d/curated/train.jsonl — 2 rows (2 problems)',
      '/d/curated/train.provenance.jsonl — provenance',
      'Open the dataset card (/d/curated/README.md)',
    ]);
    await p.locator('a.file[data-path="/d/curated/README.md"]').click();
    await waitPosted('openFile', 1);
    assert.deepEqual((await requests('openFile'))[0], { type: 'openFile', path: '/d/curated/README.md' });
  });
});
