/**
 * How much work the cheap monitors leave for the LLM judge: the share of candidates whose combined
 * probability before the judge (static + execution + coverage + reasoning + classifier: what
 * `analyzeStore` computes with `defaultScorers` minus the judge) falls in the judge's uncertain band
 * (default 0.3–0.7), i.e. the share that would be escalated. Baseline: the same share without the
 * classifier (the cheap analyses alone), from the same analyses.
 *
 * On the bundled sample and on `../shared/data/mbpp-incorrect-test-dev.jsonl` when present, each
 * analysed (with execution) in a temporary copy, so the originals are never written to.
 */
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { analyzeStore, openReviewSet } from '../../server/src/pipeline/analyze';
import { defaultScorers } from '../../server/src/scoring/defaults';
import { combine } from '../../server/src/scoring/ensemble';
import { DEFAULT_BAND } from '../../server/src/scoring/judge/config';
import { inBand } from '../../server/src/scoring/judge/scorer';
import type { BenchRow } from './types';

const ROOT = path.resolve(__dirname, '..', '..');
const SETS: readonly { name: string; file: string }[] = [
  { name: 'sample', file: path.join(ROOT, 'media', 'sample', 'sample.loophole.jsonl') },
  { name: 'mbpp-dev', file: path.resolve(ROOT, '..', 'shared', 'data', 'mbpp-incorrect-test-dev.jsonl') },
];

interface Escalation {
  candidates: number;
  inBand: number;
  inBandCheap: number;
}

async function escalation(file: string): Promise<Escalation> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'loophole-escalation-'));
  try {
    const copy = path.join(dir, path.basename(file));
    copyFileSync(file, copy);
    const { store } = await openReviewSet(copy);
    try {
      const set = await defaultScorers({ dbPath: store.dbPath, judgeCache: store.judgeCache() });
      try {
        // The judge is the last scorer; without it the stored probability is exactly its prior.
        await analyzeStore(store, { scorers: set.scorers.filter((s) => s.name !== 'judge') });
      } finally {
        await set.dispose();
      }
      const out: Escalation = { candidates: 0, inBand: 0, inBandCheap: 0 };
      for (const a of store.iterateAnalyses()) {
        out.candidates++;
        if (inBand(a.hackProbability, DEFAULT_BAND)) out.inBand++;
        const cheap = combine(
          a.scores.filter((s) => s.scorer !== 'classifier'),
          a.findings,
        ).hackProbability;
        if (inBand(cheap, DEFAULT_BAND)) out.inBandCheap++;
      }
      return out;
    } finally {
      store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function bench(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const band = `${DEFAULT_BAND[0]}–${DEFAULT_BAND[1]}`;
  for (const s of SETS) {
    if (!existsSync(s.file)) {
      process.stderr.write(`bench escalation: ${s.file} not found; skipping the ${s.name} set\n`);
      continue;
    }
    const e = await escalation(s.file);
    const pct = (n: number) => (e.candidates ? (100 * n) / e.candidates : 0);
    rows.push({
      name: `${s.name}: share escalated to the judge (prior in ${band}, ${e.inBand}/${e.candidates})`,
      value: pct(e.inBand),
      unit: '%',
      baseline: pct(e.inBandCheap),
      baselineName: `without the classifier, ${e.inBandCheap}/${e.candidates}`,
      target: '< 10%',
    });
  }
  return rows;
}
