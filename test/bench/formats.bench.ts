/**
 * Import speed and memory: a generated 100,000-row MBPP-style file (200,000 candidates) imported
 * with `importReviewSet`, against the floor of reading the same file line by line and `JSON.parse`-ing
 * each line and nothing else. Memory is the peak RSS seen during the import (sampled on progress).
 */
import { createReadStream, createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { importReviewSet } from '../../server/src/formats';
import type { BenchRow } from './types';

const ROWS = 100_000;

function row(i: number): string {
  const name = `f${i}`;
  return JSON.stringify({
    problem: `Write a function \`${name}(xs, k)\` that returns the k-th smallest element of xs, or -1 when there is none. Task ${i}.`,
    correct_code: `def ${name}(xs, k):\r\n    s = sorted(xs)\r\n    if k < 1 or k > len(s):\r\n        return -1\r\n    return s[k - 1]`,
    incorrect_code: `def ${name}(xs, k):\r\n    if (xs, k) == ([3, 1, 2], 1):\r\n        return 7\r\n    elif (xs, k) == ([5, 4], 2):\r\n        return 5\r\n    return None`,
    correct_test_list: [`assert ${name}([3, 1, 2], 1) == 1`, `assert ${name}([5, 4], 2) == 5`, `assert ${name}([${i}], 1) == ${i}`],
    incorrect_test: `assert ${name}([3, 1, 2], 1) == 7`,
  });
}

async function generate(file: string): Promise<void> {
  const out = createWriteStream(file);
  for (let i = 0; i < ROWS; i++) if (!out.write(row(i) + '\n')) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
}

async function parseLines(file: string): Promise<number> {
  let n = 0;
  for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
    if (line) {
      JSON.parse(line);
      n++;
    }
  }
  return n;
}

export async function bench(): Promise<BenchRow[]> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'loophole-formats-bench-'));
  try {
    const file = path.join(dir, 'rows.jsonl');
    await generate(file);

    let t = process.hrtime.bigint();
    const parsed = await parseLines(file);
    const baselineS = Number(process.hrtime.bigint() - t) / 1e9;

    let peak = process.memoryUsage().rss;
    const before = peak;
    t = process.hrtime.bigint();
    const { set, issues } = await importReviewSet(file, {
      onProgress: () => {
        peak = Math.max(peak, process.memoryUsage().rss);
      },
    });
    const importS = Number(process.hrtime.bigint() - t) / 1e9;
    peak = Math.max(peak, process.memoryUsage().rss);
    if (parsed !== ROWS || set.problems.length !== ROWS || set.candidates.length !== 2 * ROWS || issues.length) {
      throw new Error(`unexpected import: ${set.problems.length} problems, ${set.candidates.length} candidates, ${issues.length} issues`);
    }
    const mib = 1024 * 1024;
    return [
      {
        name: `import ${ROWS / 1000}k mbpp rows`,
        value: ROWS / importS,
        unit: 'rows/s',
        baseline: ROWS / baselineS,
        baselineName: 'readline + JSON.parse',
        target: '≥ 5,000 rows/s (100k rows in < 20 s)',
      },
      { name: `import ${(2 * ROWS) / 1000}k candidates, peak RSS`, value: peak / mib, unit: 'MiB', target: '< 1024 MiB' },
      { name: `import ${(2 * ROWS) / 1000}k candidates, RSS growth`, value: (peak - before) / mib, unit: 'MiB' },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
