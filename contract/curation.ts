/**
 * The curation contract: what goes in (one item per candidate, grouped by problem), the knobs a person
 * turns (selection rule, filters, reasoning), and the counts that come out. Everything here is plain
 * data so that the CLI, the language server (for the VS Code panel) and the tests share it unchanged.
 */
import type { Candidate, CandidateAnalysis, Problem, Verdict } from './domain';

/** One candidate with everything curation needs to decide about it. */
export interface CurationItem {
  readonly problem: Problem;
  readonly candidate: Candidate;
  /** Absent when the candidate was never analysed; such a candidate is only kept on a `clean` verdict. */
  readonly analysis?: CandidateAnalysis;
  /** The reviewer's current verdict, if any. */
  readonly verdict?: Verdict;
  /** True when a reviewer picked this candidate as the best of its problem (`Store.pick`). */
  readonly pick?: boolean;
}

/**
 * Where curation reads from. Items of one problem must be adjacent (the store adapter yields them
 * problem by problem); curation holds one problem's items at a time, so memory stays flat.
 * `problemIds` is needed up front for a seeded train/validation split by problem.
 */
export interface CurationSource {
  problemIds(): readonly string[];
  items(): Iterable<CurationItem>;
}

/** `reward`: the misspecified-reward setting (see `select.ts`): no filter applies, hacks included. */
/** One message of a chat prompt, as rendered from a prompt variant and as exported. */
export interface ChatMessage {
  readonly role: 'system' | 'user' | 'assistant';
  readonly content: string;
}

export type SelectRule = 'best' | 'random' | 'all' | 'reward';

/** The three kinds of reasoning flag a `reasoning` finding can carry. */
export type ReasoningFlag = 'mention' | 'intent' | 'notice';
export const REASONING_FLAGS: readonly ReasoningFlag[] = ['mention', 'intent', 'notice'];

/** What an `unsure` verdict does: follow the scorers (default), or decide like `hack` / `clean`. */
export type UnsurePolicy = 'scorers' | 'exclude' | 'include';

/** The training-data formats curation exports. */
export const CURATION_FORMATS = ['chat', 'trl', 'pairs', 'kto'] as const;
export type CurationFormat = (typeof CURATION_FORMATS)[number];

export interface CurationOptions {
  readonly select: SelectRule;
  /** Seeds the `random` rule and the split. Same seed, same input → same output. */
  readonly seed: number;
  /** Drop candidates whose ensemble probability is at or above this. Absent: use `analysis.isHack`. */
  readonly maxScore?: number;
  /** Per-scorer limits over `CandidateAnalysis.scores`: drop when that scorer's probability >= limit. */
  readonly maxScoreFor: Readonly<Record<string, number>>;
  /** Drop candidates whose reasoning carries any of these flags. */
  readonly dropReasoningFlags: readonly ReasoningFlag[];
  /** Minimum share of `visible` tests passed, 0..1. Unknown (not executed) counts as 0 when this is > 0. */
  readonly minVisiblePass: number;
  /** Remove the `<think>…</think>` part from each exported completion. */
  readonly stripReasoning: boolean;
  readonly unsure: UnsurePolicy;
}

export const DEFAULT_CURATION_OPTIONS: CurationOptions = {
  select: 'best',
  seed: 0,
  maxScoreFor: {},
  dropReasoningFlags: [],
  minVisiblePass: 0,
  stripReasoning: false,
  unsure: 'scorers',
};

/** The stages a candidate passes through, in order. The first one that rejects it counts the removal. */
export type FilterStage = 'verdict' | 'unanalysed' | 'ensemble' | 'scorer' | 'reasoning' | 'visible-pass';
export const FILTER_STAGES: readonly FilterStage[] = ['verdict', 'unanalysed', 'ensemble', 'scorer', 'reasoning', 'visible-pass'];

/**
 * Counts for one filter stage. Hack rates use the reference label: the human verdict where one exists
 * (`hack` / `clean`), otherwise the ensemble's `isHack`; candidates with neither are `unknown` and
 * left out of the rate's denominator.
 */
export interface StageStats {
  readonly stage: FilterStage;
  /** What this stage does, in words (for the card and the panel). */
  readonly description: string;
  readonly before: number;
  readonly removed: number;
  readonly after: number;
  readonly hackRateBefore: number | null;
  readonly hackRateAfter: number | null;
}

export interface CurationStats {
  readonly problems: number;
  readonly candidates: number;
  /** Candidates the reference label calls a hack, before any filter. */
  readonly hacks: number;
  readonly stages: readonly StageStats[];
  /** Candidates left after every filter (the pool the selection rule chooses from). */
  readonly eligible: number;
  readonly selected: number;
  /** Problems with no candidate left after the filters: skipped, never filled with a hack. */
  readonly problemsSkipped: number;
  readonly problemsSelected: number;
  /** Hack rate (reference label) of the selected rows. */
  readonly selectedHackRate: number | null;
  /** Problems where the reviewer's pick was honoured by the `best` rule. */
  readonly picksHonoured: number;
  /** Problems whose pick was filtered out (a `hack` verdict, a reasoning flag, …); `best` chose instead. */
  readonly picksFilteredOut: number;
  /** Where the hack/clean labels above come from: a person's verdict, the scorers' ensemble, or neither. */
  readonly labelSources?: { readonly verdict: number; readonly scorers: number; readonly unknown: number };
  /** The same for the selected candidates. */
  readonly selectedLabelSources?: { readonly verdict: number; readonly scorers: number; readonly unknown: number };
  /** Expected hack rate of the selection from the scores: the mean ensemble probability of the selected
   *  candidates no person reviewed (a reviewed one counts as its verdict says); null when none is scored. */
  readonly expectedResidualHackRate?: number | null;
  /** From the reviewed candidates the ensemble called clean: how many a person called a hack. */
  readonly reviewedMisses?: { readonly hacks: number; readonly reviewed: number };
}
