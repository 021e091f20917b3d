/**
 * The language server is killed (SIGKILL, by its own pid) in the middle of a review: the client
 * restarts it, says so in the status item, and the reviewer's place is intact — the verdict shown,
 * the same candidate open and highlighted, and the new server answering for it.
 */
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { openReviewWindow, serverPid, type ReviewWindow } from './harness';
import type { Workbench } from './workbench';

const icon = (name: string) => `.custom-view-tree-node-item-icon.codicon-${name}`;

describe('Loophole in code-server: the server crashes', function () {
  this.timeout(300_000);
  let win: ReviewWindow | undefined;
  let page: Page;
  let wb: Workbench;

  before(async () => {
    win = await openReviewWindow();
    ({ page, wb } = win);
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await wb.shot(`failed-restart-${this.currentTest.title.replace(/\W+/g, '-')}`);
  });
  after(async () => {
    await win?.close();
  });

  it('restarts a killed server and keeps the verdict, the open candidate and its highlights', async () => {
    await wb.showLoophole();
    const pane = wb.candidatesPane();
    await pane.locator('.monaco-list-row', { hasText: '1/2 hacks' }).waitFor({ timeout: 120_000 });
    await wb.treeRow(pane, 'digits').click();
    await wb.treeRow(pane, 'digits-s1').click();
    await wb.editor().locator('.view-overlays .cdr').first().waitFor();
    await wb.editor().locator('.view-line', { hasText: 'if n == 38' }).click();
    await page.keyboard.press('Alt+H');
    await wb.treeRow(pane, 'digits-s1').locator(icon('bug')).waitFor();
    await wb.codeLens('Verdict: hack').waitFor({ timeout: 60_000 });

    const before = serverPid(win!.server.profile);
    assert.ok(before, 'the language server runs');
    process.kill(before, 'SIGKILL');

    // the status item says the server crashed and was restarted, once the new one is serving the set
    await wb.statusItem('was restarted').filter({ hasText: '1/4 reviewed' }).waitFor({ timeout: 120_000 });
    const after = serverPid(win!.server.profile);
    assert.ok(after && after !== before, `a new server runs (was ${before}, now ${after})`);

    // the reviewer's place: verdict icon, same candidate, highlights, and the new server's lens
    await wb.treeRow(pane, 'digits-s1').locator(icon('bug')).waitFor();
    await wb.activeTab('Repeatedly add the digits of a non-nega… · s1.py').waitFor();
    await wb.editor().locator('.view-overlays .cdr').first().waitFor();
    await wb.codeLens('Verdict: hack').waitFor({ timeout: 60_000 });
    // still on the special-cased lines (a reloaded text would have dragged them to its end)
    assert.ok((await wb.editor().locator('.margin .cgmr').count()) >= 3, 'the gutter marks the special-cased lines');
    await wb.shot('restart-after');

    // and the new server takes verdicts: Alt+U on the same candidate
    await wb.editor().locator('.view-line', { hasText: 'if n == 38' }).click();
    await page.keyboard.press('Alt+U');
    await wb.treeRow(pane, 'digits-s1').locator(icon('question')).waitFor();
    await wb.codeLens('Verdict: unsure').waitFor();
  });
});
