import assert from 'node:assert/strict';
import { cpSync, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { recontextualizeAndRetrain, type ChainResult } from '../../../server/src/jobs/chain';
import { createJobQueue, type EvalResult } from '../../../server/src/jobs/runners';
import { analyzeStore, openReviewSet } from '../../../server/src/pipeline/analyze';
import { fixtureStore, requireTorch, tempDir, tinyModel, WORKER_ENV } from './env';

describe('jobs: curate → recontextualize → export → train → evaluate as one chain', function () {
  before(function () {
    requireTorch(this);
  });

  it('trains on the clean samples re-prompted as neutral and evaluates the EMA adapter under all three prompts', async () => {
    const { store } = await fixtureStore();
    try {
      await analyzeStore(store, { execute: false });
      const q = createJobQueue(store, { devices: ['cpu'], worker: { env: WORKER_ENV } });
      const chain = recontextualizeAndRetrain(store, {
        model: tinyModel(),
        preset: 'recontextualization',
        train: { max_steps: 2, max_length: 256, grad_accum: 1, ema: { decay: 0.9 } },
        eval: { n: 1, maxTokens: 8 },
      }, q);
      const done = await q.wait(chain.id);
      assert.equal(done.status.state, 'succeeded', JSON.stringify(done.status));
      const r = (done.status as { result: ChainResult }).result;

      // curation kept the clean candidate of each problem; its prompt is now the neutral one
      assert.deepEqual(r.exported.recontextualized, { 'discourage → neutral': 2 });
      const rows = readFileSync(r.exported.file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { messages: { role: string; content: string }[] });
      assert.equal(rows.length, 2);
      for (const row of rows) {
        assert.ok(!row.messages.some((m) => m.content.includes('Never special-case')), 'the discouraging suffix is gone');
        assert.doesNotMatch(row.messages.at(-1)!.content, /return 5|return 7/, 'no hack was selected');
      }

      // the children are jobs of their own, linked to the chain
      const children = q.jobs.list({ parent: chain.id });
      assert.deepEqual(children.map((j) => [j.kind, j.status.state]).sort(), [['eval', 'succeeded'], ['train', 'succeeded']]);
      assert.deepEqual(q.jobs.metrics(r.trainJob).map((m) => m.step), [1, 2]);
      assert.match(r.adapter, /adapter-ema$/);
      assert.ok(existsSync(r.adapter));

      const ev = r.eval as EvalResult;
      assert.deepEqual(Object.keys(ev.variants).sort(), ['discourage', 'neutral', 'permit']);
      for (const v of Object.values(ev.variants)) {
        assert.equal(v.samples, 2);
        assert.ok(v.hackRate >= 0 && v.hackRate <= 1 && v.accuracy >= 0 && v.accuracy <= 1);
      }
      assert.ok(existsSync(ev.store));
      await q.close();
    } finally {
      store.close();
    }
  });

  it('runs end to end on the bundled sample: only clean candidates are trained on, discourage prompts become neutral', async () => {
    const dir = tempDir('loophole-chain-sample-');
    const file = path.join(dir, 'sample.loophole.jsonl');
    cpSync(path.resolve(__dirname, '../../../media/sample/sample.loophole.jsonl'), file);
    const labels = JSON.parse(readFileSync(path.resolve(__dirname, '../../../media/sample/labels.json'), 'utf8')) as Record<string, { label: string }>;
    const { store } = await openReviewSet(file);
    try {
      await analyzeStore(store, {});
      const q = createJobQueue(store, { devices: ['cpu'], worker: { env: WORKER_ENV } });
      const chain = recontextualizeAndRetrain(store, {
        model: tinyModel(),
        preset: 'recontextualization',
        train: { max_steps: 2, max_length: 256, grad_accum: 1, ema: { decay: 0.9 } },
        eval: { n: 1, maxTokens: 8 },
      }, q);
      const done = await q.wait(chain.id);
      assert.equal(done.status.state, 'succeeded', JSON.stringify(done.status));
      const r = (done.status as { result: ChainResult }).result;
      const provenance = readFileSync(r.exported.file.replace(/\.jsonl$/, '.provenance.jsonl'), 'utf8')
        .trim().split('\n').map((l) => JSON.parse(l) as { candidateId: string; generationVariant: string; trainingVariant: string });
      assert.ok(provenance.length >= 25, `${provenance.length} rows`);
      for (const p of provenance) {
        assert.equal(labels[p.candidateId]?.label, 'clean', `${p.candidateId} is a hack and must not be trained on`);
        // the preset maps Good→Neutral; samples generated under other prompts keep theirs
        assert.equal(p.trainingVariant, p.generationVariant === 'discourage' ? 'neutral' : p.generationVariant);
      }
      const ev = r.eval as EvalResult;
      assert.deepEqual(Object.keys(ev.variants).sort(), ['discourage', 'neutral', 'permit']);
      await q.close();
    } finally {
      store.close();
    }
  });
});
