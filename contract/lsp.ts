/**
 * The contract between the Loophole language server and its clients (the VS Code extension, the review
 * panel through the extension, any other LSP client). Imported by both sides; it holds plain types and
 * message signatures only: no Node, no `vscode`, no store or pipeline imports, so that the browser-side
 * webview bundle can import its types too.
 *
 * Messages are grouped by direction. Every custom request is named `loophole/<noun>` and takes one params
 * object (`ParameterStructures.byName`). A request whose params are missing or ill-typed is answered with
 * `ResponseError(ErrorCodes.InvalidParams, <what is wrong>)`; a request that needs an open review set
 * while none is open is answered with `ResponseError(ErrorCodes.InvalidRequest, 'no review set is open')`.
 *
 * Changes to this file are additive only: new optional fields, new messages. Never rename or remove.
 */
import { Type } from 'typebox';
import { NotificationType, ParameterStructures, RequestType } from 'vscode-languageserver-protocol';
import type {
  Candidate,
  Finding,
  FindingKind,
  HackCategory,
  ImportIssue,
  Problem,
  ProblemStyle,
  Score,
  Test,
  TestOutcome,
  TestResult,
  Verdict,
  VerdictLabel,
} from './domain';
import { VERDICT_LABELS } from './domain';
import { Name, Seed, Share, type Wire } from './schema';
import type { IsolationMode } from './settings';
import type { HumanAgreement, ScorerAgreement } from './agreement';
import { CURATION_FORMATS, type ChatMessage, type CurationStats, REASONING_FLAGS, type SelectRule, type UnsurePolicy } from './curation';
import {
  type ArtifactRecord,
  JOB_STATES,
  type JobEvent,
  type JobRecord,
  type LogLine,
  type MetricPoint,
  PRESET_NAMES,
  type ProbeDevice,
} from './jobs';

// ───────────────────────────── Schema building blocks ─────────────────────────────

/** The largest page the server sends; larger `limit`s are cut to it. */
export const MaxPageSize = 1000;

/** A page's start and size. `limit` above `MaxPageSize` is accepted and cut to it. */
const paging = {
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER })),
  /** Page size; the server caps it at `MaxPageSize`. Default 100. */
  limit: Type.Optional(Type.Integer({ minimum: 0, maximum: MaxPageSize * 1000 })),
};
/** The sort and filters shared by the candidate query and the review order. */
const candidateFilter = {
  /** `likely`: learned from the verdicts (see `CandidateSort`). */
  sort: Type.Optional(Type.Enum(['score', 'id', 'problem', 'likely'] satisfies CandidateSort[])),
  order: Type.Optional(Type.Enum(['asc', 'desc'])),
  /** `none`: only unreviewed candidates. */
  verdict: Type.Optional(Type.Enum([...VERDICT_LABELS, 'none'])),
  promptVariant: Type.Optional(Name()),
  model: Type.Optional(Name()),
  /** Inclusive bounds on the hack probability (of `scorer` when given, else of the ensemble). */
  minScore: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
  maxScore: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
  scorer: Type.Optional(Name()),
  isHack: Type.Optional(Type.Boolean()),
};

/** How the client should sort, filter and page candidates. Mirrors the store's query. */
export const CandidateQuery = Type.Object({
  /** Only this problem's candidates. */
  problemId: Type.Optional(Name()),
  ...paging,
  ...candidateFilter,
});
export type CandidateQuery = Wire<typeof CandidateQuery>;

/** A progress token the client created (`WorkDoneProgressParams`). */
const workDone = { workDoneToken: Type.Optional(Type.Union([Type.String(), Type.Number()])) };

// ───────────────────────────── Settings (initializationOptions + didChangeConfiguration) ─────────────

/**
 * What the client tells the server about how to work. Sent whole as `initializationOptions` and again,
 * under the key `loophole`, in `workspace/didChangeConfiguration` (`{ settings: { loophole: … } }`).
 * Every field is optional; the server keeps its defaults for what is absent.
 */
export interface LoopholeSettings {
  readonly sandbox?: {
    /** Per test run, milliseconds. */
    readonly timeoutMs?: number;
    /** Address-space cap per worker, MiB. */
    readonly memoryMb?: number;
    /** Captured stdout+stderr cap per run, bytes. */
    readonly outputBytes?: number;
    /** `bwrap` (Debian bubblewrap), `process` (plain child process with rlimits; `none` is the same),
     *  or `auto` (bwrap when it works here). */
    readonly isolation?: IsolationMode;
  };
  readonly python?: { readonly path?: string };
  readonly scoring?: {
    /** `hackProbability >= threshold` makes a candidate a hack. */
    readonly threshold?: number;
  };
  /** The local monitors (optional tiers; absent: the hierarchy as without them). */
  readonly judge?: {
    /** The LLM judge on a model the worker loads (HF folder, `.gguf`, `builtin:smollm2-135m`). */
    readonly localModel?: string;
    /** `auto`, `cpu`, `cuda:N`. */
    readonly device?: string;
  };
  /** An activation probe file (`loophole probe train`), between the classifier and the judge. */
  readonly probe?: { readonly file?: string };
  /** The name written into verdicts; the server falls back to the OS user name. */
  readonly reviewer?: string;
  /**
   * The client's opt-in to executing candidate code (in the sandbox): only `true` lets
   * `loophole/analyze` run tests and jobs run. Absent or false, the server never executes candidate
   * code: analysis runs the static and reasoning stages only and says so (`executed: false`). Generic
   * LSP clients have no notion of trust, so they are safe unless their user sets this.
   */
  readonly workspaceTrusted?: boolean;
  /**
   * A review set to open right after `initialized` (same as sending `loophole/open`). Absent: the first
   * workspace folder (or `rootUri`), when it holds a review set (`.loophole/loophole.db` or a
   * `*.loophole.jsonl`). A set that cannot be opened is reported with `window/showMessage`.
   */
  readonly openPath?: string;
  /** Look for a review set in the workspace folder when `openPath` is absent; default true. */
  readonly openWorkspace?: boolean;
  /**
   * Analyse a set opened at start that was never analysed (with work-done progress; static only unless
   * `workspaceTrusted` is true); default true.
   */
  readonly analyseOnOpen?: boolean;
  /**
   * Code lenses and code actions carry the client's own `Commands` instead of the server's
   * `ServerCommands` (a client that registers richer commands of its own, as the VS Code extension
   * does); default false.
   */
  readonly clientCommands?: boolean;
}

// ───────────────────────────── Documents ─────────────────────────────

/**
 * Candidate documents: `loophole:/<problem>/<candidate>/<problem title> · <candidate>.py` (see
 * `candidateUris.ts`). The document's text is `Candidate.code`, so a finding's 0-based `range` lines are
 * the document's lines.
 */
export { CandidateScheme, candidateUri, candidateUriPath, parseCandidateUri } from './candidateUris';

/**
 * The commands the server's code lenses and code actions carry; the client registers them. Each takes
 * the candidate id as its single argument.
 */
export const Commands = {
  verdictHack: 'loophole.verdict.hack',
  verdictClean: 'loophole.verdict.clean',
  verdictUnsure: 'loophole.verdict.unsure',
  /** Opens the problem's review panel (all candidates side by side). Argument: the problem id. */
  openProblemPanel: 'loophole.openProblemPanel',
  /** Shows the candidate's verdict history. Argument: the candidate id. */
  showVerdictHistory: 'loophole.verdict.history',
} as const;

/**
 * The commands the server runs itself (`workspace/executeCommand`, listed in `executeCommandProvider`),
 * so that any LSP client can give verdicts from code lenses and code actions.
 */
export const ServerCommands = {
  /**
   * Arguments: candidate id, `hack` | `clean` | `unsure`, optional note. Returns a `VerdictResult`.
   * Wherever a command takes a candidate id, the URI of its document works too.
   */
  verdict: 'loophole.server.verdict',
  /** Arguments: candidate id. Retracts the reviewer's verdict. Returns a `VerdictResult`. */
  undo: 'loophole.server.undo',
  /** Arguments: candidate id, note, optional label (default: the current one, else `unsure`). */
  note: 'loophole.server.note',
  /**
   * Arguments: optional candidate id to start from. Returns the next (previous) unreviewed candidate in
   * the review order as a `ServerStep` (or null) and asks the client to show it (`window/showDocument`).
   */
  next: 'loophole.server.next',
  previous: 'loophole.server.previous',
  /** Arguments: a `ReviewOrder` (or none: the default). Sets the order next/previous and symbols walk. */
  order: 'loophole.server.order',
  /** Arguments: candidate id. Shows the score, evidence and verdict history (`window/showMessage`). */
  show: 'loophole.server.show',
  /** No arguments. Analyses the open set (static only unless execution was opted in). */
  analyse: 'loophole.server.analyse',
} as const;

/** What `loophole.server.next` / `previous` answer. */
export interface ServerStep {
  readonly candidateId: string;
  readonly problemId: string;
  /** The candidate's `file://` URI (see `ServerCommands`). */
  readonly uri: string;
}

/**
 * The order reviewers walk: the tree's sort, direction, grouping and filters. Server state, so next and
 * previous mean the same in every client; `loophole/nextUnreviewed` with an `order` sets it too.
 */
export const ReviewOrder = Type.Object({
  /** `problem`: problems in the tree's order (most suspicious first when sorting by score), their
   *  candidates in `sort` order within; `flat`: candidates in `sort` order. Default `problem`. */
  grouping: Type.Optional(Type.Enum(['problem', 'flat'])),
  ...candidateFilter,
});
export type ReviewOrder = Wire<typeof ReviewOrder>;

/** Sets the review order; answers the order now in force, in words too. */
export const ReviewOrderRequest = new RequestType<ReviewOrder, { order: ReviewOrder; description: string }, void>(
  'loophole/reviewOrder',
  ParameterStructures.byName,
);

/** `Diagnostic.source` of every diagnostic the server publishes. `Diagnostic.code` is the `FindingKind`. */
export const DiagnosticSource = 'loophole';

// ───────────────────────────── Shared shapes ─────────────────────────────

/** One page of a paged query. `total` counts every match of the filter, not only this page. */
export interface Page<T> {
  readonly total: number;
  readonly offset: number;
  readonly items: readonly T[];
  /** Only on candidate pages sorted `likely`: which order that is now (see `LikelyRanking`). */
  readonly ranking?: LikelyRanking;
}

/** A candidate as a row of the tree: no code, nothing large. Same fields as the store's summary. */
export interface CandidateSummary {
  readonly id: string;
  readonly problemId: string;
  readonly sampleIndex?: number;
  readonly promptVariant?: string;
  readonly model?: string;
  /** Absent until analysed. */
  readonly hackProbability?: number;
  readonly category?: HackCategory;
  readonly isHack?: boolean;
  /** The current verdict (after retractions); absent when unreviewed. */
  readonly verdict?: VerdictLabel;
  readonly findingCount: number;
  /** Tests passed / failed (fail, error or timeout) when executed. */
  readonly passed?: number;
  readonly failed?: number;
  /** Analysed by an older analyzer version: the next analyze run redoes it. */
  readonly stale?: boolean;
}

export interface ProblemSummary {
  readonly id: string;
  readonly style: ProblemStyle;
  /** A readable title from the statement's first line; the id when the statement has none. */
  readonly title: string;
  readonly candidates: number;
  /** Candidates the ensemble calls a hack. */
  readonly hacks: number;
  /** Candidates with a current verdict. */
  readonly reviewed: number;
  /** The highest hack probability among its candidates. */
  readonly maxScore?: number;
}

/** One entry of a candidate's append-only verdict history. A `retract` entry undoes the one before. */
export interface VerdictRecord extends Verdict {
  readonly seq: number;
  readonly action: 'set' | 'retract';
}

/** A problem's test together with this candidate's outcome on it (absent when not executed). */
export interface TestView {
  readonly test: Test;
  readonly result?: TestResult;
}

/** A line span of the candidate's document to highlight, one per code finding (0-based, inclusive). */
export interface Highlight {
  readonly startLine: number;
  readonly endLine: number;
  readonly kind: FindingKind;
  /** 0..1; the client may shade by it. */
  readonly weight: number;
  /** The finding's sentence, for the decoration's hover. */
  readonly message: string;
}

// ───────────────────────────── Client → server requests ─────────────────────────────

/** The input formats a review set is read from (`auto`: told apart by content). */
export const INPUT_FORMATS = ['loophole', 'mbpp', 'chat', 'inspect', 'stdio'] as const;
export type InputFormat = (typeof INPUT_FORMATS)[number];

export const OpenParams = Type.Object({
  /** A data file (JSONL, Inspect log, chat JSONL…) or a folder holding one. The store is created
   *  beside it: `<folder>/.loophole/loophole.db`. */
  path: Name(),
  /** The input format; default `auto`. */
  format: Type.Optional(Type.Enum(['auto', ...INPUT_FORMATS])),
});
export type OpenParams = Wire<typeof OpenParams>;

/** What is open now. Also the answer to `loophole/state` while a set is open. */
export interface ReviewSetInfo {
  /** The path that was opened, as given. */
  readonly path: string;
  readonly dbPath: string;
  readonly problems: number;
  readonly candidates: number;
  /** Candidates with an analysis. */
  readonly analysed: number;
  readonly hacks: number;
  readonly reviewed: number;
}

export interface OpenResult extends ReviewSetInfo {
  /** Lines of the input that could not be read; the rest loaded. */
  readonly issues: readonly ImportIssue[];
}

/** Opens (imports, or re-opens) a review set; replaces any set open before. */
export const OpenRequest = new RequestType<OpenParams, OpenResult, void>('loophole/open', ParameterStructures.byName);

/** The set open now, or null. Lets a restarted client find where it was. */
export const StateRequest = new RequestType<Record<string, never>, ReviewSetInfo | null, void>(
  'loophole/state',
  ParameterStructures.byName,
);

export const AnalyzeParams = Type.Object({
  /** Re-analyse candidates whose content hash is unchanged too. */
  force: Type.Optional(Type.Boolean()),
  /** Run the tests in the sandbox (default true). Ignored (treated as false) in an untrusted workspace. */
  execute: Type.Optional(Type.Boolean()),
  /** Record per-test line coverage (default true when executing). */
  coverage: Type.Optional(Type.Boolean()),
  ...workDone,
});
export type AnalyzeParams = Wire<typeof AnalyzeParams>;

export interface AnalyzeResult {
  readonly analysed: number;
  readonly skipped: number;
  readonly hacks: number;
  readonly errors: number;
  /** Whether candidate code was executed (false in an untrusted workspace or when `execute: false`). */
  readonly executed: boolean;
  /** The sandbox used: `bwrap`, `namespaces`, `none` (unisolated, chosen), or `static-only`. */
  readonly isolation?: string;
  /** Set when execution was asked for but no sandbox works here, so analysis ran static-only: why. */
  readonly staticOnlyReason?: string;
  /** Problems worth a word (a problem without tests). */
  readonly warnings?: readonly string[];
}

/**
 * Analyses the open set. Progress: pass a `workDoneToken` and the server reports `begin` (cancellable),
 * `report` (message `done/total`, percentage), `end` on that token; without a token the server creates
 * one (`window/workDoneProgress/create`). Cancelling the request (`$/cancelRequest`) or the progress
 * (`window/workDoneProgress/cancel`) stops the analysis at the next candidate; the request then fails
 * with `LSPErrorCodes.RequestCancelled` and the store holds every analysis finished before it.
 * `loophole/didChange {all: true}` follows when anything was stored.
 */
export const AnalyzeRequest = new RequestType<AnalyzeParams, AnalyzeResult, void>('loophole/analyze', ParameterStructures.byName);

export const ProblemsParams = Type.Object({ ...paging, sort: Type.Optional(Type.Enum(['id', 'hacks', 'score'])) });
export type ProblemsParams = Wire<typeof ProblemsParams>;

export const ProblemsRequest = new RequestType<ProblemsParams, Page<ProblemSummary>, void>('loophole/problems', ParameterStructures.byName);

/** Paged, sorted and filtered in SQL: a 100,000-candidate set is never sent whole. */
export const CandidatesRequest = new RequestType<CandidateQuery, Page<CandidateSummary>, void>(
  'loophole/candidates',
  ParameterStructures.byName,
);

export const CandidateParams = Type.Object({ id: Name() });
export type CandidateParams = Wire<typeof CandidateParams>;

/** Everything needed to show one candidate. */
export interface CandidateDetail {
  /** Code, raw completion, reasoning, prompt variant, model, sample index. */
  readonly candidate: Candidate;
  /** The candidate's document URI (see `candidateUri`). */
  readonly uri: string;
  readonly problem: {
    readonly id: string;
    readonly statement: string;
    readonly style: ProblemStyle;
    readonly entryPoint?: string;
  };
  /** Every test of the problem in its given order, with its role and this candidate's outcome. */
  readonly tests: readonly TestView[];
  /** Whether an analysis is stored; the fields below are empty/absent when not. */
  readonly analysed: boolean;
  /** All findings; `range` lines index `candidate.code`, except `reasoning` findings (into `reasoning`). */
  readonly findings: readonly Finding[];
  /** The code findings' ranges, for the client to draw as decorations. */
  readonly highlights: readonly Highlight[];
  /** Each scorer's score (the ensemble's own entry included). */
  readonly scores: readonly Score[];
  readonly hackProbability?: number;
  readonly category?: HackCategory;
  readonly isHack?: boolean;
  readonly verdict: Verdict | null;
  /** Oldest first. */
  readonly history: readonly VerdictRecord[];
  /** Whether this candidate is its problem's pick. */
  readonly picked: boolean;
}

export const CandidateRequest = new RequestType<CandidateParams, CandidateDetail, void>('loophole/candidate', ParameterStructures.byName);

export const DocumentParams = Type.Object({ uri: Name() });
export type DocumentParams = Wire<typeof DocumentParams>;

export interface DocumentResult {
  readonly uri: string;
  readonly candidateId: string;
  /** `Candidate.code`. */
  readonly text: string;
}

/** The text behind a `loophole:` URI, for the client's TextDocumentContentProvider. */
export const DocumentRequest = new RequestType<DocumentParams, DocumentResult, void>('loophole/document', ParameterStructures.byName);

export const SetVerdictParams = Type.Object({
  candidateId: Name(),
  label: Type.Enum(VERDICT_LABELS),
  /** Free text; an empty note is the same as none. */
  note: Type.Optional(Type.String()),
});
export type SetVerdictParams = Wire<typeof SetVerdictParams>;

export interface VerdictResult {
  readonly candidateId: string;
  /** The current verdict after the change (null when every verdict was retracted). */
  readonly verdict: Verdict | null;
  readonly history: readonly VerdictRecord[];
}

/** Answered only once the verdict is durably in SQLite. `loophole/didChange` follows. */
export const SetVerdictRequest = new RequestType<SetVerdictParams, VerdictResult, void>('loophole/setVerdict', ParameterStructures.byName);

export const UndoVerdictParams = Type.Object({ candidateId: Name() });
export type UndoVerdictParams = Wire<typeof UndoVerdictParams>;

/** Appends a retraction of the reviewer's latest verdict (history is never rewritten). */
export const UndoVerdictRequest = new RequestType<UndoVerdictParams, VerdictResult, void>(
  'loophole/undoVerdict',
  ParameterStructures.byName,
);

export const NextUnreviewedParams = Type.Object({
  /** Start after (or before) this candidate in `order`; absent: from the start (or the end). */
  from: Type.Optional(Name()),
  direction: Type.Enum(['next', 'previous']),
  /** The order to walk, which also becomes the server's review order; absent: the server's review
   *  order (default `score` descending, grouped by problem, like the tree). */
  order: Type.Optional(ReviewOrder),
});
export type NextUnreviewedParams = Wire<typeof NextUnreviewedParams>;

/** The id of the next (previous) candidate without a current verdict, or null when there is none. */
export const NextUnreviewedRequest = new RequestType<NextUnreviewedParams, string | null, void>(
  'loophole/nextUnreviewed',
  ParameterStructures.byName,
);

export const ProblemPanelParams = Type.Object({ problemId: Name() });
export type ProblemPanelParams = Wire<typeof ProblemPanelParams>;

/** One column of the review panel. */
export interface PanelCandidate {
  readonly id: string;
  readonly uri: string;
  readonly code: string;
  readonly reasoning?: string;
  readonly sampleIndex?: number;
  readonly promptVariant?: string;
  readonly model?: string;
  readonly analysed: boolean;
  readonly hackProbability?: number;
  readonly category?: HackCategory;
  readonly isHack?: boolean;
  readonly findings: readonly Finding[];
  /** Each scorer's score. */
  readonly scores: readonly Score[];
  /** testId → outcome: one row of the test matrix (missing keys: not executed). */
  readonly outcomes: Readonly<Record<string, TestOutcome>>;
  readonly verdict: Verdict | null;
}

export interface ProblemPanel {
  readonly problem: Problem;
  /** Every candidate of the problem, by sample index then id. */
  readonly candidates: readonly PanelCandidate[];
  /** The union of scorer names across candidates, sorted: the score table's columns. */
  readonly scorers: readonly string[];
  /** The candidate picked as best for curation, or null. */
  readonly pick: string | null;
}

export const ProblemPanelRequest = new RequestType<ProblemPanelParams, ProblemPanel, void>(
  'loophole/problemPanel',
  ParameterStructures.byName,
);

export const PickParams = Type.Object({
  problemId: Name(),
  /** null clears the pick. */
  candidateId: Type.Union([Name(), Type.Null()]),
});
export type PickParams = Wire<typeof PickParams>;

export interface PickResult {
  readonly problemId: string;
  readonly pick: string | null;
}

export const PickRequest = new RequestType<PickParams, PickResult, void>('loophole/pick', ParameterStructures.byName);

// ───────────────────────────── Server → client notifications ─────────────────────────────

export interface DidChangeParams {
  /** The candidates whose analysis, verdict or pick changed. */
  readonly candidateIds?: readonly string[];
  /** Everything may have changed (a set was opened or analysed): refetch views. */
  readonly all?: boolean;
}

/** Sent after anything the views show changed; the client refreshes what it shows of those ids. */
export const DidChangeNotification = new NotificationType<DidChangeParams>('loophole/didChange', ParameterStructures.byName);

// ───────────────────────────── Curation (the Curate & Recontextualize panel) ─────────────────────────────
//
// Curation over the open review set: live counts for a filter setting, a preview of the prompts before
// and after recontextualization, and the export. The three share `CurationSpec`, the same knobs as
// `loophole curate` / `recontextualize` / `export` on the command line, so a panel setting and a CLI
// invocation give the same rows. Bad knobs (an unknown variant, a bad mapping, nothing left to export,
// an output that exists) are answered with `ResponseError(InvalidParams, <message a person can act on>)`;
// an existing output also carries `data: CurationOutputExists` so a client can offer to overwrite.

/** The selection rule and filters; every field optional, defaults as in `DEFAULT_CURATION_OPTIONS`. */
export const CurationSpec = Type.Object({
  /** `best` (the reviewer's pick, else the strongest clean candidate), `random` (seeded) or `all`. */
  select: Type.Optional(Type.Enum(['best', 'random', 'all'] satisfies SelectRule[])),
  /** Seeds `random` (and, for export, the split unless `splitSeed` is given). Integer >= 0. */
  seed: Type.Optional(Seed()),
  /** Drop candidates whose ensemble hack probability is >= this, 0..1. Absent: the ensemble's `isHack`. */
  maxScore: Type.Optional(Share()),
  /** Per-scorer limits: drop a candidate when that scorer's probability is >= its limit (0..1). */
  maxScoreFor: Type.Optional(Type.Record(Type.String(), Share())),
  /** Drop candidates whose reasoning carries any of these flags. */
  dropReasoningFlags: Type.Optional(Type.Array(Type.Enum(REASONING_FLAGS))),
  /** Minimum share of visible tests passed, 0..1. */
  minVisiblePass: Type.Optional(Share()),
  /** Remove `<think>…</think>` from exported completions. */
  stripReasoning: Type.Optional(Type.Boolean()),
  unsure: Type.Optional(Type.Enum(['scorers', 'exclude', 'include'] satisfies UnsurePolicy[])),
  /**
   * Generation → training prompt variant: `FROM=TO` maps one generation variant, a bare `TO` maps every
   * one; empty or absent is the identity. Names must be built-in variants or defined in the review set's
   * `.loophole/variants.json`. Counts ignore it.
   */
  mapping: Type.Optional(Type.Array(Type.String())),
});
export type CurationSpec = Wire<typeof CurationSpec>;

export const CurationCountsParams = Type.Object({ curation: Type.Optional(CurationSpec) });
export type CurationCountsParams = Wire<typeof CurationCountsParams>;

export interface CurationCountsResult {
  /** Per filter stage before / removed / after with hack rates; selected and skipped problems. */
  readonly stats: CurationStats;
  /** The scorer names found in the set's analyses, sorted: what per-scorer limits can name. */
  readonly scorers: readonly string[];
  /** The prompt variants known here (built-in plus the review set's variants file), sorted. */
  readonly variants: readonly string[];
}

/**
 * Counts for one filter setting over the whole open set. Cancellable (`$/cancelRequest`): a client
 * asking again as its filters change cancels the previous request, which then fails with
 * `LSPErrorCodes.RequestCancelled`.
 */
export const CurationCountsRequest = new RequestType<CurationCountsParams, CurationCountsResult, void>(
  'loophole/curationCounts',
  ParameterStructures.byName,
);

/** The most preview samples and rows one request returns. */
export const CurationPreviewMax = 50;

export const CurationPreviewParams = Type.Object({
  curation: Type.Optional(CurationSpec),
  /** The training-data format of `rows`; default `chat`. */
  format: Type.Optional(Type.Enum(CURATION_FORMATS)),
  /** How many samples and rows to return, 0..50; default 3. */
  limit: Type.Optional(Type.Integer({ minimum: 0, maximum: CurationPreviewMax })),
});
export type CurationPreviewParams = Wire<typeof CurationPreviewParams>;

export interface CurationPreviewSample {
  readonly candidateId: string;
  readonly problemId: string;
  readonly generationVariant: string;
  readonly trainingVariant: string;
  /** The prompt as the model saw it at generation. */
  readonly generated: readonly CurationChatMessage[];
  /** The prompt the completion is trained with. */
  readonly trained: readonly CurationChatMessage[];
  /** The completion as exported (with `<think>` removed when `stripReasoning`); the same under both prompts. */
  readonly completion: string;
}

export interface CurationPreviewResult {
  /** Selected samples per `generation → training` pair. */
  readonly counts: Readonly<Record<string, number>>;
  readonly selected: number;
  readonly samples: readonly CurationPreviewSample[];
  /** The first rows the export would write in `format`, as JSON objects. */
  readonly rows: readonly unknown[];
}

export const CurationPreviewRequest = new RequestType<CurationPreviewParams, CurationPreviewResult, void>(
  'loophole/curationPreview',
  ParameterStructures.byName,
);

export type CurationChatMessage = ChatMessage;

export const CurationExportParams = Type.Object({
  curation: Type.Optional(CurationSpec),
  format: Type.Enum(CURATION_FORMATS),
  /** The data file; relative paths are resolved against the review set's folder. Its folder is created. */
  out: Name(),
  /** Share of problems for validation, 0 <= split < 1; default 0 (no split). */
  split: Type.Optional(Type.Number({ minimum: 0, exclusiveMaximum: 1 })),
  /** Seeds the split; default `curation.seed`. */
  splitSeed: Type.Optional(Seed()),
  /** Overwrite existing files; without it an existing file refuses the export and nothing is written. */
  force: Type.Optional(Type.Boolean()),
  ...workDone,
});
export type CurationExportParams = Wire<typeof CurationExportParams>;

export interface CurationExportResult {
  /** Absolute paths of what was written. */
  readonly files: { readonly train: string; readonly validation?: string; readonly provenance: string; readonly card: string };
  readonly rows: { readonly train: number; readonly validation: number };
  readonly problems: { readonly train: number; readonly validation: number };
  readonly stats: CurationStats;
  /** Rows per `generation → training` pair. */
  readonly recontextualized: Readonly<Record<string, number>>;
}

/** `ResponseError.data` when the export refused an existing file (resend with `force: true`). */
export interface CurationOutputExists {
  readonly kind: 'outputExists';
  readonly path: string;
}

/**
 * Writes the curated, recontextualized training set with its provenance sidecar and dataset card.
 * All files appear together or not at all. Progress as for `loophole/analyze` (title
 * `Loophole: exporting`, `report` with a percentage of candidates read); cancelling the request or the
 * progress stops it with `LSPErrorCodes.RequestCancelled` and leaves nothing behind.
 */
export const CurationExportRequest = new RequestType<CurationExportParams, CurationExportResult, void>(
  'loophole/curationExport',
  ParameterStructures.byName,
);

// ───────────────────────────── Jobs (the Jobs view, the job panel, one-click retrain) ─────────────────────────────
//
// Long GPU or network work over the open review set: generate, train, eval, and the chain
// curate → recontextualize → export → fine-tune → evaluate (`retrain`). Jobs live in the set's store
// (`server/src/jobs/`), so their state, logs and metrics outlive the server; a job the previous server
// left running is listed `interrupted` and can be resumed from its last checkpoint. The queue belongs to
// the open set: it is created when a set opens and closed (running jobs stop at their next step, saving)
// when another set opens or the server shuts down.
//
// A job is a request (`loophole/jobSubmit`), a stream (`loophole/jobEvent` notifications) and an abort
// (`loophole/jobCancel`). Every job request needs an open set (InvalidRequest otherwise); an unknown job
// id is InvalidParams. Submitting is refused with InvalidRequest in an untrusted workspace
// (`LoopholeSettings.workspaceTrusted === false`): training loads model code and evaluation runs samples.

/** What `loophole/jobSubmit` can start. `retrain` is the whole chain, as one `chain` job with a `train`
 *  and an `eval` child. */
export const JOB_SUBMIT_KINDS = ['train', 'eval', 'generate', 'retrain'] as const;
export type JobSubmitKind = (typeof JOB_SUBMIT_KINDS)[number];

export const JobsParams = Type.Object({
  /** Only jobs in this state. */
  state: Type.Optional(Type.Enum(JOB_STATES)),
  /** Only the steps of this chain job; absent: every job, chains and their steps alike. */
  parent: Type.Optional(Name()),
  /** Newest first; default and cap 500. */
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
});
export type JobsParams = Wire<typeof JobsParams>;

export interface JobsResult {
  /** Newest first. `status` is the tagged union of `JobStatus`; `progress` the latest reported. */
  readonly jobs: readonly JobRecord[];
}

export const JobsRequest = new RequestType<JobsParams, JobsResult, void>('loophole/jobs', ParameterStructures.byName);

export const JobParams = Type.Object({
  id: Name(),
  /** How many of the newest log lines to send; default 200, cap 5000. */
  logTail: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
});
export type JobParams = Wire<typeof JobParams>;

export interface JobDetail {
  /** The job's record: config, status, progress, device, attempt. */
  readonly job: JobRecord;
  /** The newest `logTail` lines, oldest first. */
  readonly logs: readonly LogLine[];
  /** Lines of the job's log in all (so a client can say how many it does not show). */
  readonly logTotal: number;
  /**
   * One point per optimizer step, by step. For a `chain` job: the points of its (newest) `train` step,
   * so that one panel follows the whole chain's curves; `metricsJob` names the job they belong to.
   */
  readonly metrics: readonly MetricPoint[];
  readonly metricsJob?: string;
  readonly artifacts: readonly ArtifactRecord[];
  /** A chain's steps, oldest first; empty for other jobs. */
  readonly children: readonly JobRecord[];
}

export const JobRequest = new RequestType<JobParams, JobDetail, void>('loophole/job', ParameterStructures.byName);

export const JobSubmitParams = Type.Object({
  kind: Type.Enum(JOB_SUBMIT_KINDS),
  /** Defaults for everything `config` does not set (default `conservative`; see `server/src/jobs/presets.ts`). */
  preset: Type.Optional(Type.Enum(PRESET_NAMES)),
  /** `auto` (the first free GPU, else the CPU), `cpu`, `cuda`, `cuda:N`; overrides `config.device`. */
  device: Type.Optional(Type.String({ pattern: '^(auto|cpu|cuda(:\\d+)?)$', description: 'auto, cpu, cuda or cuda:N' })),
  /** Shown in the Jobs view; a default names the kind and the model. */
  name: Type.Optional(Name()),
  /**
   * The job's settings, as the CLI takes them. Relative paths (`model`, `data`, `validation`) are
   * resolved against the review set's folder.
   * - `train`: `{ model, data, validation?, …TrainSettings }` (see `TrainConfig`)
   * - `generate` / `eval`: `GenerateJobConfig` / `EvalJobConfig` (`model`, `variants`, `n`, …)
   * - `retrain`: `ChainSettings` (`model`, `mapping`, `train`, `eval`, `curation`, …)
   */
  config: Type.Record(Type.String(), Type.Unknown()),
});
export type JobSubmitParams = Wire<typeof JobSubmitParams>;

/** Answers with the new job's record (`queued`, or already `running`); follow it with `loophole/jobEvent`. */
export const JobSubmitRequest = new RequestType<JobSubmitParams, JobRecord, void>('loophole/jobSubmit', ParameterStructures.byName);

export const JobIdParams = Type.Object({ id: Name() });
export type JobIdParams = Wire<typeof JobIdParams>;

/**
 * Asks a job to stop: a queued job ends `cancelled` at once; a running one at its next step (a train
 * job saves a checkpoint first, so it can be resumed). A chain cancels its running step. Answers with
 * the record as it is right after the request (often still `running`); the end arrives as an event.
 */
export const JobCancelRequest = new RequestType<JobIdParams, JobRecord, void>('loophole/jobCancel', ParameterStructures.byName);

/** Re-queues an interrupted, failed or cancelled job to go on from its checkpoint (or its samples so
 *  far). Any other state is InvalidParams with the reason. */
export const JobResumeRequest = new RequestType<JobIdParams, JobRecord, void>('loophole/jobResume', ParameterStructures.byName);

export interface DevicesResult {
  /** `cpu` always, then `cuda:N` for each GPU the worker sees. */
  readonly devices: readonly ProbeDevice[];
  /** The worker's packages and their versions (null: not installed). */
  readonly packages: Readonly<Record<string, string | null>>;
  /** Packages the worker cannot train or generate without; empty when it can. */
  readonly missing: readonly string[];
  /** Set when something is missing or the worker could not start: what to do, e.g. the pip command. */
  readonly suggestion?: string;
  /** Why the probe failed (the interpreter is missing, …); `devices` is then `cpu` alone. */
  readonly error?: string;
}

/** Probes the worker's devices (once per server; later calls answer from that probe). Needs no open set. */
export const DevicesRequest = new RequestType<Record<string, never>, DevicesResult, void>('loophole/devices', ParameterStructures.byName);

export interface JobEventParams {
  /**
   * Queue events in the order they happened, batched: status changes are sent at once (after anything
   * still buffered); progress, metrics, log lines and artifacts are gathered for a moment and sent
   * together. Progress keeps only the latest per job; log lines are capped per batch (`logsDropped`
   * counts the rest, which `loophole/job` still returns).
   */
  readonly events: readonly JobEvent[];
  readonly logsDropped?: number;
}

export const JobEventNotification = new NotificationType<JobEventParams>('loophole/jobEvent', ParameterStructures.byName);

// ───────────────────────────── Agreement and the learned review order ─────────────────────────────
//
// How far the machine agrees with the reviewers (and the reviewers with each other), and a review order
// learned from their verdicts. Both are read-only views over the open set's analyses and verdict
// history; both follow verdicts as they are set (a client refetches on `loophole/didChange`).

/** Most disagreements listed per scorer and between reviewers; the counts say how many there are. */
export const MaxAgreementItems = 100;

export const AgreementParams = Type.Object({
  /** Only this scorer (`ensemble`, `static`, `execution`, `classifier`, `judge`, …); absent: every
   *  scorer found in the analyses, `ensemble` first. A name no analysis carries is InvalidParams. */
  scorer: Type.Optional(Name()),
});
export type AgreementParams = Wire<typeof AgreementParams>;

/** One scorer's decisions (probability ≥ `threshold`) against the current human verdicts. */
export interface ScorerAgreementView extends ScorerAgreement {
  /** `disagreements` holds the first `MaxAgreementItems`, the most confidently wrong first; this
   *  counts them all. */
  readonly disagreementCount: number;
}

export interface HumanAgreementView extends HumanAgreement {
  /** `disagreements` holds the first `MaxAgreementItems` by candidate id; this counts them all. */
  readonly disagreementCount: number;
}

/** Which order `sort: 'likely'` gives now, in words the client can show as is. */
export interface LikelyRanking {
  /** `reviewers`: a logistic layer fitted on the verdicts; `ensemble`: the ensemble's probability,
   *  until there are `needed` decided (hack or clean) verdicts with both labels among them. */
  readonly source: 'reviewers' | 'ensemble';
  /** Decided verdicts on analysed candidates (what a fit would learn from). */
  readonly decided: number;
  readonly hacks: number;
  readonly needed: number;
  /** E.g. "learned from 14 verdicts (6 hack, 8 clean)" or "by the ensemble's probability until …". */
  readonly message: string;
}

export interface AgreementResult {
  /** The ensemble's decision threshold (`LoopholeSettings.scoring.threshold`, default 0.5), used for
   *  every scorer. */
  readonly threshold: number;
  /** Candidates with a verdict in force, by label. */
  readonly verdicts: { readonly hack: number; readonly clean: number; readonly unsure: number };
  /** `ensemble` (the combined decision) first, then each scorer by name. Empty when no analysis. */
  readonly scorers: readonly ScorerAgreementView[];
  /** Reviewer against reviewer: pairwise Cohen's kappa over the candidates both labelled (`unsure`
   *  counts as a third label here) and the candidates they label differently, to adjudicate. */
  readonly humans: HumanAgreementView;
  readonly ranking: LikelyRanking;
}

/**
 * Precision, recall, F1, Cohen's kappa and the confusion matrix (hack is positive) of each scorer
 * against the reviewers' current verdicts; `unsure` verdicts are left out and counted. Needs an open set.
 */
export const AgreementRequest = new RequestType<AgreementParams, AgreementResult, void>('loophole/agreement', ParameterStructures.byName);

/**
 * `CandidateQuery.sort` and `NextUnreviewedParams.order.sort` also take `likely`: likely hacks and
 * uncertain candidates first (`rerank` mode `mixed`: the mean of the reviewer model's probability and
 * its uncertainty), learned from the verdicts. The model is refitted when verdicts changed since the
 * last fit; until there are enough verdicts it ranks by the ensemble's probability the same way. Every
 * analysed candidate is ranked, reviewed or not (so rows do not jump away when reviewed); candidates
 * without an analysis come last, by id. A `loophole/candidates` page sorted this way carries `ranking`.
 */
export type CandidateSort = 'score' | 'id' | 'problem' | 'likely';
