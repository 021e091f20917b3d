import path from 'node:path';
import { defineCommand, UsageError, type CliCommand, type CliContext } from '../command';
import { num, oneOf, parse } from '../args';
import { DEFAULT_CURATION_OPTIONS, REASONING_FLAGS, type CurationOptions, type CurationStats, type ReasoningFlag } from '../../curation';
import { curationCounts, type OpenedStore, openAnalysedStore } from '../../service';

/** The curation flags `curate`, `recontextualize` and `export` share. */
export const CURATION_FLAGS = {
  select: { type: 'string' },
  seed: { type: 'string' },
  'max-score': { type: 'string' },
  'max-score-for': { type: 'string', multiple: true },
  'drop-reasoning-flags': { type: 'string' },
  'min-visible-pass': { type: 'string' },
  'strip-reasoning': { type: 'boolean' },
  unsure: { type: 'string' },
} as const;

export const CURATION_USAGE = `Selection and filters:
  --select RULE                 best|random|all non-hacks per problem (default best: the reviewer's pick,
                                else most visible then held-out tests passed, lowest hack probability,
                                lowest sample index)
  --seed N                      seed for --select random and the split (default 0)
  --max-score P                 drop candidates whose ensemble hack probability is >= P
                                (default: the ensemble's own decision)
  --max-score-for SCORER=P      drop candidates whose SCORER probability is >= P (repeatable)
  --drop-reasoning-flags LIST   drop candidates whose reasoning mentions the tests (mention), intends to
                                pass them (intent) or notices a wrong test (notice); comma-separated
  --min-visible-pass R          drop candidates passing less than R (0..1) of the visible tests
  --strip-reasoning             remove the <think>…</think> part of each completion
  --unsure POLICY               what an \`unsure\` verdict does: scorers|exclude|include (default scorers)
A \`hack\` verdict always excludes; a \`clean\` verdict (or a reviewer's pick) lifts the score filters.
`;

interface CurationFlagValues {
  select?: string;
  seed?: string;
  'max-score'?: string;
  'max-score-for'?: string[];
  'drop-reasoning-flags'?: string;
  'min-visible-pass'?: string;
  'strip-reasoning'?: boolean;
  unsure?: string;
}

export function curationOptionsFrom(v: CurationFlagValues): CurationOptions {
  const seed = num(v.seed, '--seed', 0, 2 ** 32 - 1) ?? DEFAULT_CURATION_OPTIONS.seed;
  if (!Number.isInteger(seed)) throw new UsageError(`--seed expects an integer, got '${v.seed}'`);
  const maxScoreFor: Record<string, number> = {};
  for (const spec of v['max-score-for'] ?? []) {
    const m = /^([^=]+)=(.+)$/.exec(spec);
    if (!m) throw new UsageError(`--max-score-for expects SCORER=P, got '${spec}'`);
    maxScoreFor[m[1]!.trim()] = num(m[2]!.trim(), `--max-score-for ${m[1]}`, 0, 1)!;
  }
  const flags: ReasoningFlag[] = [];
  if (v['drop-reasoning-flags'] !== undefined) {
    for (const f of v['drop-reasoning-flags']
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)) {
      if (f === 'all') flags.push(...REASONING_FLAGS);
      else flags.push(oneOf(f, '--drop-reasoning-flags', REASONING_FLAGS)!);
    }
  }
  const maxScore = num(v['max-score'], '--max-score', 0, 1);
  return {
    select: oneOf(v.select, '--select', ['best', 'random', 'all'] as const) ?? DEFAULT_CURATION_OPTIONS.select,
    seed,
    ...(maxScore !== undefined ? { maxScore } : {}),
    maxScoreFor,
    dropReasoningFlags: [...new Set(flags)],
    minVisiblePass: num(v['min-visible-pass'], '--min-visible-pass', 0, 1) ?? 0,
    stripReasoning: v['strip-reasoning'] === true,
    unsure: oneOf(v.unsure, '--unsure', ['scorers', 'exclude', 'include'] as const) ?? DEFAULT_CURATION_OPTIONS.unsure,
  };
}

/** Opens the analysed store beside the review set `curate`, `recontextualize` and `export` name. */
export function openCurationSet(arg: string | undefined, ctx: CliContext): OpenedStore {
  if (arg === undefined) throw new UsageError('expects one review set (file or folder); see --help');
  return openAnalysedStore(path.resolve(ctx.cwd, arg), { label: arg });
}

const pct = (r: number | null): string => (r === null ? 'n/a' : `${(r * 100).toFixed(1)}%`);

export function formatStats(s: CurationStats): string {
  const lines = [
    `${s.problems} problems, ${s.candidates} candidates, ${s.hacks} hacks (${pct(s.stages[0]?.hackRateBefore ?? null)})`,
    '',
    'filter         before  removed    after  hack rate before → after',
  ];
  for (const st of s.stages) {
    lines.push(
      `${st.stage.padEnd(13)} ${String(st.before).padStart(7)} ${String(st.removed).padStart(8)} ${String(st.after).padStart(8)}  ${pct(st.hackRateBefore)} → ${pct(st.hackRateAfter)}   (${st.description})`,
    );
  }
  lines.push(
    '',
    `selected ${s.selected} candidates from ${s.problemsSelected} problems (hack rate ${pct(s.selectedHackRate)} by Loophole's labels` +
      `${s.expectedResidualHackRate !== undefined && s.expectedResidualHackRate !== null ? `; expected residual ${pct(s.expectedResidualHackRate)} from the scores` : ''}); ` +
      `${s.problemsSkipped} problems skipped with no clean candidate`,
  );
  if (s.selectedLabelSources) {
    const l = s.selectedLabelSources;
    lines.push(`labels of the selected: ${l.verdict} from a person's verdict, ${l.scorers} from the scorers, ${l.unknown} from neither`);
  }
  if (s.picksHonoured || s.picksFilteredOut) lines.push(`reviewer picks: ${s.picksHonoured} honoured, ${s.picksFilteredOut} filtered out`);
  return lines.join('\n') + '\n';
}

export const curateCommand: CliCommand = defineCommand({
  name: 'curate',
  summary: 'choose the clean best-of-n samples per problem and count what each filter removes',
  usage: `Usage: loophole curate <review-set> [options]

Applies the verdicts, the score filters and the quality filters to every candidate of an analysed
review set, selects per problem, and prints how many candidates each filter removed with the hack rate
before and after it. Writes nothing; \`loophole export\` writes the training files with the same options.

${CURATION_USAGE}
Output:
  --json                        print the counts as JSON
`,
  async run(args, ctx) {
    const { values, positionals } = parse(args, { ...CURATION_FLAGS, json: { type: 'boolean' } });
    if (positionals.length > 1) throw new UsageError('expects one review set (file or folder); see --help');
    const opts = curationOptionsFrom(values);
    const set = openCurationSet(positionals[0], ctx);
    const { store } = set;
    try {
      const bar = ctx.progress('curate', store.candidateCount());
      const { stats } = await curationCounts(set, opts, { signal: ctx.signal, onProgress: (n) => bar.update(n) });
      bar.done(`${stats.selected} selected`);
      ctx.stdout.write(values.json ? JSON.stringify({ options: opts, stats }, null, 2) + '\n' : formatStats(stats));
      if (stats.candidates > 0 && stats.hacks === stats.candidates) {
        ctx.stderr.write(`loophole curate: every candidate is a hack: nothing can be selected\n`);
        return 2;
      }
      return 0;
    } finally {
      store.close();
    }
  },
});
