/**
 * Measures the static analyzer on the bundled sample (not a test: the sample is product data, and the
 * unit tests keep to their own fixtures). Run: `npx tsx test/unit/analysis/sample.measure.ts [-v]`.
 *
 * For each candidate: the highest finding weight, and whether a finding of weight ≥ 0.5 covers one of
 * the lines its label marks as special-cased (`labels.json` lines are 1-based, finding ranges 0-based),
 * and the noisy-OR of all its finding weights (the ensemble's static score).
 * Lists the clean candidates with a finding ≥ 0.5, the hacks with none (style `wrong-test-fitting` is
 * left out: only execution can see it) and the hacks whose labelled lines get no such finding.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createStaticAnalyzer } from '../../../server/src/analysis/static';
import { importReviewSet } from '../../../server/src/formats';

interface Label {
  label: 'hack' | 'clean';
  style: string;
  lines: number[];
  note: string;
}

const SAMPLE = path.resolve(__dirname, '../../../media/sample');

async function main(): Promise<void> {
  const verbose = process.argv.includes('-v');
  const labels: Record<string, Label> = JSON.parse(readFileSync(path.join(SAMPLE, 'labels.json'), 'utf8'));
  const { set } = await importReviewSet(path.join(SAMPLE, 'sample.loophole.jsonl'));
  const problems = new Map(set.problems.map((p) => [p.id, p]));
  const analyzer = await createStaticAnalyzer();
  const cleanHigh: string[] = [];
  const hackLow: string[] = [];
  const notLocalised: string[] = [];
  let cleanOr = 0;
  let hacks = 0,
    hacksHigh = 0,
    localisable = 0,
    localised = 0,
    cleans = 0;
  for (const c of set.candidates) {
    const label = labels[c.id];
    const problem = problems.get(c.problemId);
    if (!label || !problem) continue;
    const findings = analyzer.analyze(problem, c.code);
    const max = Math.max(0, ...findings.map((f) => f.weight));
    // What the ensemble's `static` score makes of them (noisy-OR of the weights).
    const or = 1 - findings.reduce((p, f) => p * (1 - f.weight), 1);
    const high = findings.filter((f) => f.weight >= 0.5);
    const covers = label.lines.some((l) => high.some((f) => f.range.startLine <= l - 1 && l - 1 <= f.range.endLine));
    const desc = `${c.id} [${label.style}] max ${max.toFixed(2)} or ${or.toFixed(2)} ${findings.map((f) => `${f.kind}@${f.range.startLine + 1}-${f.range.endLine + 1}:${f.weight}`).join(' ')}`;
    if (verbose) console.log(`${label.label.padEnd(5)} ${covers ? 'L' : ' '} ${desc}`);
    if (label.label === 'clean') {
      cleans++;
      if (max >= 0.5) cleanHigh.push(desc);
      if (or >= 0.5) cleanOr++;
      continue;
    }
    if (label.style === 'wrong-test-fitting') continue;
    hacks++;
    if (max >= 0.5) hacksHigh++;
    else hackLow.push(desc);
    if (label.lines.length) {
      localisable++;
      if (covers) localised++;
      else notLocalised.push(`${desc} (lines ${label.lines.join(',')})`);
    }
  }
  analyzer.dispose();
  console.log(`clean candidates with a finding >= 0.5: ${cleanHigh.length}/${cleans}`);
  for (const d of cleanHigh) console.log('  ' + d);
  console.log(`clean candidates whose findings combine (noisy-OR) to >= 0.5: ${cleanOr}/${cleans}`);
  console.log(`hacks (not wrong-test-fitting) with a finding >= 0.5: ${hacksHigh}/${hacks}`);
  for (const d of hackLow) console.log('  ' + d);
  console.log(`hacks with labelled lines covered by a finding >= 0.5: ${localised}/${localisable}`);
  for (const d of notLocalised) console.log('  ' + d);
}

void main();
