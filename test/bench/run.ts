/**
 * `npm run bench`: runs every `test/bench/*.bench.ts` module (or those named on the command line),
 * prints each figure beside its baseline measured in the same run, and writes
 * `test-output/bench.json`. Speed is measured here, never asserted in unit tests.
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { BenchRow } from './types';

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const files = readdirSync(__dirname)
    .filter((f) => f.endsWith('.bench.ts'))
    .filter((f) => only.length === 0 || only.some((o) => f.startsWith(o)))
    .sort();
  const all: (BenchRow & { module: string })[] = [];
  for (const f of files) {
    const mod = f.replace(/\.bench\.ts$/, '');
    process.stderr.write(`bench ${mod}…\n`);
    const started = Date.now();
    try {
      const { bench } = (await import(path.join(__dirname, f))) as { bench: () => Promise<BenchRow[]> };
      const rows = await bench();
      for (const r of rows) all.push({ ...r, module: mod });
      process.stderr.write(`bench ${mod}: ${rows.length} figures in ${((Date.now() - started) / 1000).toFixed(1)}s\n`);
    } catch (err) {
      process.stderr.write(`bench ${mod} failed: ${(err as Error).stack ?? err}\n`);
      process.exitCode = 1;
    }
  }
  const fmt = (x: number) => (Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 1 ? x.toFixed(2) : x.toPrecision(3));
  const lines = [
    ['module', 'figure', 'value', 'baseline', 'ratio', 'target'],
    ...all.map((r) => [
      r.module,
      r.name,
      `${fmt(r.value)} ${r.unit}`,
      r.baseline !== undefined ? `${fmt(r.baseline)} ${r.unit}${r.baselineName ? ` (${r.baselineName})` : ''}` : '',
      r.baseline ? `${fmt(r.value / r.baseline)}×` : '',
      r.target ?? '',
    ]),
  ];
  const widths = lines[0]!.map((_, i) => Math.max(...lines.map((l) => l[i]!.length)));
  for (const l of lines)
    process.stdout.write(
      l
        .map((c, i) => c.padEnd(widths[i]!))
        .join('  ')
        .trimEnd() + '\n',
    );
  mkdirSync('test-output', { recursive: true });
  writeFileSync('test-output/bench.json', JSON.stringify(all, null, 2));
}

void main();
