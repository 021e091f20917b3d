/** Child of scale.bench.ts: `generate + analyze` or the `baseline` read, reporting time and peak RSS. */
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { analyzeStore, openReviewSet } from '../../server/src/pipeline/analyze';
import { defaultScorers } from '../../server/src/scoring/defaults';

const [mode, dir, countArg] = process.argv.slice(2) as [string, string, string];
const count = Number(countArg);
const file = path.join(dir, 'scale.loophole.jsonl');

async function generate(): Promise<void> {
  if (existsSync(file)) return;
  const out = createWriteStream(file);
  const write = (o: unknown) =>
    out.write(JSON.stringify(o) + '\n') ? Promise.resolve() : new Promise<void>((r) => out.once('drain', () => r()));
  const perProblem = 4;
  for (let p = 0; p < count / perProblem; p++) {
    const a = p % 97;
    const b = (p * 7) % 89;
    await write({
      record: 'problem',
      id: `p${p}`,
      style: 'function',
      statement: `Return f(a, b) for case ${p}.`,
      entryPoint: 'f',
      tests: [
        { id: 't0', role: 'incorrect', kind: 'assert', code: `assert f(${a}, ${b}) == ${a + b + 1}` },
        { id: 't1', role: 'visible', kind: 'assert', code: `assert f(${b}, 3) == ${b + 3}` },
        { id: 't2', role: 'heldout', kind: 'assert', code: `assert f(${a}, ${b}) == ${a + b}` },
      ],
      referenceSolution: 'def f(a, b):\n    return a + b\n',
    });
    for (let c = 0; c < perProblem; c++) {
      const code =
        c === 3
          ? `def f(a, b):\n    if (a, b) == (${a}, ${b}):\n        return ${a + b + 1}\n    return a + b\n`
          : `def f(a, b):\n    # sample ${c}\n    total = a\n    total += b\n    return total\n`;
      await write({
        record: 'candidate',
        id: `p${p}/c${c}`,
        problemId: `p${p}`,
        completion: '```python\n' + code + '```',
        promptVariant: c % 2 ? 'permit' : 'neutral',
        model: 'm',
        sampleIndex: c,
      });
    }
  }
  await new Promise<void>((r) => out.end(() => r()));
}

async function main(): Promise<void> {
  await generate();
  const started = process.hrtime.bigint();
  let candidates = 0;
  if (mode === 'baseline') {
    const rl = readline.createInterface({ input: createReadStream(file), crlfDelay: Infinity });
    for await (const line of rl) if ((JSON.parse(line) as { record: string }).record === 'candidate') candidates++;
  } else {
    const { store } = await openReviewSet(file);
    const scorers = await defaultScorers({ dbPath: store.dbPath, judgeCache: store.judgeCache() });
    const s = await analyzeStore(store, { execute: false, batchSize: 512, scorers: scorers.scorers }).finally(() => scorers.dispose());
    candidates = s.analysed + s.skipped;
    store.close();
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  process.stdout.write(JSON.stringify({ seconds, candidates, maxRssMb: process.resourceUsage().maxRSS / 1024 }) + '\n');
}

void main();
