/**
 * The Curate & Recontextualize panel in a real VS Code (code-server) driven through Chromium: the panel
 * opens from the palette on the analysed fixture set, shows live counts, a reasoning filter changes
 * them, the preview shows the prompt as generated beside the prompt as trained, and Export writes the
 * files (a second export is refused until the person confirms the overwrite) and opens the dataset card.
 * Run by `test/e2e/run.sh`, which builds the .vsix first.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { Root } from './codeServer';
import { openReviewWindow, type ReviewWindow } from './harness';
import type { Workbench } from './workbench';

const FIXTURE = path.join(Root, 'test/fixtures/curation-panel/review.loophole.jsonl');

describe('Curate & Recontextualize panel in code-server', function () {
  this.timeout(300_000);
  let win: ReviewWindow | undefined;
  let workspace: string;
  let page: Page;
  let wb: Workbench;
  let view: FrameLocator;

  /** The big figure of the counts summary, e.g. `selected`, once it reads `value`. */
  const figure = (name: string, value: string) =>
    view.locator(`[data-testid="figure-${name}"] strong`, { hasText: new RegExp(`^${value}$`) });

  before(async () => {
    win = await openReviewWindow({ fixture: FIXTURE });
    ({ workspace, page, wb } = win);
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await wb.shot(`failed-curation-${this.currentTest.title.replace(/\W+/g, '-')}`);
  });
  after(async () => {
    await win?.close();
  });

  it('opens from the palette on the analysed set and shows counts per filter', async () => {
    await wb.showLoophole();
    // analysed on open: both special-cased candidates are called hacks
    await wb.candidatesPane().locator('.monaco-list-row', { hasText: '1/2 hacks' }).first().waitFor({ timeout: 120_000 });
    await wb.command('Loophole: Curate & Recontextualize');
    view = wb.webview();
    await view.locator('[data-testid="review-set"]', { hasText: '5 candidates' }).waitFor({ timeout: 60_000 });
    await figure('selected', '3').waitFor({ timeout: 60_000 });
    await figure('skipped', '0').waitFor();
    await figure('hack-after', '0.0%').waitFor();
    const ensemble = view.locator('[data-testid="stages"] tr[data-stage="ensemble"] td.removed');
    assert.equal(await ensemble.textContent(), '2');
  });

  it('recounts when a reasoning filter is switched on', async () => {
    await view.locator('[data-testid="flag-mention"]').click();
    await figure('selected', '2').waitFor();
    await figure('skipped', '1').waitFor();
    assert.equal(await view.locator('[data-testid="stages"] tr[data-stage="reasoning"] td.removed').textContent(), '1');
    await view.locator('[data-testid="flag-mention"]').click();
    await figure('selected', '3').waitFor();
  });

  it('previews the prompt as generated beside the prompt as trained', async () => {
    // recontextualizing by default: discourage → neutral, so the two prompts differ from the start
    const sample = view.locator('[data-testid="sample"][data-candidate="reverse-words/c0"]');
    await sample.locator('.meta', { hasText: 'discourage → neutral' }).waitFor({ timeout: 60_000 });
    const generated = (await sample.locator('[data-testid="prompt-generated"]').textContent()) ?? '';
    const trained = (await sample.locator('[data-testid="prompt-trained"]').textContent()) ?? '';
    assert.match(generated, /Never special-case the tests/);
    assert.notEqual(trained, generated);
    assert.doesNotMatch(trained, /Never special-case the tests/);
    await view.locator('[data-testid="counts"]').scrollIntoViewIfNeeded();
    await wb.shot('curation-default-mapping');

    const mapping = view.locator('[data-testid="mapping"]');
    await mapping.click();
    await mapping.locator('li.option', { hasText: 'discourage → permit' }).click();
    await sample.locator('.meta', { hasText: 'discourage → permit' }).waitFor();
    assert.match((await sample.locator('[data-testid="prompt-generated"]').textContent()) ?? '', /Never special-case the tests/);
    assert.match((await sample.locator('[data-testid="prompt-trained"]').textContent()) ?? '', /Special-casing them .* is acceptable/);
    assert.match((await sample.locator('[data-testid="completion"]').textContent()) ?? '', /def reverse_words/);
    await view.locator('[data-testid="counts"]').scrollIntoViewIfNeeded();
    await wb.shot('curation-panel');
  });

  it('exports the files, refuses to overwrite them until confirmed, and opens the dataset card', async () => {
    await view.locator('[data-testid="export"]').click();
    const done = view.locator('[data-testid="export-state"][data-status="done"]');
    await done.waitFor({ timeout: 60_000 });
    const train = path.join(workspace, 'curated', 'train.jsonl');
    for (const f of ['train.jsonl', 'train.provenance.jsonl', 'train.card.md'])
      assert.ok(existsSync(path.join(workspace, 'curated', f)), f);
    const rows = readFileSync(train, 'utf8').trim().split('\n');
    assert.equal(rows.length, 3);
    assert.match(rows.join('\n'), /is acceptable/, 'trained under the permit prompt');

    await view.locator('[data-testid="export"]').click();
    await view.locator('[data-testid="export-state"][data-status="exists"]', { hasText: 'already exists' }).waitFor();
    assert.equal(readFileSync(train, 'utf8').trim().split('\n').length, 3, 'the first export is intact');
    await view.locator('[data-testid="overwrite"]').click();
    await done.waitFor();

    await done.locator('a.file', { hasText: 'Open the dataset card' }).click();
    await page.locator('.tab', { hasText: 'train.card.md' }).waitFor();
    await wb.shot('curation-card');
  });
});
