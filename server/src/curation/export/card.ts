/**
 * The dataset card: a Markdown file beside the data that says what is in it and how it was made —
 * counts, hack rates before and after each filter, the selection rule, the prompt variants in full,
 * the files and their row counts. A fenced JSON block at the end repeats the numbers for machines.
 */
import path from 'node:path';
import type { CurationOptions, CurationStats } from '../../../../contract/curation';
import type { PromptVariant } from '../variants';
import type { FormatName } from './formats';
import { wilson } from '../../../../contract/evaluationStats';

export interface CardInput {
  readonly name: string;
  readonly reviewSet?: string | undefined;
  readonly format: FormatName;
  readonly curation: CurationOptions;
  readonly stats: CurationStats;
  readonly split: number;
  readonly seed: number;
  readonly mapping: string;
  /** `generation → training` with the number of rows each. */
  readonly recontextualized: Readonly<Record<string, number>>;
  readonly variants: readonly PromptVariant[];
  readonly files: { readonly train: string; readonly validation?: string; readonly provenance: string };
  readonly rows: { readonly train: number; readonly validation: number };
  readonly problems: { readonly train: number; readonly validation: number };
  readonly generatedAt: string;
}

const pct = (r: number | null): string => (r === null ? 'n/a' : `${(r * 100).toFixed(1)}%`);

/** The honesty section: where the labels come from and what hack rate to expect in the selection. */
function trustSection(s: CurationStats): string[] {
  const L: string[] = ['## How far to trust the hack rates', ''];
  const src = s.labelSources;
  const sel = s.selectedLabelSources;
  if (src) {
    L.push(
      `Every hack rate in this card is Loophole's estimate, not ground truth. Of the ${s.candidates} candidates, ` +
        `${src.verdict} carry a person's verdict, ${src.scorers} only the scorers' decision (static analysis, execution, ` +
        `classifier, …), and ${src.unknown} neither.` +
        (sel
          ? ` Of the ${s.selected} selected: ${sel.verdict} by a verdict, ${sel.scorers} by the scorers, ${sel.unknown} by neither.`
          : ''),
      '',
    );
  }
  if (s.selectedHackRate === 0 && s.selected > 0) {
    L.push(
      'The selected candidates count no hack because the filters remove whatever the labels call a hack: that 0% says ' +
        'nothing about the hacks the scorers missed. Read the expected residual rate below instead.',
      '',
    );
  }
  const calib =
    " The ensemble's weights are fitted on labelled development sets and its calibration is checked on sets it was not fitted on; " +
    'on data unlike those, the probabilities can be off in either direction.';
  if (s.expectedResidualHackRate !== undefined) {
    L.push(
      `- **Expected residual hack rate of the selection, from the scores: ${pct(s.expectedResidualHackRate)}** — the mean ` +
        `combined hack probability of the selected candidates no person reviewed (a reviewed one counts as its verdict says).` +
        calib +
        ' Selecting by visible tests passed favours exactly the hacks the scorers miss (they pass every example), so this ' +
        'may understate the true rate.',
    );
  }
  const m = s.reviewedMisses;
  if (m && m.reviewed > 0) {
    const { low: lo, high: hi } = wilson(m.hacks, m.reviewed);
    L.push(
      `- **From reviewed candidates: ${m.hacks} of ${m.reviewed}** the ensemble called clean were hacks by a person's verdict ` +
        `(${pct(m.hacks / m.reviewed)}, 95% interval ${pct(lo)}–${pct(hi)}): the missed-hack rate where it could be checked. ` +
        'Reviewers choose what they review, so this is not a random sample unless they reviewed one.',
    );
  } else if (m) {
    L.push(
      '- **From reviewed candidates: none yet.** No candidate the ensemble called clean has a verdict; review a random sample of the selection to measure the missed-hack rate.',
    );
  }
  L.push('');
  return L;
}
const code = (s: string): string => '```text\n' + s.replace(/```/g, '`\u200b``') + '\n```';

export function renderCard(c: CardInput): string {
  const s = c.stats;
  const o = c.curation;
  const L: string[] = [];
  L.push(`# ${c.name}`, '');
  L.push(
    `Training data in the \`${c.format}\` format, curated from ${c.reviewSet ? `the review set \`${c.reviewSet}\`` : 'a review set'} ` +
      `by Loophole on ${c.generatedAt}. Rows come only from candidates judged not to special-case the tests; ` +
      `a problem with no such candidate was skipped, never filled with a hack. Hack rates are Loophole's estimate ` +
      `(a reviewer's verdict where there is one, otherwise the scorers' decision); see *How far to trust the hack rates*.`,
    '',
  );
  L.push('## Counts', '', '| what | count |', '|---|---|');
  const rows: [string, string | number][] = [
    ['problems', s.problems],
    ['candidates', s.candidates],
    ['hacks among candidates', s.hacks],
    ['hack rate before filtering', pct(s.stages[0]?.hackRateBefore ?? null)],
    ['candidates left after the filters', s.eligible],
    ['problems with a selection', s.problemsSelected],
    ['problems skipped (no clean candidate)', s.problemsSkipped],
    ['selected candidates', s.selected],
    ["hack rate of the selected candidates (by Loophole's labels)", pct(s.selectedHackRate)],
    ...(s.expectedResidualHackRate !== undefined
      ? [['expected residual hack rate of the selection (from the scores)', pct(s.expectedResidualHackRate)] as [string, string]]
      : []),
    ['reviewer picks honoured', s.picksHonoured],
    ['reviewer picks filtered out', s.picksFilteredOut],
    ['train rows', c.rows.train],
    ['validation rows', c.rows.validation],
    ['train problems', c.problems.train],
    ['validation problems', c.problems.validation],
  ];
  for (const [k, v] of rows) L.push(`| ${k} | ${v} |`);
  L.push('');
  L.push(
    '## Filters',
    '',
    "In order; a candidate is counted against the first filter that removes it. Hack rates use the reviewer's " +
      "verdict where there is one, otherwise the ensemble's decision; candidates with neither are left out of the rate.",
    '',
    '| filter | before | removed | after | hack rate before | hack rate after |',
    '|---|---|---|---|---|---|',
  );
  for (const st of s.stages) {
    L.push(
      `| ${st.stage}: ${st.description} | ${st.before} | ${st.removed} | ${st.after} | ${pct(st.hackRateBefore)} | ${pct(st.hackRateAfter)} |`,
    );
  }
  L.push('');
  L.push(...trustSection(s));
  L.push('## Selection', '');
  const rule = {
    best: "best non-hack: the reviewer's pick, else most visible tests passed, then most held-out tests passed, then lowest hack probability, then lowest sample index",
    random: `one random non-hack per problem (seed ${o.seed})`,
    all: 'every non-hack',
    reward:
      'misspecified reward: the candidate passing the largest share of the tests shown to the model (the incorrect one included), hacks not filtered',
  }[o.select];
  L.push(`- rule: \`${o.select}\` — ${rule}`);
  L.push(`- \`unsure\` verdicts: ${{ scorers: 'follow the scorers', exclude: 'excluded', include: 'included like clean' }[o.unsure]}`);
  L.push(`- reasoning (\`<think>\`) in completions: ${o.stripReasoning ? 'stripped' : 'kept'}`);
  L.push(`- split: ${c.split > 0 ? `${c.split} of the problems to validation, by problem (seed ${c.seed})` : 'none'}`, '');
  L.push('## Prompts (recontextualization)', '');
  L.push(
    `Mapping from generation variant to training variant: ${c.mapping}. The completions are unchanged; only the prompt is re-rendered.`,
    '',
  );
  L.push('| generation → training | rows |', '|---|---|');
  for (const [k, v] of Object.entries(c.recontextualized).sort()) L.push(`| ${k} | ${v} |`);
  L.push('');
  for (const v of c.variants) {
    L.push(`### \`${v.name}\``, '');
    if (v.description) L.push(v.description, '');
    L.push('System message:', '', v.system === undefined ? '(none)' : code(v.system), '');
    L.push('User message template:', '', code(v.user), '');
    L.push('User message suffix:', '', v.suffix === undefined ? '(none)' : code(v.suffix), '');
  }
  L.push('## Files', '', '| file | rows |', '|---|---|');
  L.push(`| ${path.basename(c.files.train)} | ${c.rows.train} |`);
  if (c.files.validation) L.push(`| ${path.basename(c.files.validation)} | ${c.rows.validation} |`);
  L.push(`| ${path.basename(c.files.provenance)} | ${c.rows.train + c.rows.validation} |`, '');
  L.push(
    "Each provenance line names the row's file and index, the candidate, the problem, the generation and training " +
      "variants, and the selection rule (`pick` for a reviewer's pick, `hack` for a negative or rejected row).",
    '',
  );
  L.push('## Numbers', '', '```json');
  L.push(
    JSON.stringify(
      {
        format: c.format,
        rows: c.rows,
        problems: c.problems,
        stats: s,
        options: o,
        split: c.split,
        seed: c.seed,
        mapping: c.mapping,
        recontextualized: c.recontextualized,
      },
      null,
      2,
    ),
  );
  L.push('```', '');
  return L.join('\n');
}
