/**
 * Scale: import and analyse 100,000 candidates end to end (static analysis, reasoning monitor,
 * the ONNX classifier, the ensemble, the store), in a child process so its peak resident memory is its own. Execution is measured
 * separately (execution.bench.ts): at a few hundred sandboxed test runs per second, running 300,000
 * tests would take the bench past its budget without telling anything new about memory.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BenchRow } from './types';

export const SCALE_CANDIDATES = Number(process.env.LOOPHOLE_BENCH_SCALE ?? 100_000);

export async function bench(): Promise<BenchRow[]> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'loophole-scale-'));
  try {
    const child = path.join(__dirname, 'scaleChild.ts');
    const run = (mode: string) => {
      const r = spawnSync(process.execPath, ['--import', 'tsx', child, mode, dir, String(SCALE_CANDIDATES)], {
        encoding: 'utf8',
        maxBuffer: 1 << 24,
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      if (r.status !== 0) throw new Error(`scale child (${mode}) exited with ${r.status}`);
      return JSON.parse(r.stdout.trim().split('\n').pop()!) as { seconds: number; maxRssMb: number; candidates: number };
    };
    const baseline = run('baseline');
    const full = run('analyze');
    return [
      {
        name: `analyze ${full.candidates} candidates end to end (import, static, reasoning, classifier, store; no execution): throughput`,
        value: full.candidates / full.seconds,
        unit: 'candidates/s',
        baseline: baseline.candidates / baseline.seconds,
        baselineName: 'JSON.parse of every line',
      },
      {
        name: `analyze ${full.candidates} candidates: peak resident memory`,
        value: full.maxRssMb,
        unit: 'MiB',
        baseline: baseline.maxRssMb,
        baselineName: 'JSON.parse of every line',
        target: '< 1024 MiB',
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
