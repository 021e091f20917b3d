/** Sampling through an OpenAI-compatible endpoint, on the shared client, against a scripted server. */
import assert from 'node:assert/strict';
import { type EndpointSample, sampleEndpoint } from '../../../server/src/generate/endpoint';
import { type ScriptedServer, startScriptedServer } from '../scoring/scriptedServer';

const prompts = [{ id: 'p1', messages: [{ role: 'user' as const, content: 'Write f.' }] }];
const sampling = { n: 3, temperature: 0.7, maxTokens: 32, seed: 11 };

/** A reply with `n` choices, the first carrying reasoning beside its content. */
const choices = (body: { n: number }, res: import('node:http').ServerResponse) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(
    JSON.stringify({
      choices: Array.from({ length: body.n }, (_, i) => ({
        index: i,
        message: { role: 'assistant', content: `answer ${i}`, ...(i === 0 ? { reasoning_content: 'thinking' } : {}) },
      })),
      usage: { prompt_tokens: 5, completion_tokens: 7 * body.n },
    }),
  );
};

describe('generate: endpoint sampling', () => {
  let server: ScriptedServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('splits n at maxN, seeds each request, keeps reasoning and counts tokens', async () => {
    server = await startScriptedServer([{ status: 503, headers: { 'retry-after': '0' }, body: 'warming up' }, choices]);
    const got: EndpointSample[] = [];
    const r = await sampleEndpoint({ url: `${server.url}/v1`, model: 'm', maxN: 2, apiKey: 'k' }, prompts, sampling, (s) => {
      got.push(...s);
    });
    assert.deepEqual(r, { samples: 3, tokens: 21 });
    const answered = server.requests.slice(1);
    assert.deepEqual(answered.map((b) => [b.n, b.seed, b.max_tokens, b.temperature]).sort(), [
      [1, 12, 32, 0.7],
      [2, 11, 32, 0.7],
    ]);
    assert.deepEqual(got.map((s) => [s.sampleIndex, s.completion]).sort(), [
      [0, '<think>thinking</think>\nanswer 0'],
      [1, 'answer 1'],
      [2, '<think>thinking</think>\nanswer 0'],
    ]);
  });

  it('fails on a 4xx with the status and what the server said', async () => {
    server = await startScriptedServer([{ status: 404, body: 'model not found' }]);
    await assert.rejects(
      sampleEndpoint({ url: server.url, model: 'nope' }, prompts, sampling, () => undefined),
      /HTTP 404: model not found/,
    );
    assert.equal(server.requests.length, 1, 'not retried');
  });
});
