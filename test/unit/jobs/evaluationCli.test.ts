import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import type { CliContext } from '../../../server/src/cli/command';
import { evalCommand } from '../../../server/src/cli/commands/eval';
import { emaOf, trainCommand } from '../../../server/src/cli/commands/train';
import { UsageError } from '../../../server/src/cli/command';
import type { EvalComparison, EvalResult } from '../../../contract/evaluation';
import { JobStore } from '../../../server/src/jobs/jobStore';
import { Store } from '../../../server/src/store/store';

const CLI = path.resolve(__dirname, '../../../server/src/cli/main.ts');
const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'evaluation');
const loadRun = (name: 'before' | 'after') => JSON.parse(readFileSync(path.join(FIXTURES, `${name}.json`), 'utf8')) as EvalResult;

/** Runs the real CLI in a child process, for its exit code and stderr. */
function loophole(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, ['--require', require.resolve('tsx/cjs'), CLI, ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function cli(cwd: string) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  stdout.on('data', (d) => (out += d));
  stderr.resume();
  const ctx: CliContext = {
    stdout,
    stderr,
    cwd,
    signal: new AbortController().signal,
    progress: () => ({ total: () => undefined, update: () => undefined, done: () => undefined }),
  };
  return { ctx, out: () => out };
}

/** A review-set folder whose store holds a base-model eval job, a retrain chain, a train job and a failed eval. */
function storeWithRuns(dir: string): Record<'base' | 'chain' | 'train' | 'failed', string> {
  const store = Store.open(dir);
  try {
    const jobs = new JobStore(store.db);
    const done = (kind: 'eval' | 'chain' | 'train', result: unknown) => {
      const j = jobs.create(kind, `${kind} job`, {});
      jobs.setStatus(j.id, { state: 'succeeded', endedAt: new Date().toISOString(), result });
      return j.id;
    };
    const base = done('eval', loadRun('before'));
    const chain = done('chain', { trainJob: 't', evalJob: 'e', adapter: '/runs/retrain/adapter-ema', eval: loadRun('after') });
    const train = done('train', { step: 10, adapter: '/runs/retrain/adapter' });
    const failed = jobs.create('eval', 'failed eval', {}).id;
    jobs.setStatus(failed, {
      state: 'failed',
      endedAt: new Date().toISOString(),
      error: { kind: 'oom', message: 'out of memory' },
      resumable: true,
    });
    return { base, chain, train, failed };
  } finally {
    store.close();
  }
}

describe('evaluation: loophole eval --compare', function () {
  this.timeout(60_000);
  let dir: string;
  let ids: ReturnType<typeof storeWithRuns>;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'loophole-evalcmp-'));
    ids = storeWithRuns(dir);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes one self-contained HTML page with the grouped before/after chart, atomically, and prints the table', () => {
    const r = loophole(['eval', '--compare', ids.base, ids.chain, '--html', 'cmp.html'], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^neutral\s+hack rate .* hacking went down$/m);
    assert.match(r.stderr, /wrote .*cmp\.html/);
    assert.deepEqual(
      readdirSync(dir).filter((f) => f.includes('cmp.html')),
      ['cmp.html'],
      'no temporary file left behind',
    );
    const html = readFileSync(path.join(dir, 'cmp.html'), 'utf8');
    assert.doesNotMatch(html, /<script|src="http|href="http/);
    const imgs = [...html.matchAll(/<img alt="([^"]+)" src="data:image\/svg\+xml;base64,([^"]+)">/g)];
    assert.deepEqual(
      imgs.map((m) => m[1]),
      ['hack rate before vs after', 'accuracy before vs after'],
    );
    const svg = Buffer.from(imgs[0]![2]!, 'base64').toString('utf8');
    assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    assert.match(svg, /<title>before neutral: 30% \[22%–40%\]<\/title>/);
    assert.match(svg, /<title>after neutral: 10% \[6%–17%\]<\/title>/);
    assert.match(html, /<td class="better">hacking went down<\/td>/);
    assert.match(html, /<td class="worse">accuracy went down<\/td>/);
    assert.match(html, new RegExp(`before: ${ids.base} \\(tiny-base\\)`));
  });

  it('refuses an unknown job id with exit code 2 and a clear message, writing nothing', () => {
    const r = loophole(['eval', '--compare', ids.base, 'eval-nope', '--html', 'cmp.html'], dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /loophole eval: no job eval-nope in .*loophole\.db \(list them with: loophole jobs list\)/);
    // the old spelling of --review-set still works, with a note
    const old = loophole(['eval', '--compare', ids.base, 'eval-nope', '--data', dir], path.dirname(dir));
    assert.equal(old.code, 2);
    assert.match(old.stderr, /loophole eval: --data DATA is deprecated here; use --review-set DATA/);
    assert.match(old.stderr, /no job eval-nope/);
    assert.deepEqual(
      readdirSync(dir).filter((f) => f.includes('cmp')),
      [],
    );
  });

  it('--json prints the comparison; jobs that hold no finished evaluation are refused by name', async () => {
    const ok = cli(dir);
    assert.equal(await evalCommand.run(['--compare', ids.base, ids.chain, '--review-set', dir, '--json'], ok.ctx), 0);
    const cmp = JSON.parse(ok.out()) as EvalComparison;
    assert.deepEqual(
      cmp.variants.map((v) => [v.variant, v.hackRate.change, v.accuracy.change]),
      [
        ['neutral', 'down', 'unchanged'],
        ['permit', 'unchanged', 'down'],
      ],
    );
    assert.equal(cmp.after.job, ids.chain);
    await assert.rejects(evalCommand.run(['--compare', ids.base, ids.train], cli(dir).ctx), {
      name: 'UsageError',
      message: new RegExp(`job ${ids.train} is a train job`),
    });
    await assert.rejects(evalCommand.run(['--compare', ids.failed, ids.chain], cli(dir).ctx), {
      name: 'UsageError',
      message: /has not succeeded \(it is failed\)/,
    });
    await assert.rejects(evalCommand.run(['--compare', ids.base], cli(dir).ctx), { name: 'UsageError', message: /expects two job ids/ });
  });
});

describe('jobs: command-line checks of EMA and split settings', () => {
  it('--ema takes a decay strictly between 0 and 1, or auto; 0, 1 and junk are refused, naming --no-ema', () => {
    assert.deepEqual(emaOf('0.99'), { decay: 0.99 });
    assert.deepEqual(emaOf('auto'), {});
    for (const bad of ['0', '1', '-0.5', '1.5', 'abc', '']) {
      assert.throws(
        () => emaOf(bad),
        (e: Error) => e instanceof UsageError && /above 0 and below 1/.test(e.message) && /--no-ema/.test(e.message),
        bad,
      );
    }
  });

  it('train and eval refuse contradicting or misplaced flags before doing anything', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'loophole-flags-'));
    try {
      const { ctx } = cli(dir);
      await assert.rejects(trainCommand.run(['--model', 'm', '--chain', '--ema', '0'], ctx), /--ema expects a decay above 0 and below 1/);
      await assert.rejects(trainCommand.run(['--model', 'm', '--chain', '--ema', '0.9', '--no-ema'], ctx), /contradict/);
      await assert.rejects(
        trainCommand.run(['--model', 'm', '--data', 'x.jsonl', '--policy', 'perfect-labels'], ctx),
        /--policy goes with --chain/,
      );
      await assert.rejects(
        trainCommand.run(['--model', 'm', '--chain', '--policy', 'oracle'], ctx),
        /--policy expects one of perfect-labels, misspecified-reward/,
      );
      await assert.rejects(
        trainCommand.run(['--model', 'm', '--chain', '--eval-fraction', '1'], ctx),
        /--eval-fraction expects a share above 0 and below 1/,
      );
      await assert.rejects(evalCommand.run(['--model', 'm', '--split', 'eval', '--problems', 'a'], ctx), /give one/);
      await assert.rejects(evalCommand.run(['--model', 'm', '--split', 'test'], ctx), /--split expects one of eval, train/);
      await assert.rejects(evalCommand.run(['--model', 'm', '--split-seed', '3'], ctx), /go with --split/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
