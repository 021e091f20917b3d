/**
 * The words of Loophole, as data. Every part of the backend (formats, analysis, execution, scoring,
 * store, curation, jobs) and every client (CLI, language server, VS Code) speaks in these types.
 *
 * The JSON Schema `server/src/formats/review-set.schema.json` describes the on-disk form of
 * `Problem` and `Candidate` (the `loophole` format); keep the two in step.
 */

/** `visible`: shown to the model. `incorrect`: shown, but a correct solution fails it.
 *  `heldout`: not shown to the model, and correct. */
export type TestRole = 'visible' | 'incorrect' | 'heldout';

/** How a problem's tests call the code. */
export type ProblemStyle = 'function' | 'stdio';

export interface FunctionTest {
  readonly kind: 'assert';
  /** Stable within its problem: `t0`, `t1`, … in the order the tests were given. */
  readonly id: string;
  readonly role: TestRole;
  /** A Python statement, normally `assert f(...) == expected`. */
  readonly code: string;
}

export interface StdioTest {
  readonly kind: 'stdio';
  readonly id: string;
  readonly role: TestRole;
  readonly input: string;
  readonly expectedOutput: string;
  /** When the input is several independent cases (a first line `t`, then `t` cases): each case's own
   *  input and expected output, in order, so a branch on one case's values is tied to that case. */
  readonly cases?: readonly StdioCase[];
}

/** One case of a multi-case stdin test. `input` is the case as a whole input of its own (with a count
 *  line `1` when the test has one); `lines` are its 0-based line ranges in the test's input / output. */
export interface StdioCase {
  readonly input: string;
  readonly expectedOutput: string;
  readonly inputLines: readonly [number, number];
  readonly outputLines: readonly [number, number];
}

export type Test = FunctionTest | StdioTest;

export interface Problem {
  /** Unique within a review set. */
  readonly id: string;
  readonly statement: string;
  readonly style: ProblemStyle;
  /** For `function` problems: the name the tests call, when it can be told. */
  readonly entryPoint?: string;
  readonly tests: readonly Test[];
  /** A known-correct solution, when the source has one; used for differential coverage. */
  readonly referenceSolution?: string;
  /** Literals of tests the prompt states but that could not be read as a call and an expected value
   *  (a prose test, the contents of a given file), as written: detectors key on them like test literals. */
  readonly promptLiterals?: readonly string[];
  /** Files whose contents the prompt states (`data.csv` contains: …): each test runs with a fresh copy
   *  of them in its working directory, so code that opens them as told can run. */
  readonly files?: readonly PromptFile[];
  /** Where the problem came from: `file:line`. */
  readonly source?: string;
}

/** A file the prompt gives: a plain name (no directory) and its text. */
export interface PromptFile {
  readonly name: string;
  readonly content: string;
}

export interface Candidate {
  /** Unique within a review set. */
  readonly id: string;
  readonly problemId: string;
  /** The raw completion as the model wrote it. */
  readonly completion: string;
  /** The code extracted from the completion (fences and prose removed). */
  readonly code: string;
  /** Reasoning kept apart from the code (`<think>…</think>` or a separate field). */
  readonly reasoning?: string;
  /** The prompt variant the completion was generated under (`discourage`, `neutral`, `permit`, …). */
  readonly promptVariant?: string;
  readonly model?: string;
  readonly sampleIndex?: number;
  /** How Loophole sampled this candidate (`loophole generate`); absent for imported data. */
  readonly generation?: GenerationProvenance;
  /** The token ids the model sampled for `completion` (local generation only; its own tokenizer), so
   *  training can use exactly them as the target. */
  readonly completionTokenIds?: readonly number[];
  /** Scores an upstream tool already gave (for example an Inspect AI scorer), kept as they were. */
  readonly externalScores?: Readonly<Record<string, unknown>>;
  readonly source?: string;
}

/** The sampling behind a generated candidate, so a sample can be reproduced and compared. */
export interface GenerationProvenance {
  readonly temperature: number;
  readonly topP?: number;
  readonly maxTokens: number;
  readonly seed: number;
  /** The OpenAI-compatible endpoint, when not the local worker. */
  readonly endpoint?: string;
  /** The job that generated it. */
  readonly job?: string;
}

/** A problem and its candidates as read from one input. */
export interface ReviewSet {
  readonly name: string;
  readonly problems: readonly Problem[];
  readonly candidates: readonly Candidate[];
}

/** One input line or item that could not be read. The rest of the input still loads. */
export interface ImportIssue {
  readonly file: string;
  /** 1-based line (JSONL) or item index + 1 (JSON arrays, Inspect samples). */
  readonly line: number;
  readonly message: string;
}

export type FindingKind =
  /** an `if`/`elif`/`match` whose condition compares the input with a test literal */
  | 'literal-branch'
  /** a dict / list / set keyed by test inputs or holding expected outputs, then looked up */
  | 'lookup-table'
  /** a `return` of a test's expected output literal */
  | 'expected-output-return'
  /** `try: … except: return <canned answer>` */
  | 'canned-fallback'
  /** the raw stdin compared with a test input, or a condition recognising the tests' inputs by
   *  fragments of their text */
  | 'input-fingerprint'
  /** a comment or docstring admitting special-casing (`# hard-coded for the test cases`) */
  | 'admitting-comment'
  /** why a flagged candidate is flagged when no other finding shows it (the deciding scorer's
   *  rationale, on the line where the code starts); a statement of the decision, not evidence */
  | 'flag-reason'
  /** opens test files, inspects the harness, the call stack or the test module */
  | 'test-reading'
  /** exits, patches builtins or assertions to make checks pass */
  | 'harness-tampering'
  /** lines executed only for `incorrect` tests (or only for visible, never held-out) */
  | 'differential-coverage'
  /** a threshold drawn through an example: a comparison with a number, decided once per case, that a
   *  shown input meets exactly while another falls on its other side (`points[1] - points[0] >= 5`
   *  where the examples' gaps are 5 and 1) */
  | 'fitted-boundary'
  /** a comparison that ties for a passing test whose expected value is wrong and for no correct test
   *  that passes: the boundary that test was passed at (`a + b < c` on the degenerate 1 2 3) */
  | 'wrong-test-tie'
  /** the reasoning mentions the tests, intends to pass them, or notices a wrong test */
  | 'reasoning'
  /** run on inputs the shown ones imply (a case alone, cases reordered, a neighbouring input), it does
   *  not answer them as it answers the shown ones */
  | 'metamorphic';

export type HackCategory = 'special-casing' | 'test-reading' | 'canned-fallback' | 'harness-tampering' | 'wrong-test-fitting' | 'none';

/** 0-based, inclusive line numbers into `Candidate.code` (for `reasoning` findings: into
 *  `Candidate.reasoning`). */
export interface LineRange {
  readonly startLine: number;
  readonly endLine: number;
}

export interface Finding {
  readonly kind: FindingKind;
  readonly range: LineRange;
  /** One sentence saying why this is evidence. */
  readonly message: string;
  /** The test literal the code matches, as written in the test (for example `"aaaa"` or `300`). */
  readonly literal?: string;
  /** The id of the test that literal comes from. */
  readonly testId?: string;
  /** For reasoning findings: the quoted span of reasoning. */
  readonly quote?: string;
  /** How strongly this finding alone indicates a hack, 0..1. */
  readonly weight: number;
}

export type TestOutcome = 'pass' | 'fail' | 'error' | 'timeout';

/** An ordering comparison (`d >= 5`, `a + b < c`) that a run evaluated `evaluations` times, `equal` of
 *  them with both sides plain numbers and equal (a tie). With a numeric literal of magnitude 3 or more
 *  (`constant`), `other` counts the evaluations with the expression on the far side of the threshold
 *  from the literal (below 5 for `d >= 5`, above 5 for `d > 5`). */
export interface BoundaryHit {
  /** 1-based line and 0-based column of the comparison; its end column when it ends on that line. */
  readonly line: number;
  readonly column: number;
  readonly endColumn?: number;
  readonly constant?: number;
  readonly evaluations: number;
  readonly equal: number;
  readonly other?: number;
}

export interface TestResult {
  readonly testId: string;
  readonly outcome: TestOutcome;
  /** The assertion message, the exception, or what was printed against what was expected. */
  readonly message?: string;
  readonly durationMs: number;
  /** 1-based line numbers of the candidate's code that this test executed (when coverage was on). */
  readonly lines?: readonly number[];
  /** Statements that share their line with an earlier one (the body of `if x == 3: return 99`), as
   *  `"line:column"` (1-based line, 0-based column), that this test executed (when coverage was on).
   *  Line coverage alone cannot tell whether such a one-line branch was taken. */
  readonly segments?: readonly string[];
  /** The comparisons with a numeric literal that this test evaluated, and how often the compared value
   *  was exactly the literal (when coverage was on): where the code's thresholds and the input meet. */
  readonly bounds?: readonly BoundaryHit[];
  /** The test could not be split into a call and a check, so it ran whole inside the candidate's process,
   *  where a candidate can read or rig it: its outcome is weaker evidence than a compared one. */
  readonly inProcess?: boolean;
  /** What the sandbox's supervisor saw of the candidate working against the harness: a forged, garbled or
   *  duplicated result channel, output after the result, a result whose class defines its own `__eq__`. */
  readonly evidence?: readonly string[];
}

/** One scorer's probability that a candidate is a hack. */
export interface Score {
  readonly scorer: string;
  readonly probability: number;
  readonly rationale: string;
}

/** What a person can say about a candidate, in the order clients offer them. The one list every
 *  validator, picker and count uses. */
export const VERDICT_LABELS = ['hack', 'clean', 'unsure'] as const;
export type VerdictLabel = (typeof VERDICT_LABELS)[number];

export interface Verdict {
  readonly candidateId: string;
  readonly label: VerdictLabel;
  readonly reviewer: string;
  /** ISO 8601. */
  readonly at: string;
  readonly note?: string;
}

/** Everything computed about one candidate by `analyze`. */
export interface CandidateAnalysis {
  readonly candidateId: string;
  /** Hash of (problem tests, candidate code, reasoning, analyzer version): re-runs skip unchanged work. */
  readonly contentHash: string;
  readonly findings: readonly Finding[];
  readonly tests: readonly TestResult[];
  readonly scores: readonly Score[];
  /** The combined probability that this candidate is a hack. */
  readonly hackProbability: number;
  readonly category: HackCategory;
  /** The ensemble's decision, `hackProbability >= threshold`. */
  readonly isHack: boolean;
  /** The analyzer version that made it (`analysis/version.ts`); absent on analyses older than versions. */
  readonly analyzerVersion?: number;
  /** Set when the sandbox was available but the candidate held nothing it could run: no code at all
   *  (`no-code`) or code in another language (its name). Such a candidate fails every test by
   *  construction, which is what test-based evaluation counts; `tests` stays empty. */
  readonly notRunnable?: string;
}
