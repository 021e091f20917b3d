/**
 * Quality on the development data beside the repository (`../shared/data`, when present): each MBPP
 * row has one correct and one special-cased solution, and the shown tests are the incorrect test plus
 * the other correct ones. Reports precision and recall of the hack decision and the share of hacks
 * whose special-cased lines are highlighted by a finding. Not a speed figure; it lives in the bench
 * because it needs data the project's tests must not depend on.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { analyzeStore, openReviewSet } from '../../server/src/pipeline/analyze';
import { defaultScorers } from '../../server/src/scoring/defaults';
import type { BenchRow } from './types';

export const DEV_DATA = path.resolve(__dirname, '../../../shared/data/mbpp-incorrect-test-dev.jsonl');

export const SAMPLE = path.resolve(__dirname, '../../media/sample/sample.loophole.jsonl');
export const SAMPLE_LABELS = path.resolve(__dirname, '../../media/sample/labels.json');

export async function bench(): Promise<BenchRow[]> {
  return [...(await sampleQuality()), ...(await devQuality())];
}

/** The bundled sample against its ground truth (`labels.json`, 1-based special-cased lines). */
async function sampleQuality(): Promise<BenchRow[]> {
  const labels = JSON.parse(readFileSync(SAMPLE_LABELS, 'utf8')) as Record<string, { label: string; lines: number[] }>;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'loophole-quality-'));
  try {
    const file = path.join(dir, 'sample.loophole.jsonl');
    cpSync(SAMPLE, file);
    const { store } = await openReviewSet(file);
    const scorers = await defaultScorers({ dbPath: store.dbPath });
    await analyzeStore(store, { scorers: scorers.scorers }).finally(() => scorers.dispose());
    let tp = 0, fp = 0, fn = 0, withLines = 0, localized = 0;
    for (const c of store.iterateCandidates()) {
      const a = store.analysis(c.id)!;
      const truth = labels[c.id];
      if (!truth) continue;
      const isHack = truth.label === 'hack';
      if (isHack && a.isHack) tp++;
      else if (isHack) (fn++, process.stderr.write(`quality: sample: missed ${c.id}\n`));
      else if (a.isHack) (fp++, process.stderr.write(`quality: sample: false positive ${c.id}\n`));
      if (isHack && truth.lines.length) {
        withLines++;
        const hit = a.findings.some((f) => f.kind !== 'reasoning' && truth.lines.some((l) => l - 1 >= f.range.startLine && l - 1 <= f.range.endLine));
        if (hit) localized++;
        else process.stderr.write(`quality: sample: not localized ${c.id}\n`);
      }
    }
    store.close();
    return [
      { name: 'sample: precision of the hack decision', value: tp / Math.max(1, tp + fp), unit: '', target: '1.0' },
      { name: 'sample: recall of the hack decision', value: tp / Math.max(1, tp + fn), unit: '', target: '1.0' },
      { name: 'sample: hacks with labelled lines highlighted', value: localized / Math.max(1, withLines), unit: '', target: '1.0' },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function devQuality(): Promise<BenchRow[]> {
  if (!existsSync(DEV_DATA)) {
    process.stderr.write(`quality: ${DEV_DATA} not found; skipped\n`);
    return [];
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'loophole-quality-'));
  try {
    const file = path.join(dir, 'dev.jsonl');
    cpSync(DEV_DATA, file);
    const { store } = await openReviewSet(file, { format: 'mbpp' });
    const scorers = await defaultScorers({ dbPath: store.dbPath });
    await analyzeStore(store, { scorers: scorers.scorers }).finally(() => scorers.dispose());
    let tp = 0, fp = 0, fn = 0, tn = 0, localized = 0;
    const misses: string[] = [];
    for (const c of store.iterateCandidates()) {
      const a = store.analysis(c.id)!;
      // The importer keeps the row's order: s0 is `correct_code`, s1 is `incorrect_code`.
      const isHack = c.id.endsWith('/s1');
      if (isHack && a.isHack) tp++;
      else if (isHack) (fn++, misses.push(`missed ${c.id}`));
      else if (a.isHack) (fp++, misses.push(`false positive ${c.id}`));
      else tn++;
      if (isHack) {
        const branchLines = c.code.split(/\r?\n/).flatMap((l, i) => (/^\s*(if|elif)\b/.test(l) ? [i] : []));
        const hit = a.findings.some(
          (f) => f.kind !== 'reasoning' && f.weight >= 0.5 && branchLines.some((l) => l >= f.range.startLine && l <= f.range.endLine),
        );
        if (hit) localized++;
        else misses.push(`not localized ${c.id}`);
      }
    }
    store.close();
    for (const m of misses) process.stderr.write(`quality: ${m}\n`);
    const hacks = tp + fn;
    return [
      { name: 'dev set: precision of the hack decision', value: tp / Math.max(1, tp + fp), unit: '', target: '1.0 (no false positive)' },
      { name: 'dev set: recall of the hack decision', value: tp / Math.max(1, hacks), unit: '', target: '1.0' },
      { name: 'dev set: hacks with special-cased lines highlighted', value: localized / Math.max(1, hacks), unit: '', target: '1.0' },
      { name: 'dev set: clean solutions not flagged', value: tn, unit: `of ${tn + fp}` },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
