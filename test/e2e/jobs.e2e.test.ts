/**
 * Jobs in a real VS Code (code-server) driven through Chromium: the Jobs view is in the Loophole side
 * bar; one click on "Recontextualize & Retrain" runs curate → recontextualize → export → fine-tune →
 * evaluate on a tiny randomly initialised model on the CPU, and the job panel draws the loss curve.
 * Where the worker's Python lacks torch, the same click must end in the clear "missing package"
 * message with its pip command instead. Run by `test/e2e/run.sh`, which builds the .vsix first.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { FIXTURES, hasTorch, tinyModel } from '../unit/jobs/env';
import { openReviewWindow, type ReviewWindow } from './harness';
import type { Workbench } from './workbench';

describe('Jobs view and one-click retrain in code-server', function () {
  this.timeout(600_000);
  const torch = hasTorch();
  let win: ReviewWindow | undefined;
  let page: Page;
  let wb: Workbench;
  let view: FrameLocator;

  before(async () => {
    if (!torch) process.stderr.write('  (the worker lacks torch: this run checks the missing-package message instead of training)\n');
    win = await openReviewWindow({
      fixture: path.join(FIXTURES, 'review.loophole.jsonl'),
      userSettings: {
        // a tiny model, the CPU, and a small evaluation: no quick picks, a run of a minute or two
        'loophole.jobs.model': torch ? tinyModel() : '/nonexistent/model',
        'loophole.jobs.device': 'cpu',
        'loophole.jobs.preset': 'recontextualization',
        'loophole.jobs.evalSamples': 1,
        'loophole.jobs.evalMaxTokens': 8,
        'loophole.jobs.generateSamples': 1,
        'loophole.jobs.generateMaxTokens': 8,
      },
    });
    ({ page, wb } = win);
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await wb.shot(`failed-jobs-${this.currentTest.title.replace(/\W+/g, '-')}`);
  });
  after(async () => {
    await win?.close();
  });

  const jobsPane = () => page.locator('.pane', { has: page.locator('.pane-header', { hasText: /^Jobs/ }) });

  it('shows the Jobs view in the Loophole side bar, empty before any job', async () => {
    await wb.showLoophole();
    // analysed on open: one special-cased candidate per problem
    await wb.candidatesPane().locator('.monaco-list-row', { hasText: '1/2 hacks' }).first().waitFor({ timeout: 120_000 });
    const header = jobsPane().locator('.pane-header');
    await header.waitFor();
    if ((await header.getAttribute('aria-expanded')) === 'false') await header.click();
    await jobsPane().getByText('No jobs yet').waitFor();
  });

  it('runs Recontextualize & Retrain in one click and draws the loss curve in the job panel', async function () {
    if (!torch) this.skip();
    await wb.command('Loophole: Recontextualize & Retrain');
    view = wb.webview();
    await view.locator('[data-testid="state"]').waitFor({ timeout: 60_000 });
    await view.locator('[data-testid="steps"] li[data-step="train"]').waitFor();
    // the view lists the chain with its steps under it while it runs
    await jobsPane().locator('.monaco-list-row', { hasText: 'train step' }).first().waitFor();
    await view.locator('[data-testid="state"][data-state="succeeded"]').waitFor({ timeout: 480_000 });

    const loss = view.locator('[data-testid="loss-chart"]');
    const points = Number(await loss.getAttribute('data-points'));
    assert.ok(points >= 2, `the loss curve has a point per step (${points})`);
    assert.match((await loss.locator('polyline').getAttribute('points')) ?? '', /^[\d.]+,[\d.]+( [\d.]+,[\d.]+)+$/);
    assert.match((await loss.locator('figcaption').textContent()) ?? '', /Loss — \d+\.\d{3} at step \d+/);
    assert.equal(Number(await view.locator('[data-testid="lr-chart"]').getAttribute('data-points')), points);
    for (const step of ['train', 'eval']) {
      assert.match((await view.locator(`[data-testid="steps"] li[data-step="${step}"]`).textContent()) ?? '', /succeeded/);
    }
    await view.locator('[data-testid="artifacts"] li', { hasText: 'adapter' }).first().waitFor();
    assert.match((await view.locator('[data-testid="log"]').textContent()) ?? '', /exported \d+ rows/);
    await page
      .locator('.notifications-toasts .notification-toast', {
        hasText: /finished\. Evaluation on \d+ held-out problems? \([\w-]+\) — raw: .*hack rate.* EMA: .*hack rate/,
      })
      .first()
      .waitFor({ timeout: 30_000 });
    await jobsPane()
      .locator('.monaco-list-row', { hasText: 'recontextualize and retrain' })
      .locator('.label-description', { hasText: 'succeeded' })
      .first()
      .waitFor();
    await wb.shot('jobs-panel');
  });

  it('without torch, the same click says which package is missing and offers the pip command', async function () {
    if (torch) this.skip();
    await wb.command('Loophole: Recontextualize & Retrain');
    const toast = page.locator('.notifications-toasts .notification-toast', { hasText: 'missing a Python package' }).first();
    await toast.waitFor({ timeout: 120_000 });
    await toast.getByRole('button', { name: 'Copy command' }).waitFor();
    assert.match((await toast.textContent()) ?? '', /torch/);
    await wb.shot('jobs-missing-package');
  });
});
