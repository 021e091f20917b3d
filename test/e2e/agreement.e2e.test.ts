/**
 * The review panel's Agreement section in a real VS Code (code-server) driven through Chromium: an
 * explicit "no verdicts yet" before any verdict, then — after a verdict from the panel — each scorer
 * against the verdicts, refreshed on `loophole/didChange` without reopening the panel; and the tree's
 * sort pick offers the learned order. Run by `test/e2e/run.sh`, which builds the .vsix first.
 */
import assert from 'node:assert/strict';
import { openReviewWindow, type ReviewWindow } from './harness';
import type { Workbench } from './workbench';

describe('review panel: Agreement section in code-server', function () {
  this.timeout(300_000);
  let win: ReviewWindow | undefined;
  let wb: Workbench;

  before(async () => {
    win = await openReviewWindow();
    wb = win.wb;
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await wb.shot(`failed-agreement-${this.currentTest.title.replace(/\W+/g, '-')}`);
  });
  after(async () => {
    await win?.close();
  });

  it('says "no verdicts yet" before any verdict, then shows the scorers once one is set', async () => {
    await wb.showLoophole();
    const pane = wb.candidatesPane();
    await pane.locator('.monaco-list-row', { hasText: '1/2 hacks' }).waitFor({ timeout: 120_000 });
    await wb.treeRow(pane, 'digits').click();
    await wb.command('Loophole: Open Review Panel');
    const view = wb.webview();
    const section = view.locator('section[data-section="agreement"]');
    await section.locator('[data-testid="agreement-empty"]', { hasText: 'No verdicts yet' }).waitFor({ timeout: 60_000 });
    await section.locator('[data-testid="likely-order"]', { hasText: "ensemble's probability" }).waitFor();

    // a verdict from the panel itself: the machine called digits-s1 a hack, the reviewer agrees
    await view.locator('article[data-candidate="digits-s1"] vscode-button', { hasText: 'Hack' }).click();
    const table = section.locator('[data-testid="scorer-agreement"]');
    await table.waitFor({ timeout: 60_000 });
    const ensemble = table.locator('tr[data-scorer="ensemble"] td');
    await ensemble.first().waitFor();
    // scorer, n, precision, recall, F1, kappa, TP, FP, FN, TN, unsure, not scored
    assert.deepEqual((await ensemble.allTextContents()).slice(0, 2), ['ensemble', '1']);
    assert.equal(await ensemble.nth(6).textContent(), '1', 'one true positive');
    // one verdict, one class: chance agreement is 1 and kappa undefined, not a perfect 1.000
    assert.equal(await ensemble.nth(5).textContent(), 'n/a');
    await section.scrollIntoViewIfNeeded();
    await wb.shot('agreement-panel');
  });

  it('refreshes on a verdict on another problem, set in the editor, without reopening the panel', async () => {
    const pane = wb.candidatesPane();
    await wb.treeRow(pane, 'parity').click();
    await wb.treeRow(pane, 'parity-s0').click();
    await wb.codeLens('Mark clean').locator('a', { hasText: 'Mark clean' }).click();
    await wb.codeLens('Verdict: clean').waitFor();
    await wb.command('View: Open Previous Editor');
    const section = wb.webview().locator('section[data-section="agreement"]');
    await section.locator('p.meta', { hasText: '2 candidates with a verdict' }).waitFor({ timeout: 60_000 });
    await wb.shot('agreement-panel-refreshed');
  });

  it('offers the learned order in the sort pick', async () => {
    await wb.command('Loophole: Sort Candidates');
    const row = wb.page.locator('.quick-input-list .monaco-list-row', { hasText: 'Likely hacks and uncertain first' });
    await row.waitFor();
    assert.match((await row.textContent()) ?? '', /learned from your verdicts/);
    await wb.shot('agreement-sort-pick');
    await wb.page.keyboard.press('Escape');
  });
});
