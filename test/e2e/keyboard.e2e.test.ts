/**
 * A review session by keyboard only: Alt+N to the next unreviewed candidate, Alt+C clean, Alt+N on,
 * Alt+Z undo (back to the candidate it undid), Alt+M a note, the verdict history, and the tree sorted
 * and filtered through the command palette's quick picks.
 */
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { openReviewWindow, type ReviewWindow } from './harness';
import type { Workbench } from './workbench';

const icon = (name: string) => `.custom-view-tree-node-item-icon.codicon-${name}`;
/** The tab of the hacked candidate `digits-s1`: its problem's title (cut short), then the candidate. */
const HackTab = 'Repeatedly add the digits of a non-nega… · s1.py';

describe('Loophole in code-server: a keyboard review session', function () {
  this.timeout(300_000);
  let win: ReviewWindow | undefined;
  let page: Page;
  let wb: Workbench;

  before(async () => {
    win = await openReviewWindow();
    ({ page, wb } = win);
    await wb.showLoophole();
    // analysed on open: the view's description counts the hack
    await wb.candidatesPane().locator('.pane-header', { hasText: '1 hack' }).waitFor({ timeout: 120_000 });
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await wb.shot(`failed-keys-${this.currentTest.title.replace(/\W+/g, '-')}`);
  });
  after(async () => {
    await win?.close();
  });

  it('walks the queue: Alt+N, Alt+C, Alt+N, Alt+Z, Alt+M with a note, then the history', async () => {
    const pane = wb.candidatesPane();
    await wb.command('Loophole: Focus on Candidates View');

    // Alt+N: the most suspicious unreviewed candidate, opened and selected in the tree
    await page.keyboard.press('Alt+N');
    await wb.activeTab(HackTab).waitFor();
    await wb.editor().locator('.view-overlays .cdr').first().waitFor();
    await pane.locator('.monaco-list-row.selected', { hasText: 'digits-s1' }).waitFor();

    // Alt+C: clean
    await page.keyboard.press('Alt+C');
    await wb.treeRow(pane, 'digits-s1').locator(icon('pass')).waitFor();
    await pane.locator('.pane-header', { hasText: '1/4 reviewed' }).waitFor();

    // Alt+N: on to another unreviewed candidate
    await page.keyboard.press('Alt+N');
    await page.locator(`.editor-group-container.active .tab.active:not(:has-text(${JSON.stringify(HackTab)}))`).waitFor();
    // the tab says `<problem title> · <candidate>.py`; the selected row is that candidate
    const second = (await wb.activeTabTitle()).split(' · ').pop()!.replace(/\.py$/, '');
    assert.ok(second);
    await pane.locator('.monaco-list-row.selected', { hasText: second }).waitFor();

    // Alt+Z: undoes the last verdict (on digits-s1) and goes back to it
    await page.keyboard.press('Alt+Z');
    await wb.activeTab(HackTab).waitFor();
    await pane.locator('.pane-header', { hasText: '0/4 reviewed' }).waitFor();
    await wb.treeRow(pane, 'digits-s1').locator(icon('warning')).waitFor();

    // Alt+M: a note, then the verdict it goes with
    await page.keyboard.press('Alt+M');
    const input = wb.quickInput().locator('input');
    await wb.quickInput().filter({ hasText: 'Note on digits-s1' }).waitFor();
    await input.fill('answers the wrong test t0 by name');
    await input.press('Enter');
    await wb.quickInput().filter({ hasText: 'Verdict on digits-s1' }).waitFor();
    await wb.pick('hack');
    await wb.treeRow(pane, 'digits-s1').locator(icon('bug')).waitFor();
    await wb.codeLens('Verdict: hack').filter({ hasText: 'answers the wrong test t0 by name' }).waitFor();

    // the history, newest first: the noted hack, the retraction, the clean
    await wb.command('Loophole: Show Verdict History');
    await wb.quickInput().filter({ hasText: 'Verdict history of digits-s1' }).waitFor();
    await wb.quickPickRows('retracted').waitFor();
    const rows = await wb.quickPickRows().evaluateAll((els) =>
      els
        .map((e) => ({ i: Number(e.getAttribute('data-index')), text: e.textContent ?? '' }))
        .sort((a, b) => a.i - b.i)
        .map((r) => r.text),
    );
    assert.equal(rows.length, 3, rows.join('\n'));
    assert.match(rows[0]!, /hack.*answers the wrong test t0 by name/s);
    assert.match(rows[1]!, /retracted/);
    assert.match(rows[2]!, /clean/);
    await wb.shot('keys-history');
    await page.keyboard.press('Escape');
  });

  it('sorts and filters the tree through the quick picks', async () => {
    const pane = wb.candidatesPane();
    await wb.command('Loophole: Sort Candidates…');
    await wb.pick('One flat list');
    // flat: no row hangs under a problem any more, and every candidate is listed at the top level
    await pane.locator('.monaco-list-row[aria-level="2"]').first().waitFor({ state: 'detached' });
    await pane.locator('.monaco-list-row[aria-level="1"]', { hasText: 'parity-s0' }).waitFor();
    const flat = await wb.treeLabels(pane);
    assert.equal(flat.length, 4, flat.join(', '));
    assert.match(flat[0]!, /digits-s1$/, 'most suspicious first');

    await wb.command('Loophole: Sort Candidates…');
    await wb.pick('Least suspicious first');
    await pane.locator('.monaco-list-row[data-index="3"]', { hasText: 'digits-s1' }).waitFor();
    const ascending = await wb.treeLabels(pane);
    assert.match(ascending[3]!, /digits-s1$/, 'the hack comes last');
    assert.doesNotMatch(ascending[0]!, /digits-s1$/);

    await wb.command('Loophole: Filter Candidates…');
    await wb.pick('Verdict');
    await wb.quickInput().filter({ hasText: 'Verdict' }).waitFor();
    await wb.pick('hack');
    await pane.locator('.pane-header', { hasText: 'filtered: verdict hack' }).waitFor();
    await pane.locator('.monaco-list-row', { hasText: 'parity-s0' }).waitFor({ state: 'detached' });
    assert.deepEqual(
      (await wb.treeLabels(pane)).map((l) => l.replace(/^#\d+\s+/, '')),
      ['digits-s1'],
    );
    await wb.shot('keys-filtered');

    await wb.command('Loophole: Clear Filters');
    await pane.locator('.monaco-list-row', { hasText: 'parity-s0' }).waitFor();
    assert.equal((await wb.treeLabels(pane)).length, 4);
  });
});
