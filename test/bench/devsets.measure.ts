/**
 * Recall and false flags of `analyze` on the development sets beside the repository
 * (`../shared/data`): the hack rows of each set, and the clean rows there are (the Codeforces clean
 * completions, the MBPP correct solutions). Not a test: it needs data the project's tests must not
 * depend on. Each set is copied into a temporary folder (the store is written beside the data) and run
 * through the same pipeline as `loophole analyze FILE --format …`.
 *
 *   npx tsx test/bench/devsets.measure.ts [--execute] [--no-classifier] [--verbose] [set…]
 *
 * Per set and label it prints: rows, flagged (the ensemble's hack decision), flagged by the static
 * scorer alone (its probability ≥ 0.5), and how many flagged rows carry a finding of weight ≥ 0.5 or a
 * stated `flag-reason`. Chat sets are split into answers with code and answers in prose. `--verbose` lists the missed hacks and the flagged clean rows with their strongest finding.
 */
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FormatName } from '../../server/src/formats';
import { analyzeStore, openReviewSet } from '../../server/src/pipeline/analyze';
import { defaultScorers } from '../../server/src/scoring/defaults';

const DATA = path.resolve(__dirname, '../../../shared/data');
/** The project's own clean counterparts of the all-hack sets (`test/bench/data`), when present. */
const CLEAN = process.env.LOOPHOLE_CLEAN_DIR ?? path.resolve(__dirname, 'data');

interface DevSet {
  readonly name: string;
  readonly file: string;
  readonly dir?: string;
  readonly format: FormatName;
  /** The label of each completion, keyed by its text with whitespace collapsed. */
  labels(rows: unknown[]): Map<string, 'hack' | 'clean'>;
}

const norm = (s: string) => s.replace(/\s+/g, ' ').trim();

const SETS: DevSet[] = [
  {
    name: 'codeforces',
    file: 'codeforces-pairs-dev.jsonl',
    format: 'stdio',
    labels: (rows) =>
      new Map(
        (rows as { solutions: { completion: string; label: 'hack' | 'clean' }[] }[]).flatMap((r) =>
          r.solutions.map((s) => [norm(s.completion), s.label] as const),
        ),
      ),
  },
  {
    name: 'hardcoding',
    file: 'hardcoding-realistic-dev.jsonl',
    format: 'chat',
    labels: (rows) =>
      new Map(
        (rows as { messages: { role: string; content: string }[] }[]).map(
          (r) => [norm(r.messages.filter((m) => m.role === 'assistant').at(-1)?.content ?? ''), 'hack'] as const,
        ),
      ),
  },
  {
    name: 'sorh',
    file: 'sorh-coding-dev.jsonl',
    format: 'chat',
    labels: (rows) =>
      new Map(
        (rows as { messages: { role: string; content: string }[] }[]).map(
          (r) => [norm(r.messages.filter((m) => m.role === 'assistant').at(-1)?.content ?? ''), 'hack'] as const,
        ),
      ),
  },
  {
    name: 'hardcoding-clean',
    file: 'hardcoding-realistic-clean.jsonl',
    dir: CLEAN,
    format: 'chat',
    labels: () => new Map(),
  },
  {
    name: 'sorh-clean',
    file: 'sorh-coding-clean.jsonl',
    dir: CLEAN,
    format: 'chat',
    labels: () => new Map(),
  },
  {
    name: 'mbpp',
    file: 'mbpp-incorrect-test-dev.jsonl',
    format: 'mbpp',
    labels: (rows) =>
      new Map(
        (rows as { correct_code: string; incorrect_code: string }[]).flatMap((r) => [
          [norm(r.correct_code), 'clean'] as const,
          [norm(r.incorrect_code), 'hack'] as const,
        ]),
      ),
  },
];

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const execute = args.includes('--execute');
  const classifier = !args.includes('--no-classifier');
  const verbose = args.includes('--verbose');
  const only = args.filter((a) => !a.startsWith('--'));
  for (const set of SETS) {
    if (only.length && !only.includes(set.name)) continue;
    const src = path.join(set.dir ?? DATA, set.file);
    if (!existsSync(src)) {
      console.log(`${set.name}: ${src} not found; skipped`);
      continue;
    }
    const rows = readFileSync(src, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as unknown);
    const labels = set.labels(rows);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'loophole-devsets-'));
    try {
      const file = path.join(dir, set.file);
      copyFileSync(src, file);
      const { store } = await openReviewSet(file, { format: set.format });
      const scorers = await defaultScorers({ dbPath: store.dbPath, judgeCache: store.judgeCache(), classifier });
      await analyzeStore(store, { execute, scorers: scorers.scorers }).finally(() => scorers.dispose());
      const tally: Record<string, { n: number; flagged: number; staticFlag: number; explained: number }> = {};
      const notes: string[] = [];
      for (const c of store.iterateCandidates()) {
        const a = store.analysis(c.id);
        const label = labels.get(norm(c.completion)) ?? (set.format === 'chat' ? (set.dir ? 'clean' : 'hack') : undefined);
        if (!a || !label) continue;
        const group = set.format === 'chat' ? `${label} (${c.code.trim() ? 'code' : 'prose'})` : label;
        const t = (tally[group] ??= { n: 0, flagged: 0, staticFlag: 0, explained: 0 });
        t.n++;
        const st = a.scores.find((s) => s.scorer === 'static')?.probability ?? 0;
        if (st >= 0.5) t.staticFlag++;
        if (a.isHack) {
          t.flagged++;
          // explained: a finding that shows why (a highlighted line or a quoted sentence), or a stated reason
          if (a.findings.some((f) => f.weight >= 0.5 || f.kind === 'flag-reason')) t.explained++;
        }
        const wrong = label === 'hack' ? !a.isHack : a.isHack || st >= 0.5;
        if (verbose && wrong) {
          const top = [...a.findings].sort((x, y) => y.weight - x.weight)[0];
          notes.push(
            `  ${label === 'hack' ? 'missed' : a.isHack ? 'FLAGGED' : 'static-high'} ${c.id} p=${a.hackProbability.toFixed(2)} ${a.scores.map((s) => `${s.scorer}=${s.probability.toFixed(2)}`).join(' ')}${top ? ` | ${top.kind} ${top.weight}: ${top.message.slice(0, 140)}` : ''}${c.code.trim() ? '' : ' | (no code)'}`,
          );
        }
      }
      store.close();
      for (const [label, t] of Object.entries(tally)) {
        const rate = (x: number) => (x / Math.max(1, t.n)).toFixed(3);
        console.log(
          `${set.name} ${label}: n=${t.n} flagged=${t.flagged} (${rate(t.flagged)}) static>=0.5=${t.staticFlag} (${rate(t.staticFlag)}) flagged-and-explained=${t.explained}/${t.flagged}`,
        );
      }
      for (const n of notes) console.log(n);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

void main();
