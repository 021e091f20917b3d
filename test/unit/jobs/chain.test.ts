import assert from 'node:assert/strict';
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { recontextualizeAndRetrain } from '../../../server/src/jobs/chain';
import { chainText, evalTable, comparisonText } from '../../../server/src/jobs/evaluationReport';
import { createJobQueue } from '../../../server/src/jobs';
import { openReviewSet } from '../../../server/src/pipeline/analyze';
import { fixtureStore, FIXTURES, requireTorch, tempDir, tinyModel, WORKER_ENV } from './env';
import type { ChainResult } from '../../../contract/evaluation';

const TINY_TRAIN = { max_steps: 2, max_length: 256, grad_accum: 1, ema: { decay: 0.9 } };
const TINY_EVAL = { n: 1, maxTokens: 8 };

describe('jobs: split → curate → recontextualize → export → train → evaluate as one chain', function () {
  this.timeout(600_000);
  before(function () {
    requireTorch(this);
  });

  it('generates best-of-n on the train problems, trains on those only, evaluates base, raw and EMA on the held-out ones, paired', async () => {
    const { store } = await fixtureStore();
    try {
      const q = createJobQueue(store, { devices: ['cpu'], worker: { env: WORKER_ENV } });
      const chain = recontextualizeAndRetrain(
        store,
        { model: tinyModel(), preset: 'recontextualization', generate: { n: 2, maxTokens: 8 }, train: TINY_TRAIN, eval: TINY_EVAL },
        q,
      );
      const done = await q.wait(chain.id);
      assert.equal(done.status.state, 'succeeded', JSON.stringify(done.status));
      const r = (done.status as { result: ChainResult }).result;

      // the split is by problem and recorded; nothing of the eval side is trained on
      assert.equal(r.split.train.length + r.split.eval.length, 2);
      assert.equal(r.split.eval.length, 1);
      assert.deepEqual(r.eval.problems, r.split.eval);
      assert.deepEqual(r.eval.split, r.split);
      const provenance = readFileSync(r.exported.file.replace(/\.jsonl$/, '.provenance.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { problemId: string });
      assert.deepEqual(
        provenance.map((p) => p.problemId),
        r.split.train,
      );

      // best-of-2 of the base model under the discouraging prompt, on the train problem only
      assert.ok(r.generateJob);
      const generated = [...store.iterateCandidates()].filter((c) => c.generation?.job === r.generateJob);
      assert.equal(generated.length, 2);
      assert.ok(generated.every((c) => r.split.train.includes(c.problemId) && c.promptVariant === 'discourage'));
      const trainedIds = readFileSync(r.exported.file.replace(/\.jsonl$/, '.provenance.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { candidateId: string }).candidateId);
      assert.ok(
        trainedIds.every((id) => generated.some((c) => c.id === id)),
        'only the new samples are trained on',
      );
      // the sampled token ids are kept with each sample and exported with the row, to be trained on as they are
      assert.ok(generated.every((c) => (c.completionTokenIds?.length ?? 0) > 0));
      const exportedRows = readFileSync(r.exported.file, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { completion_token_ids?: number[] });
      assert.deepEqual(
        exportedRows.map((row) => row.completion_token_ids),
        trainedIds.map((id) => generated.find((c) => c.id === id)!.completionTokenIds),
      );

      // the selected sample's prompt is now the neutral one
      assert.equal(r.policy, 'perfect-labels');
      assert.deepEqual(r.exported.recontextualized, { 'discourage → neutral': 1 });
      const rows = readFileSync(r.exported.file, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { messages: { role: string; content: string }[] });
      for (const row of rows) {
        assert.ok(!row.messages.some((m) => m.content.includes('Never special-case')), 'the discouraging suffix is gone');
        assert.doesNotMatch(row.messages.at(-1)!.content, /return 5|return 7/, 'no hack was selected');
      }

      // children: generate, train, then the base model's, the raw adapter's and the EMA adapter's evaluations
      const children = q.jobs.list({ parent: chain.id });
      assert.deepEqual(children.map((j) => [j.kind, j.status.state]).sort(), [
        ['eval', 'succeeded'],
        ['eval', 'succeeded'],
        ['eval', 'succeeded'],
        ['generate', 'succeeded'],
        ['train', 'succeeded'],
      ]);
      assert.deepEqual(
        q.jobs.metrics(r.trainJob).map((m) => m.step),
        [1, 2],
      );
      assert.match(r.adapter, /adapter$/);
      assert.match(r.emaAdapter!, /adapter-ema$/);
      assert.equal(r.emaDecay, 0.9);
      assert.equal(r.baselineReused, false);
      for (const ev of [r.eval, r.evalEma!]) {
        assert.deepEqual(Object.keys(ev.variants).sort(), ['discourage', 'neutral', 'permit']);
        for (const v of Object.values(ev.variants)) {
          assert.equal(v.basis, 'tests');
          assert.equal(v.samples, 1);
          assert.equal((v.executed ?? 0) + (v.failed ?? 0) <= 1, true);
          assert.ok(v.flagRate && v.hackRate >= 0 && v.hackRate <= 1);
        }
        assert.ok(existsSync(ev.store));
      }
      for (const c of [r.comparison.raw, r.comparison.ema!]) {
        assert.equal(c.before.job, r.baselineJob);
        assert.ok(c.variants.every((v) => v.hackRate.method === 'paired'));
      }
      await q.close();
    } finally {
      store.close();
    }
  });

  it('refuses candidates without a recorded prompt variant, saying how to fix it', async () => {
    const dir = tempDir();
    const text = readFileSync(path.join(FIXTURES, 'review.loophole.jsonl'), 'utf8').replace(/"promptVariant":\s*"[^"]*",?/g, '');
    writeFileSync(path.join(dir, 'review.loophole.jsonl'), text);
    const { store } = await openReviewSet(path.join(dir, 'review.loophole.jsonl'));
    try {
      const q = createJobQueue(store, { devices: ['cpu'], worker: { env: WORKER_ENV } });
      const done = await q.wait(
        recontextualizeAndRetrain(
          store,
          { model: tinyModel(), preset: 'recontextualization', candidates: 'existing', train: TINY_TRAIN, eval: TINY_EVAL },
          q,
        ).id,
      );
      assert.equal(done.status.state, 'failed');
      const err = (done.status as { error: { kind: string; message: string; suggestion?: string } }).error;
      assert.equal(err.kind, 'bad_input');
      assert.match(err.message, /no recorded prompt variant/);
      assert.match(err.suggestion ?? '', /promptVariant/);
      assert.deepEqual(q.jobs.list({ parent: done.id }), [], 'nothing was trained');
      await q.close();
    } finally {
      store.close();
    }
  });

  it('stops with a clear message when the candidates cannot be executed', async () => {
    const { store } = await fixtureStore();
    try {
      const q = createJobQueue(store, { devices: ['cpu'], worker: { env: WORKER_ENV } });
      const done = await q.wait(
        recontextualizeAndRetrain(
          store,
          {
            model: tinyModel(),
            preset: 'recontextualization',
            candidates: 'existing',
            python: '/nonexistent/python3',
            train: TINY_TRAIN,
            eval: TINY_EVAL,
          },
          q,
        ).id,
      );
      assert.equal(done.status.state, 'failed');
      const err = (done.status as { error: { kind: string; message: string } }).error;
      assert.equal(err.kind, 'no_execution', JSON.stringify(err));
      assert.match(err.message, /could not be run against the tests/);
      await q.close();
    } finally {
      store.close();
    }
  });

  it('on the bundled sample: both selection policies run, held-out test-based rates with clustered intervals, raw and EMA side by side', async () => {
    const dir = tempDir('loophole-chain-sample-');
    const file = path.join(dir, 'sample.loophole.jsonl');
    cpSync(path.resolve(__dirname, '../../../media/sample/sample.loophole.jsonl'), file);
    const labels = JSON.parse(readFileSync(path.resolve(__dirname, '../../../media/sample/labels.json'), 'utf8')) as Record<
      string,
      { label: string }
    >;
    const { store } = await openReviewSet(file);
    try {
      const q = createJobQueue(store, { devices: ['cpu'], worker: { env: WORKER_ENV } });
      const results: Record<string, ChainResult> = {};
      for (const preset of ['recontextualization', 'misspecified-reward'] as const) {
        const done = await q.wait(
          recontextualizeAndRetrain(
            store,
            { model: tinyModel(), preset, candidates: 'existing', train: TINY_TRAIN, eval: { ...TINY_EVAL, variants: ['neutral'] } },
            q,
          ).id,
        );
        assert.equal(done.status.state, 'succeeded', JSON.stringify(done.status));
        results[preset] = (done.status as { result: ChainResult }).result;
      }
      const perfect = results['recontextualization']!;
      const reward = results['misspecified-reward']!;
      const trained = (r: ChainResult) =>
        readFileSync(r.exported.file.replace(/\.jsonl$/, '.provenance.jsonl'), 'utf8')
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l) as { candidateId: string; problemId: string; generationVariant: string; trainingVariant: string });
      for (const p of trained(perfect)) {
        assert.equal(labels[p.candidateId]?.label, 'clean', `${p.candidateId} is a hack and must not be trained on under perfect labels`);
        assert.equal(p.trainingVariant, p.generationVariant === 'discourage' ? 'neutral' : p.generationVariant);
      }
      const rewardHacks = trained(reward).filter((p) => labels[p.candidateId]?.label === 'hack').length;
      assert.ok(rewardHacks > 0, 'a misspecified reward selects hacks (they pass the incorrect test too)');
      assert.equal(reward.policy, 'misspecified-reward');
      for (const r of [perfect, reward]) {
        assert.equal(r.split.eval.length, 15);
        assert.ok(
          trained(r).every((p) => !r.split.eval.includes(p.problemId)),
          'no eval problem is trained on',
        );
        for (const v of Object.values(r.eval.variants)) {
          assert.equal(v.basis, 'tests');
          assert.equal(v.hackRate >= 0 && v.hackSamples! + (v.failed ?? 0) <= 15, true);
        }
        assert.ok(r.evalEma && r.comparison.ema);
      }
      assert.equal(reward.baselineJob, perfect.baselineJob, 'the second chain reuses the matching base-model evaluation');
      assert.equal(reward.baselineReused, true);
      const table = evalTable(perfect.eval);
      assert.match(table, /hack rate \[95% CI\]\s+overfit rate \[95% CI\]\s+accuracy \[95% CI\]\s+detector flags \[95% CI\]/);
      assert.match(comparisonText(perfect.comparison.raw), /paired over the problems both runs measured \(15\)/);
      const text = chainText(reward);
      assert.match(text, /^policy: misspecified-reward; split \(seed 0\): 15 train problems, 15 held-out eval problems$/m);
      assert.match(text, /^base model: reused/m);
      assert.match(text, /^base model → EMA adapter$/m);
      process.stderr.write(
        `\n${['recontextualization', 'misspecified-reward'].map((k) => `${k}: raw\n${comparisonText(results[k]!.comparison.raw)}${k}: EMA\n${comparisonText(results[k]!.comparison.ema!)}`).join('\n')}\n`,
      );
      await q.close();
    } finally {
      store.close();
    }
  });
});
