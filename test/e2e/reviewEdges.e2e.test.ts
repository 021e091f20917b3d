/**
 * The review's rough edges, in a real VS Code (code-server) driven through Chromium, on a folder like
 * the bundled sample (a review set beside a `labels.json`): no import error for the label file, problems
 * titled by their statement, a search over problems and candidates, "uncertain" with the weak evidence,
 * the statement and the reasoning beside the code (flagged passages highlighted, open across verdicts),
 * stdin tests told apart by their whole input, tabs titled by problem and candidate, a case-tied branch
 * and a threshold drawn through an example in their hovers, a review panel that
 * fits with the side bar open, the device pick's immediate feedback without a settings file in the
 * folder — and the HTML report's wording and links, read in the browser. Run by `test/e2e/run.sh`, which builds the .vsix (and dist/) first.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { Root } from './codeServer';
import { freshWorkspace, launch, openReviewWindow, publishShot, type ReviewWindow } from './harness';
import { ShotDir, type Workbench } from './workbench';

const FIXTURE = path.join(__dirname, 'fixture-edges');

describe('HTML report in the browser', function () {
  this.timeout(300_000);

  it('reads as prose, heads test columns by their text, and links the tables to each flagged candidate', async () => {
    const set = freshWorkspace(FIXTURE);
    const out = mkdtempSync(path.join(tmpdir(), 'loophole-report-'));
    execFileSync(process.execPath, [path.join(Root, 'dist/cli.js'), 'analyze', set, '--out', out], { stdio: 'pipe' });
    const browser = await launch();
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      await page.goto(pathToFileURL(path.join(out, 'report.html')).href);
      const digits = page.locator('details', { has: page.locator('summary', { hasText: 'Digital root' }) });
      await digits.locator('summary', { hasText: '1 of 4 candidates is a hack' }).waitFor();
      await digits.locator('th.test code', { hasText: 'add_digits(38) == 3' }).waitFor();
      assert.equal(await page.locator('body', { hasText: /lines (\d+)–\1\b/ }).count(), 0, 'one line is "line N"');
      assert.equal(await page.locator('summary', { hasText: /\d+ of \d+ hack\b/ }).count(), 0, 'no "1 of 4 hack"');
      await digits.scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(ShotDir, 'report-tables.png') });
      // the table's flagged row links to the candidate's section, which highlights a line or says why not
      await digits.locator('td.cid a', { hasText: 'digits-s1' }).click();
      const section = page.locator('section.hack:target');
      await section.waitFor();
      assert.match((await section.locator('h3').textContent()) ?? '', /digits-s1/);
      assert.ok((await section.locator('.hl').count()) > 0 || (await section.locator('.reason').count()) > 0);
      assert.match((await section.locator('ul').textContent()) ?? '', /\(lines 2–3\): n == 38 matches/);
      assert.match((await section.locator('ul').textContent()) ?? '', /differential-coverage \(line 3\)/);
      await page.screenshot({ path: path.join(ShotDir, 'report-flagged.png') });
      await section.locator('a', { hasText: 'problem: Digital root' }).click();
      await page.locator('details:target', { hasText: 'Digital root' }).waitFor();
    } finally {
      await browser.close();
    }
  });
});

describe('Review rough edges in code-server', function () {
  this.timeout(300_000);
  let win: ReviewWindow | undefined;
  let page: Page;
  let wb: Workbench;

  /** The Statement & Reasoning view (the only webview while the review panel is closed). */
  const beside = () => wb.webview();

  before(async () => {
    win = await openReviewWindow({ fixture: FIXTURE, userSettings: { 'loophole.review.contextBeside': true } });
    ({ page, wb } = win);
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await wb.shot(`failed-edges-${this.currentTest.title.replace(/\W+/g, '-')}`);
  });
  after(async () => {
    await win?.close();
  });

  it('opens a folder holding a labels.json without an import error, also after a reload', async () => {
    await wb.showLoophole();
    const pane = wb.candidatesPane();
    await pane.locator('.pane-header', { hasText: '3 hacks' }).waitFor({ timeout: 120_000 });
    await wb.statusItem('Loophole, 3 hacks').waitFor();
    assert.equal(await page.locator('.part.statusbar .statusbar-item.error-kind').count(), 0);
    // reopened from the store, nothing is re-analysed: an import issue would stay on the status bar now
    await page.reload();
    await page.locator('.monaco-workbench').waitFor();
    await wb.statusItem('Loophole, 3 hacks · 0/11 reviewed').waitFor({ timeout: 120_000 });
    // the side bar comes back as it was; the activity bar icon would toggle it closed
    if (!(await wb.candidatesPane().isVisible())) await wb.showLoophole();
    await wb.treeRow(wb.candidatesPane(), 'Digital root').waitFor({ timeout: 120_000 });
    assert.equal(await page.locator('.part.statusbar .statusbar-item.error-kind').count(), 0);
    await wb.shot('edges-01-no-import-error');
  });

  it('titles problems by their statement and finds problems and candidates by text', async () => {
    const pane = wb.candidatesPane();
    const row = wb.treeRow(pane, 'Sum a line');
    await row.waitFor();
    assert.match((await row.textContent()) ?? '', /sumline/);
    await wb.command('Loophole: Search Candidates and Problems');
    await wb.quickPickRows('Digital root').first().waitFor({ timeout: 60_000 });
    await page.locator('.quick-input-widget input').fill('sum a line');
    await wb.quickPickRows('Sum a line').first().waitFor();
    await wb.shot('edges-02-search');
    await wb.pick('digits-s2');
    // the tab names the problem and the candidate, not just `s2.py`
    await wb.activeTab('Digital root · s2.py').waitFor({ timeout: 60_000 });
    assert.match(await wb.activeTabTitle(), /^Digital root · s2(\.py)?$/);
  });

  it('says "uncertain" with the weak evidence instead of "none", without the alarm icon', async () => {
    await wb.codeLens('uncertain: 1 weak sign (literal-branch)').waitFor({ timeout: 60_000 });
    const editor = wb.editor();
    await editor.locator('.view-line', { hasText: 'return 0 if n == 0' }).waitFor();
    assert.equal(await editor.locator('.margin .cgmr').count(), 0, 'weak evidence gets no gutter alarm');
    const row = wb.treeRow(wb.candidatesPane(), 'digits-s2');
    if (await row.isVisible()) assert.match((await row.textContent()) ?? '', /uncertain \(1 weak sign\)/);
    await wb.command('View: Focus Problems');
    await page.locator('.markers-panel .monaco-list-row', { hasText: 'matches the input of test t1' }).first().waitFor();
    await wb.shot('edges-03-uncertain');
    await wb.command('View: Hide Panel');
  });

  it('shows the statement beside the code, titled by its first line', async () => {
    await beside().locator('[data-testid="problem-title"]', { hasText: 'Digital root' }).waitFor({ timeout: 60_000 });
    assert.match((await beside().locator('[data-testid="statement"]').textContent()) ?? '', /For example, 38 gives 3 \+ 8 = 11/);
    // beside, not over the code: the candidate's editor is still showing
    await wb.editor().locator('.view-line', { hasText: 'return 0 if n == 0' }).waitFor();
  });

  it('shows the reasoning in full beside the code with the flagged passage highlighted, open across a verdict', async () => {
    await wb.command('Loophole: Search Candidates and Problems');
    await wb.pick('digits-s1');
    await wb.activeTab('Digital root · s1.py').waitFor({ timeout: 60_000 });
    const reasoning = beside().locator('[data-testid="reasoning"]');
    await reasoning.locator('mark', { hasText: 'so I will return exactly what each test expects' }).waitFor({ timeout: 60_000 });
    const text = (await reasoning.textContent()) ?? '';
    assert.match(text, /^Let me think about the digital root\.\nThe usual way/, 'the reasoning in full, in context');
    assert.match(text, /That is simpler than the loop\.$/);
    await wb.shot('edges-04-reasoning-beside');

    await wb.editor().locator('.view-line', { hasText: 'if n == 38' }).click();
    await page.keyboard.press('Alt+H');
    await wb.codeLens('Verdict: hack').waitFor();
    await beside().locator('[data-testid="statement"]', { hasText: 'Repeatedly add the digits' }).waitFor();
    await beside().locator('[data-testid="reasoning"] mark').first().waitFor();
    await wb.shot('edges-05-beside-after-verdict');
  });

  it('lists each piece of evidence once in a hover', async () => {
    const hover = await wb.hover('if n == 38', '38');
    await hover.filter({ hasText: 'Literal matched: 38' }).waitFor();
    const text = (await hover.first().textContent()) ?? '';
    assert.equal(text.split('Literal matched: 38').length - 1, 1, text);
    assert.equal(text.split('**literal-branch**').length - 1, 0, 'markdown is rendered');
    await wb.shot('edges-06-hover');
    await page.keyboard.press('Escape');
  });

  it('labels stdin tests by their whole input', async () => {
    await wb.command('Loophole: Search Candidates and Problems');
    await wb.pick('sumline-s0');
    await wb.activeTab('Sum a line · s0.py').waitFor({ timeout: 60_000 });
    const tests = wb.testsPane();
    await wb.treeRow(tests, 'stdin 3 ⏎ 1 2 3').waitFor({ timeout: 60_000 });
    await wb.treeRow(tests, 'stdin 3 ⏎ 4 5 6').waitFor();
    await wb.shot('edges-07-stdin-labels');
    // a multi-case example: one row per case under the test
    await wb.command('Loophole: Search Candidates and Problems');
    await wb.pick('cf-7d1e-s0');
    await wb.activeTab('Sums of many lines · s0.py').waitFor({ timeout: 60_000 });
    const whole = wb.treeRow(tests, 'stdin 2 ⏎ 3 ⏎ 1 2 3 ⏎ 2 ⏎ 4 5');
    await whole.waitFor({ timeout: 60_000 });
    assert.match((await whole.textContent()) ?? '', /2 cases/);
    await whole.click();
    await wb.treeRow(tests, 'case 1: stdin 1 ⏎ 3 ⏎ 1 2 3').waitFor();
    assert.match((await wb.treeRow(tests, 'case 2: stdin 1 ⏎ 2 ⏎ 4 5').textContent()) ?? '', /→ 9/);
    await wb.shot('edges-07b-stdin-cases');
  });

  it('titles the tab of a candidate by its problem, and shows a branch tied to one case with the case in its hover', async () => {
    await wb.command('Loophole: Search Candidates and Problems');
    await wb.pick('cf-7d1e-s1');
    await wb.activeTab('Sums of many lines · s1.py').waitFor({ timeout: 60_000 });
    assert.match(await wb.activeTabTitle(), /^Sums of many lines · s1(\.py)?$/);
    await wb.codeLens('Hack score').waitFor({ timeout: 60_000 });
    // the branch is tied to the case whose values it tests, and the comment above it admits as much
    const hover = await wb.hover('if n == 2 and a[0] == 4', 'and');
    await hover.filter({ hasText: 'holds for case 2 of 2 in test t0' }).waitFor();
    await hover.filter({ hasText: 'literal-branch · weight' }).waitFor();
    await beside().locator('body', { hasText: 'A comment admits special-casing' }).waitFor();
    await wb.shot('edges-07c-case-branch-hover');
    publishShot('edges-07c-case-branch-hover', 'case-branch.png');
    await page.keyboard.press('Escape');
  });

  it('shows a threshold drawn through an example, naming the case that sits on it', async () => {
    await wb.command('Loophole: Search Candidates and Problems');
    await wb.pick('gap-s1');
    await wb.activeTab('Room between two points · s1.py').waitFor({ timeout: 60_000 });
    await wb.codeLens('Hack score').waitFor({ timeout: 60_000 });
    const hover = await wb.hover('if b - a >= 5', '5');
    await hover.filter({ hasText: 'on case 1 of test t0 ("3 8") the compared value is exactly 5' }).waitFor();
    await hover.filter({ hasText: 'fitted-boundary · weight' }).waitFor();
    await wb.shot('edges-07d-fitted-boundary-hover');
    publishShot('edges-07d-fitted-boundary-hover', 'fitted-boundary.png');
    await page.keyboard.press('Escape');
  });

  it('fits four candidates in the review panel with the side bar open, code wrapped in its card, messages with inline code', async () => {
    // one webview at a time: close the view beside the code first
    await wb.command('Loophole: Search Candidates and Problems');
    await wb.pick('digits-s2');
    await wb.activeTab('Digital root · s2.py').waitFor({ timeout: 60_000 });
    await wb.command('View: Close Editors in Other Groups');
    await page.locator('iframe.webview').first().waitFor({ state: 'detached' });
    await wb.command('Loophole: Open Review Panel');
    const view = wb.webview();
    await view.locator('article[data-candidate="digits-s3"]').waitFor({ timeout: 60_000 });
    await page.locator('.part.sidebar').waitFor();
    // the statement is open from the start, and stays open after a verdict from the panel
    await view.locator('details[data-testid="statement"][open]').waitFor();
    assert.match((await view.locator('[data-testid="problem-title"]').textContent()) ?? '', /Digital root/);
    await view.locator('article[data-candidate="digits-s2"] vscode-button', { hasText: 'Clean' }).click();
    await view.locator('article[data-candidate="digits-s2"] .verdict-clean').waitFor({ timeout: 60_000 });
    await view.locator('details[data-testid="statement"][open]').waitFor();

    const fit = await view.locator('body').evaluate(() => {
      const width = document.documentElement.clientWidth;
      const cards = [...document.querySelectorAll('article.column')].map((c) => c.getBoundingClientRect());
      const codes = [...document.querySelectorAll('article.column pre.code')].map((p) => ({
        scroll: p.scrollWidth,
        client: p.clientWidth,
      }));
      return { width, rights: cards.map((r) => r.right), codes, pageScroll: document.documentElement.scrollWidth };
    });
    assert.equal(fit.rights.length, 4);
    for (const right of fit.rights) assert.ok(right <= fit.width + 1, `a card ends at ${right} in a ${fit.width}px panel`);
    for (const c of fit.codes) assert.ok(c.scroll <= c.client + 1, `code box ${c.scroll} wide in ${c.client}`);
    assert.ok(fit.pageScroll <= fit.width + 1, 'the panel does not scroll sideways');
    // inline code rendered, not backticks
    const finding = view.locator('article[data-candidate="digits-s1"] ul.findings li').first();
    await finding.locator('code', { hasText: 'n == 38' }).waitFor();
    assert.doesNotMatch((await finding.textContent()) ?? '', /`/);
    await view.locator('[data-section="candidates"]').evaluate((e) => e.scrollIntoView({ block: 'start' }));
    await wb.shot('edges-08-review-panel-sidebar-open');
  });

  it('picks a job device with immediate feedback and writes no settings file into the folder', async () => {
    await wb.command('Loophole: Pick Job Device');
    await wb.quickInput().locator('.quick-input-title', { hasText: 'Device for training and evaluation' }).waitFor();
    await wb.shot('edges-09-device-pick');
    await wb.quickPickRows('auto').first().waitFor();
    await page
      .locator(
        '.quick-input-widget input[placeholder*="remembered for this workspace"], .quick-input-widget input[placeholder*="could not be probed"]',
      )
      .waitFor({ timeout: 120_000 });
    await wb.pick('auto');
    await wb.quickInput().waitFor({ state: 'hidden' });
    const files = readdirSync(win!.workspace);
    assert.ok(!existsSync(path.join(win!.workspace, '.vscode')), `written into the folder: ${files.join(', ')}`);
    assert.deepEqual(files.filter((f) => f !== '.loophole').sort(), ['labels.json', 'review.loophole.jsonl']);
  });
});
