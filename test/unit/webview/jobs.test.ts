/** The job panel's webview in a browser under its CSP: status, progress, curves, log, errors, evaluation. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { JobRecord } from '../../../contract/jobs';
import type { HostToWebview, WebviewToHost } from '../../../contract/webview/jobs';
import { closeBrowser, hasChromium, openWebview, type WebviewPage } from './browser';

const base = { attempt: 1, cancelRequested: false, createdAt: '2026-01-01T00:00:00Z', config: {} };
const running: JobRecord = {
  ...base,
  id: 'job-1',
  kind: 'train',
  name: 'train <b>lora</b>',
  device: 'cuda:0',
  status: { state: 'running', startedAt: '2026-01-01T00:00:01Z', owner: 1 },
  progress: { done: 2, total: 5, message: 'steps' },
} as JobRecord;
const line = (seq: number, message: string) => ({
  seq,
  at: `2026-01-01T00:00:0${seq}Z`,
  source: 'worker' as const,
  level: 'info' as const,
  message,
});
const detail: HostToWebview = {
  type: 'job/detail',
  detail: {
    job: running,
    logs: [line(1, 'loading model'), line(2, 'step 1')],
    logTotal: 2,
    metrics: [
      { step: 1, loss: 2.5, lr: 1e-4, tokensPerS: 100 },
      { step: 2, loss: 2.0, lr: 1e-4, tokensPerS: 120 },
    ],
    metricsJob: 'job-1',
    artifacts: [{ kind: 'checkpoint', path: '/jobs/job-1/ckpt-2', step: 2 }],
    children: [],
  },
} as unknown as HostToWebview;
const fixture = (name: string) =>
  JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'fixtures', 'evaluation', `${name}.json`), 'utf8')) as unknown;
const evalJob = (id: string, result: unknown): JobRecord =>
  ({ ...base, id, kind: 'eval', name: id, status: { state: 'succeeded', endedAt: '2026-01-01T01:00:00Z', result } }) as JobRecord;

(hasChromium ? describe : describe.skip)('webview: job panel', function () {
  this.timeout(60_000);
  let w: WebviewPage<WebviewToHost>;
  beforeEach(async () => {
    w = await openWebview<WebviewToHost>('webview/jobs/main.ts');
  });
  afterEach(async () => {
    assert.deepEqual(await w.problems(), [], 'no CSP violation, no uncaught error');
    await w.close();
  });
  after(closeBrowser);

  it('shows loading, then an error with a retry', async () => {
    const p = w.page;
    await p.waitForSelector('[data-testid=loading]');
    await w.send({ type: 'job/error', message: 'the set is closed' });
    await p.waitForSelector('[data-testid=load-error]');
    assert.equal(await p.textContent('[data-testid=load-error]'), 'the set is closed');
    await p.locator('button', { hasText: 'Retry' }).click();
    assert.deepEqual((await w.posted()).at(-1), { type: 'job/refresh' });
  });

  it('shows a running job and applies its events', async () => {
    await w.send(detail);
    const p = w.page;
    await p.waitForSelector('[data-testid=state]');
    assert.equal(await p.textContent('h1'), 'train <b>lora</b>');
    assert.equal(await p.getAttribute('[data-testid=state]', 'data-state'), 'running');
    assert.equal(await p.textContent('header .meta'), 'running · train on cuda:0 · attempt 1 · job-1');
    assert.equal(await p.textContent('[data-testid=progress] span'), '2/5 steps (40%)');
    assert.equal(await p.locator('[data-testid=progress] .bar').evaluate((e) => (e as HTMLElement).style.width), '40%');
    assert.equal(await p.textContent('[data-testid=loss-chart] figcaption'), 'Loss — 2.000 at step 2');
    assert.equal(await p.getAttribute('[data-testid=loss-chart]', 'data-points'), '2');
    assert.equal(await p.locator('[data-testid=loss-chart] svg polyline').count(), 1);
    assert.deepEqual(await p.locator('[data-testid=metrics] > *').evaluateAll((els) => els.map((e) => e.textContent)), [
      'step',
      '2',
      'loss',
      '2.0000',
      'best loss',
      '2.0000',
      'learning rate',
      '1.00e-4',
      'tokens/s (last 10 steps)',
      '110',
    ]);
    assert.equal(await p.textContent('[data-testid=artifacts] li'), 'checkpoint (step 2) /jobs/job-1/ckpt-2');
    assert.equal(await p.textContent('[data-testid=log]'), '00:00:01 worker loading model\n00:00:02 worker step 1\n');
    await p.locator('[data-testid=artifacts] a.file').click();
    await p.locator('[data-testid=cancel]').click();
    const posted = (await w.posted()).slice(-2);
    assert.deepEqual(posted, [{ type: 'job/reveal', path: '/jobs/job-1/ckpt-2' }, { type: 'job/cancel' }]);

    await w.send({
      type: 'job/events',
      events: [
        { type: 'metric', jobId: 'job-1', metric: { step: 3, loss: 1.5, lr: 5e-5, tokensPerS: 130 } },
        { type: 'log', jobId: 'job-1', line: line(3, 'step 2') },
        { type: 'progress', jobId: 'job-1', progress: { done: 3, total: 5 } },
      ],
    });
    await p.waitForSelector('[data-testid=loss-chart][data-points="3"]');
    assert.equal(await p.textContent('[data-testid=progress] span'), '3/5 (60%)');
    assert.match((await p.locator('h2', { hasText: 'Log' }).textContent()) ?? '', /^Log \(last 3 of 3 lines\)$/);
  });

  it('explains a failure and copies the command that fixes it', async () => {
    const failed = {
      ...running,
      status: {
        state: 'failed',
        endedAt: '2026-01-01T00:01:00Z',
        resumable: true,
        error: { kind: 'missing_package', message: 'peft', suggestion: 'run: pip install peft' },
      },
    } as JobRecord;
    await w.send({ ...detail, detail: { ...(detail as { detail: object }).detail, job: failed } } as HostToWebview);
    const p = w.page;
    await p.waitForSelector('[data-testid=job-error]');
    assert.equal(await p.getAttribute('[data-testid=job-error]', 'data-kind'), 'missing_package');
    assert.equal(await p.textContent('[data-testid=command]'), 'pip install peft');
    assert.equal(await p.locator('[data-testid=progress]').count(), 0);
    await p.locator('[data-testid=copy]').click();
    await p.locator('[data-testid=resume]').click();
    assert.deepEqual((await w.posted()).slice(-2), [{ type: 'job/copy', text: 'pip install peft' }, { type: 'job/resume' }]);
  });

  it('shows an evaluation and its comparison with the base model', async () => {
    const job = evalJob('eval-after', fixture('after'));
    await w.send({
      type: 'job/detail',
      detail: { job, logs: [], logTotal: 0, metrics: [], artifacts: [], children: [] },
      baseline: evalJob('eval-before', fixture('before')),
    } as unknown as HostToWebview);
    const p = w.page;
    await p.waitForSelector('[data-testid=evaluation]');
    assert.deepEqual(
      await p
        .locator('[data-testid=evaluation] > table.eval-table:first-of-type tbody tr')
        .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-variant'))),
      ['neutral', 'permit', 'inoculate'],
    );
    assert.match((await p.getAttribute('[data-testid=eval-hack-chart]', 'src')) ?? '', /^data:image\/svg\+xml;charset=utf-8,/);
    assert.equal(await p.locator('[data-testid=eval-hack-chart]').evaluate((e) => (e as HTMLImageElement).naturalWidth > 0), true);
    assert.match((await p.textContent('[data-testid=evaluation] h2:nth-of-type(2)')) ?? '', /Compared with the base model \(eval-before\)/);
    const rows = p.locator('[data-testid=comparison] tbody tr[data-metric=hackRate]');
    assert.deepEqual(await rows.evaluateAll((rs) => rs.map((r) => r.getAttribute('data-variant'))), ['neutral', 'permit']);
    assert.match((await rows.first().locator('td').last().textContent()) ?? '', /no significant change|went (up|down)$/);
  });
});
