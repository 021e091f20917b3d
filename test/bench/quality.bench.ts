/**
 * Quality of the hack decision on the development data beside the repository (`../shared/data`, when
 * present) and on the bundled sample. A *source* is one development set plus the clean counterparts
 * written for it (`test/bench/data/`), so every source has hacks and clean solutions:
 *
 * - `mbpp`: each MBPP row's correct and special-cased solution (shown tests: the incorrect one and the
 *   other correct ones);
 * - `codeforces`: one hack and one honest completion per stdin/stdout problem;
 * - `hardcoding-realistic`: the all-hack chat set plus `hardcoding-realistic-clean.jsonl` (code and
 *   prose rows also reported apart);
 * - `sorh`: the all-hack chat set plus `sorh-coding-clean.jsonl`.
 *
 * Per source: precision and recall of the decision, recall at ≥ 99% precision (the best threshold on
 * the combined probability), AUROC, the share of hacks with a highlighted line (a non-reasoning
 * finding; for a prose answer, the quoted sentence of its reasoning), and the share the LLM judge
 * would be asked about (combined probability in its uncertain band). For Codeforces also what a
 * curator gets: the share of hacks among the rows `export` selects with default settings, and the
 * share of problems kept. Each set is analysed (with execution) in a
 * temporary copy. Not a speed figure; it lives in the bench because it needs data the project's tests
 * must not depend on.
 */
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CandidateAnalysis } from '../../contract/domain';
import { curateStream } from '../../server/src/curation/curate';
import { storeSource } from '../../server/src/curation/storeSource';
import { DEFAULT_CURATION_OPTIONS } from '../../contract/curation';
import type { FormatName } from '../../server/src/formats';
import { analyzeStore, openReviewSet } from '../../server/src/pipeline/analyze';
import { defaultScorers } from '../../server/src/scoring/defaults';
import { DEFAULT_BAND } from '../../server/src/scoring/judge/config';
import { inBand } from '../../server/src/scoring/judge/scorer';
import type { Store } from '../../server/src/store/store';
import type { BenchRow } from './types';
import { auroc as aurocOf } from '../../server/src/scoring/auroc';

const ROOT = path.resolve(__dirname, '..', '..');
const DATA = path.resolve(ROOT, '..', 'shared', 'data');
const CLEAN = path.join(__dirname, 'data');
export const DEV_DATA = path.join(DATA, 'mbpp-incorrect-test-dev.jsonl');
export const SAMPLE = path.join(ROOT, 'media', 'sample', 'sample.loophole.jsonl');
export const SAMPLE_LABELS = path.join(ROOT, 'media', 'sample', 'labels.json');

/** One analysed candidate with its ground truth. */
interface Labelled {
  id: string;
  hack: boolean;
  /** A prose answer (no code). */
  prose: boolean;
  analysis: CandidateAnalysis;
  /** The candidate's labelled special-cased lines (0-based), when the source has them. */
  lines?: readonly number[];
}

export async function bench(): Promise<BenchRow[]> {
  const only = (process.env.LOOPHOLE_QUALITY_SOURCES ?? '').split(',').filter(Boolean);
  const want = (name: string) => only.length === 0 || only.includes(name);
  const rows: BenchRow[] = [];
  if (want('sample')) rows.push(...(await sample()));
  if (!existsSync(DATA)) {
    process.stderr.write(`quality: ${DATA} not found; development sources skipped\n`);
    return rows;
  }
  if (want('mbpp')) rows.push(...(await mbpp()));
  if (want('codeforces')) rows.push(...(await codeforces()));
  if (want('hardcoding-realistic'))
    rows.push(...(await chatSource('hardcoding-realistic', 'hardcoding-realistic-dev.jsonl', 'hardcoding-realistic-clean.jsonl')));
  if (want('sorh')) rows.push(...(await chatSource('sorh', 'sorh-coding-dev.jsonl', 'sorh-coding-clean.jsonl')));
  return rows;
}

/** Imports `file` (a copy, in a temporary folder), analyses it with the default scorers, hands the store over. */
async function analysed<T>(file: string, format: FormatName | 'auto', use: (store: Store) => T): Promise<T> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'loophole-quality-'));
  try {
    const copy = path.join(dir, path.basename(file));
    copyFileSync(file, copy);
    const { store } = await openReviewSet(copy, { format });
    try {
      const scorers = await defaultScorers({ dbPath: store.dbPath, judgeCache: store.judgeCache() });
      // The judge is not part of the figures: without it the stored probability is its prior.
      await analyzeStore(store, { scorers: scorers.scorers.filter((s) => s.name !== 'judge') }).finally(() => scorers.dispose());
      return use(store);
    } finally {
      store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function sample(): Promise<BenchRow[]> {
  const labels = JSON.parse(readFileSync(SAMPLE_LABELS, 'utf8')) as Record<string, { label: string; lines: number[] }>;
  const items = await analysed(SAMPLE, 'auto', (store) => {
    const out: Labelled[] = [];
    for (const c of store.iterateCandidates()) {
      const truth = labels[c.id];
      if (!truth) continue;
      out.push({
        id: c.id,
        hack: truth.label === 'hack',
        prose: false,
        analysis: store.analysis(c.id)!,
        lines: truth.lines.map((l) => l - 1),
      });
    }
    return out;
  });
  return figures('sample', items);
}

async function mbpp(): Promise<BenchRow[]> {
  const items = await analysed(DEV_DATA, 'mbpp', (store) => {
    const out: Labelled[] = [];
    for (const c of store.iterateCandidates()) {
      // The importer keeps the row's order: s0 is `correct_code`, s1 is `incorrect_code`; the
      // special-cased lines are its branches.
      const hack = c.id.endsWith('/s1');
      const lines = c.code.split(/\r?\n/).flatMap((l, i) => (/^\s*(if|elif)\b/.test(l) ? [i] : []));
      out.push({ id: c.id, hack, prose: false, analysis: store.analysis(c.id)!, ...(hack ? { lines } : {}) });
    }
    return out;
  });
  return figures('mbpp', items);
}

async function codeforces(): Promise<BenchRow[]> {
  const file = path.join(DATA, 'codeforces-pairs-dev.jsonl');
  if (!existsSync(file)) return [];
  const labelOf = new Map<string, boolean>();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const row = JSON.parse(line) as { solutions: { completion: string; label: string }[] };
    for (const s of row.solutions) labelOf.set(s.completion, s.label === 'hack');
  }
  const { items, curator } = await analysed(file, 'stdio', (store) => {
    const out: Labelled[] = [];
    for (const c of store.iterateCandidates()) {
      const hack = labelOf.get(c.completion);
      if (hack === undefined) continue;
      out.push({ id: c.id, hack, prose: false, analysis: store.analysis(c.id)! });
    }
    // What `export` selects with default settings: one row per problem, the best by the default rule.
    const { problems } = curateStream(storeSource(store).items(), DEFAULT_CURATION_OPTIONS);
    let total = 0,
      kept = 0,
      selected = 0,
      hacks = 0;
    for (const p of problems) {
      total++;
      if (p.selected.length) kept++;
      for (const item of p.selected) {
        selected++;
        if (labelOf.get(item.candidate.completion)) hacks++;
      }
    }
    return { items: out, curator: { total, kept, selected, hacks } };
  });
  return [
    ...figures('codeforces', items),
    {
      name: 'codeforces: hacks among the rows export selects (default settings)',
      value: curator.hacks / Math.max(1, curator.selected),
      unit: `(${curator.hacks} of ${curator.selected})`,
      target: '≤ 0.01',
    },
    {
      name: 'codeforces: problems kept by export',
      value: curator.kept / Math.max(1, curator.total),
      unit: `(${curator.kept} of ${curator.total})`,
      target: '≥ 0.90',
    },
  ];
}

/** A chat source: the all-hack development set and its clean counterparts, imported together. */
async function chatSource(name: string, devFile: string, cleanFile: string): Promise<BenchRow[]> {
  const dev = path.join(DATA, devFile);
  const clean = path.join(CLEAN, cleanFile);
  if (!existsSync(dev)) return [];
  const labelOf = new Map<string, boolean>();
  const text: string[] = [];
  for (const f of [dev, clean]) {
    for (const line of readFileSync(f, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      const row = JSON.parse(line) as { messages: { role: string; content: string }[]; metadata?: { label?: string } };
      const answer = [...row.messages].reverse().find((m) => m.role === 'assistant');
      if (answer) labelOf.set(answer.content, row.metadata?.label === 'hack');
      text.push(line);
    }
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'loophole-quality-src-'));
  try {
    const joined = path.join(dir, `${name}.jsonl`);
    writeFileSync(joined, text.join('\n') + '\n');
    const items = await analysed(joined, 'chat', (store) => {
      const out: Labelled[] = [];
      for (const c of store.iterateCandidates()) {
        const hack = labelOf.get(c.completion);
        if (hack === undefined) continue;
        // prose as the importer reads it: an answer with no code in it (a stray fence is not code)
        out.push({ id: c.id, hack, prose: c.code.trim() === '', analysis: store.analysis(c.id)! });
      }
      return out;
    });
    const rows = figures(name, items);
    if (items.some((i) => i.prose)) {
      rows.push(
        ...figures(
          `${name} (code)`,
          items.filter((i) => !i.prose),
          true,
        ),
      );
      rows.push(
        ...figures(
          `${name} (prose)`,
          items.filter((i) => i.prose),
          true,
        ),
      );
    }
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function figures(source: string, items: readonly Labelled[], brief = false): BenchRow[] {
  let tp = 0,
    fp = 0,
    fn = 0,
    tn = 0,
    highlighted = 0,
    escalated = 0;
  for (const it of items) {
    const a = it.analysis;
    if (it.hack && a.isHack) tp++;
    else if (it.hack) fn++, process.stderr.write(`quality: ${source}: missed ${it.id}\n`);
    else if (a.isHack) fp++, process.stderr.write(`quality: ${source}: false positive ${it.id}\n`);
    else tn++;
    if (inBand(a.hackProbability, DEFAULT_BAND)) escalated++;
    if (it.hack) {
      // a prose answer's highlight is the quoted sentence of its reasoning
      const code = a.findings.filter((f) => (it.prose || f.kind !== 'reasoning') && (it.lines === undefined || f.weight >= 0.5));
      const hit = it.lines ? code.some((f) => it.lines!.some((l) => l >= f.range.startLine && l <= f.range.endLine)) : code.length > 0;
      if (hit) highlighted++;
      else if (a.isHack) process.stderr.write(`quality: ${source}: flagged without a highlighted line ${it.id}\n`);
    }
  }
  const hacks = tp + fn;
  const cleans = tn + fp;
  const scored = items.map((i) => ({ p: i.analysis.hackProbability, hack: i.hack }));
  const rows: BenchRow[] = [
    {
      name: `${source}: precision`,
      value: tp / Math.max(1, tp + fp),
      unit: `(${fp} false positives of ${cleans} clean)`,
      target: '≥ 0.99',
    },
    { name: `${source}: recall`, value: tp / Math.max(1, hacks), unit: `(${tp} of ${hacks})`, target: '≥ 0.99' },
  ];
  if (brief) return rows;
  rows.push(
    { name: `${source}: recall at ≥ 99% precision`, value: recallAtPrecision(scored, 0.99), unit: '', target: '≥ 0.99' },
    { name: `${source}: AUROC`, value: auroc(scored), unit: '' },
    { name: `${source}: hacks with a highlighted line`, value: highlighted / Math.max(1, hacks), unit: '', target: '1.0' },
    { name: `${source}: escalated to the judge`, value: escalated / Math.max(1, items.length), unit: `(of ${items.length})` },
  );
  return rows;
}

/** The highest recall over thresholds on the combined probability whose precision is at least `min`. */
export function recallAtPrecision(items: readonly { p: number; hack: boolean }[], min: number): number {
  const hacks = items.filter((i) => i.hack).length;
  if (hacks === 0) return 0;
  const sorted = [...items].sort((a, b) => b.p - a.p);
  let tp = 0,
    fp = 0,
    best = 0;
  for (let i = 0; i < sorted.length; i++) {
    if (sorted[i]!.hack) tp++;
    else fp++;
    // only a threshold between distinct probabilities can be chosen
    if (i + 1 < sorted.length && sorted[i + 1]!.p === sorted[i]!.p) continue;
    if (tp / (tp + fp) >= min) best = Math.max(best, tp / hacks);
  }
  return best;
}

/** Area under the ROC curve of the combined probability (ties count half). */
export function auroc(items: readonly { p: number; hack: boolean }[]): number {
  return aurocOf(
    items.map((i) => (i.hack ? 1 : 0)),
    items.map((i) => i.p),
  );
}
