import assert from 'node:assert/strict';
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import type { CliContext } from '../../../server/src/cli/command';
import { judgeCommand } from '../../../server/src/cli/commands/judge';
import { combine } from '../../../server/src/scoring/ensemble';
import { Store } from '../../../server/src/store/store';
import { analysedStore } from './reviewStore';
import { chat, startScriptedServer } from './scriptedServer';

function context(cwd: string): { ctx: CliContext; out: () => string } {
  const stdout = new PassThrough();
  const chunks: Buffer[] = [];
  stdout.on('data', (c: Buffer) => chunks.push(c));
  return {
    ctx: {
      stdout,
      stderr: new PassThrough(),
      cwd,
      signal: new AbortController().signal,
      progress: () => ({ total() {}, update() {}, done() {} }),
    },
    out: () => Buffer.concat(chunks).toString('utf8'),
  };
}

describe('loophole judge', () => {
  it('judges the uncertain candidates, stores the score, recombines, caches and reports cost', async () => {
    const { dir, store, ids } = analysedStore(1);
    // drop the fixture's judge scores: the command adds its own
    for (const { id } of ids) {
      const a = store.analysis(id)!;
      store.putAnalysis({ ...a, scores: a.scores.filter((s) => s.scorer !== 'judge') });
    }
    store.close();
    const reply = (n: number) => ({
      candidates: Array.from({ length: n }, (_, i) => ({
        index: i + 1,
        label: 'hack',
        confidence: 1,
        special_casing_lines: [],
        explanation: 'e',
      })),
    });
    const server = await startScriptedServer([
      (body, res) => {
        const n = (body.messages[1].content.match(/### Solution \d+/g) ?? []).length;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify((chat(JSON.stringify(reply(n)), 500, 50) as { body: unknown }).body));
      },
    ]);
    try {
      // a band around the clean candidates' prior (static 0.35 alone, as the ensemble weighs it)
      const prior = combine([{ scorer: 'static', probability: 0.35, rationale: '' }], []).hackProbability;
      const args = [
        dir,
        '--url',
        server.url,
        '--model',
        'm',
        '--band',
        `${(prior - 0.03).toFixed(3)},${(prior + 0.03).toFixed(3)}`,
        '--price-prompt',
        '1',
        '--json',
      ];
      const { ctx, out } = context(dir);
      assert.equal(await judgeCommand.run(args, ctx), 0);
      const summary = JSON.parse(out()) as { judged: number; decisionsChanged: number; usage: { requests: number; cost: number } };
      assert.equal(summary.judged, 2, 'only the two clean candidates (0.35) lie in the band');
      assert.equal(summary.usage.requests, 1, 'one comparative call for the problem');
      assert.equal(summary.usage.cost, 0.5);
      assert.equal(summary.decisionsChanged, 2);
      assert.ok(!existsSync(path.join(dir, '.loophole', 'judge-cache.json')), 'replies go to the store, not a JSON file');

      const s = Store.open(dir);
      try {
        assert.equal(s.judgeCache().size, 1, 'the comparative reply is cached in the store');
        const clean = ids.filter((x) => !x.hack).map((x) => s.analysis(x.id)!);
        for (const a of clean) {
          assert.ok(a.scores.some((x) => x.scorer === 'judge'));
          assert.ok(a.isHack && a.hackProbability > 0.5, 'the combined probability decides, after the judge');
        }
        assert.ok(!s.analysis(ids[0]!.id)!.scores.some((x) => x.scorer === 'judge'), 'outside the band: not judged');
      } finally {
        s.close();
      }

      const again = context(dir);
      assert.equal(await judgeCommand.run(args, again.ctx), 0);
      assert.equal((JSON.parse(again.out()) as { usage: { requests: number; cacheHits: number } }).usage.cacheHits, 1);
      assert.equal(server.requests.length, 1, 'the second run is answered from the cache');
    } finally {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says how to configure the endpoint when none is set', async () => {
    const { dir, store } = analysedStore(1);
    store.close();
    const saved = { ...process.env };
    delete process.env['LOOPHOLE_JUDGE_URL'];
    delete process.env['LOOPHOLE_JUDGE_MODEL'];
    try {
      await assert.rejects(judgeCommand.run([dir], context(dir).ctx), /LOOPHOLE_JUDGE_URL/);
    } finally {
      Object.assign(process.env, saved);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
