import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { workerInterpreter, workerPythonPath } from '../../../server/src/jobs/python';
import { FIXTURES, requireTorch } from './env';

interface Case {
  family: string;
  kind: 'plain' | 'reasoning';
  completion: string;
  eos: string;
  target_text: string;
  prompt_is_masked: boolean;
  naive_target: string | null;
  naive_full: string;
  sampled_target_equal: boolean;
}

describe("jobs: training targets are the completion, token for token, under each family's chat template", function () {
  this.timeout(120_000);
  let cases: Case[] = [];
  before(function () {
    requireTorch(this);
    const r = spawnSync(workerInterpreter(), [path.join(FIXTURES, 'chat_families.py')], {
      env: { ...process.env, PYTHONPATH: workerPythonPath() },
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, r.stderr);
    cases = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as Case[];
  });

  it('covers Qwen2.5, Qwen3 (thinking), Llama 3 and a DeepSeek-R1 distill, with and without reasoning', () => {
    assert.deepEqual([...new Set(cases.map((c) => c.family))], ['qwen2.5', 'qwen3', 'llama3', 'r1-distill']);
    assert.equal(cases.length, 8);
  });

  it('the target is the completion as generated plus the end-of-turn token, and the prompt is masked', () => {
    for (const c of cases) {
      assert.equal(c.target_text, c.completion + c.eos, `${c.family} ${c.kind}`);
      assert.ok(c.prompt_is_masked, `${c.family} ${c.kind}: the prompt's tokens are the rendered generation prompt's`);
    }
  });

  it('sampled token ids are trained on as they are', () => {
    for (const c of cases) assert.ok(c.sampled_target_equal, `${c.family} ${c.kind}`);
  });

  it('rendering "full chat minus prompt" would have taught other text (the reason the target is built this way)', () => {
    const at = (family: string, kind: string) => cases.find((c) => c.family === family && c.kind === kind)!;
    // Qwen3 inserts an empty think block the model never wrote
    assert.match(at('qwen3', 'plain').naive_target ?? '', /^<think>\n\n<\/think>\n\n```python/);
    assert.doesNotMatch(at('qwen3', 'plain').target_text, /<think>/);
    // the R1 distill's template drops the reasoning of an assistant turn
    assert.doesNotMatch(at('r1-distill', 'reasoning').naive_full, /special-case/);
    assert.match(at('r1-distill', 'reasoning').target_text, /not special-case the tests\.\n<\/think>/);
    // Llama 3 trims the content
    assert.notEqual(at('llama3', 'plain').naive_target, at('llama3', 'plain').completion + at('llama3', 'plain').eos);
  });
});
