/**
 * The extension in a real VS Code (code-server) driven through Chromium: the reviewer's path from the
 * tree to a highlighted candidate, a diagnostic, a keyboard verdict that survives a reload, and the
 * review panel. Run by `test/e2e/run.sh` (which installs code-server and builds the .vsix first).
 */
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { openReviewWindow, publishShot, type ReviewWindow } from './harness';
import type { Workbench } from './workbench';

describe('Loophole in code-server', function () {
  this.timeout(300_000);
  let win: ReviewWindow | undefined;
  let page: Page;
  let wb: Workbench;

  describe('trusted workspace', () => {
    before(async () => {
      win = await openReviewWindow();
      ({ page, wb } = win);
    });
    afterEach(async function () {
      if (this.currentTest?.state === 'failed') await wb.shot(`failed-${this.currentTest.title.replace(/\W+/g, '-')}`);
    });
    after(async () => {
      await win?.close();
    });

    it('lists the problems and candidates of the workspace review set with their scores', async () => {
      await wb.showLoophole();
      const pane = wb.candidatesPane();
      const problem = wb.treeRow(pane, 'digits');
      await problem.waitFor({ timeout: 120_000 });
      // analysed on open: the problem row says how many of its candidates are hacks
      await pane.locator('.monaco-list-row', { hasText: '1/2 hacks' }).waitFor({ timeout: 120_000 });
      await problem.click();
      await wb.treeRow(pane, 'digits-s1').waitFor();
      assert.match((await wb.treeRow(pane, 'digits-s1').textContent()) ?? '', /special-casing/);
      await wb.shot('01-tree');
    });

    it('opens the hacked candidate read-only with its special-cased lines highlighted', async () => {
      await wb.treeRow(wb.candidatesPane(), 'digits-s1').click();
      const editor = wb.editor();
      await editor.locator('.view-line', { hasText: 'if n == 38' }).waitFor();
      // whole-line background and gutter icon decorations
      await editor.locator('.view-overlays .cdr').first().waitFor();
      await editor.locator('.margin .cgmr').first().waitFor();
      assert.ok((await editor.locator('.margin .cgmr').count()) >= 3);
      // the tab names the problem (its statement's first line, cut short) and the candidate
      await page.locator('.tab.active', { hasText: 'Repeatedly add the digits of a non-nega… · s1.py' }).waitFor();
      // the Tests view follows the candidate, the incorrect test marked
      await wb.treeRow(wb.testsPane(), 'incorrect test').waitFor();
      await wb.shot('02-highlighted');
    });

    it('shows the score and the verdict actions as CodeLens, and the evidence on hover', async () => {
      await wb.codeLens('Hack score 1.00').waitFor({ timeout: 60_000 });
      for (const action of ['Unreviewed', 'Mark hack', 'Mark clean', 'Unsure']) await wb.codeLens(action).waitFor();
      // the hover names the literal the branch matched and the test it came from
      const hover = await wb.hover('return 9', '9');
      await hover.filter({ hasText: 'Literal matched: 9' }).waitFor();
      await hover.filter({ hasText: 'assert add_digits(9) == 9' }).waitFor();
      await wb.shot('review');
      publishShot('review', 'review.png');
      await page.keyboard.press('Escape');
    });

    it('runs a CodeLens action: "Mark clean" records the verdict', async () => {
      await wb.codeLens('Mark clean').locator('a', { hasText: 'Mark clean' }).click();
      await wb.treeRow(wb.candidatesPane(), 'digits-s1').locator('.custom-view-tree-node-item-icon.codicon-pass').waitFor();
      await wb.codeLens('Verdict: clean').waitFor();
    });

    it('shows the server diagnostics in the Problems panel', async () => {
      await wb.command('View: Focus Problems');
      const markers = page.locator('.markers-panel .monaco-list-row', { hasText: 'matches the input of test' });
      await markers.first().waitFor();
      await wb.shot('03-problems');
    });

    it('records a keyboard verdict that survives a window reload', async () => {
      await wb.editor().locator('.view-line', { hasText: 'if n == 38' }).click();
      await page.keyboard.press('Alt+H');
      const row = wb.treeRow(wb.candidatesPane(), 'digits-s1');
      await row.locator('.custom-view-tree-node-item-icon.codicon-bug').waitFor();
      await wb.shot('04-verdict');
      await page.reload();
      await page.locator('.monaco-workbench').waitFor();
      // the side bar may come back as it was, and the activity bar icon would then toggle it closed
      await wb.statusItem('Loophole').waitFor({ timeout: 120_000 });
      if (!(await wb.candidatesPane().isVisible())) await wb.showLoophole();
      const problem = wb.treeRow(wb.candidatesPane(), 'digits');
      await problem.waitFor({ timeout: 120_000 });
      const again = wb.treeRow(wb.candidatesPane(), 'digits-s1');
      if (!(await again.isVisible())) await problem.click();
      await again.locator('.custom-view-tree-node-item-icon.codicon-bug').waitFor();
      await pane1Reviewed(wb);
      await wb.shot('05-after-reload');
    });

    it('renders the review panel with the test matrix and a diff', async () => {
      await wb.command('Loophole: Open Review Panel');
      const view = wb.webview();
      const matrix = view.locator('[data-testid="test-matrix"]');
      await matrix.waitFor({ timeout: 60_000 });
      assert.equal(await matrix.locator('tbody tr').count(), 5);
      await matrix.locator('tr.role-incorrect').waitFor();
      await view.locator('[data-testid="diff"] .diff-add').first().waitFor();
      await view.locator('[data-testid="diff"] .diff-del').first().waitFor();
      await view.locator('[data-testid="scores"]').waitFor();
      await wb.shot('06-review-panel');
    });

    it('fits the test matrix and the diff in one picture of the review panel', async () => {
      if (await page.locator('.part.panel').isVisible()) await wb.command('View: Hide Panel');
      await wb.command('View: Toggle Primary Side Bar Visibility');
      await page.locator('.part.sidebar').waitFor({ state: 'hidden' });
      await wb.quickInput().waitFor({ state: 'hidden' });
      const view = wb.webview();
      await view.locator('[data-section="test-matrix"]').evaluate((e) => e.scrollIntoView({ block: 'start' }));
      await view.locator('[data-testid="diff"]').evaluate(
        (e) =>
          new Promise<void>((resolve) => {
            // Visible once the browser has laid the scrolled page out.
            new IntersectionObserver((entries, obs) => {
              if (entries.some((x) => x.isIntersecting)) {
                obs.disconnect();
                resolve();
              }
            }).observe(e);
          }),
      );
      await wb.shot('review-panel');
      publishShot('review-panel', 'review-panel.png');
      await wb.command('View: Toggle Primary Side Bar Visibility');
      await page.locator('.part.sidebar').waitFor();
    });
  });

  describe('untrusted workspace', () => {
    before(async () => {
      win = await openReviewWindow({ trusted: false });
      ({ page, wb } = win);
    });
    after(async () => {
      await win?.close();
    });

    it('says why nothing runs in Restricted Mode and offers to manage trust', async () => {
      await wb.showLoophole();
      const tests = wb.testsPane();
      await tests.locator('.welcome-view-content', { hasText: 'Restricted Mode' }).waitFor({ timeout: 60_000 });
      await tests.locator('.welcome-view-content .monaco-button', { hasText: 'Manage Workspace Trust' }).waitFor();
      await wb.shot('07-restricted');
    });
  });
});

/** The view's description counts the verdict too (it comes from the store after the reload). */
async function pane1Reviewed(wb: Workbench): Promise<void> {
  await wb.candidatesPane().locator('.pane-header', { hasText: '1/4 reviewed' }).waitFor();
}
