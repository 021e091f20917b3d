/**
 * The contract between the extension and the Curate & Recontextualize webview. Both sides import it:
 * the host (`src/panel/curationPanel.ts`) and the webview bundle (`webview/curation/main.ts`). Types and
 * a few constants only, so the browser bundle carries nothing of Node or `vscode`.
 *
 * The webview speaks first (`webview/ready`); the host answers with `curation/context` and sends it again
 * whenever the server or the open review set changes. The webview owns the form: each change asks for
 * counts (debounced) and a preview with a fresh `id`; the host answers each with exactly one reply of
 * the same id, and the webview keeps only the reply to its latest request, so a slow answer to an old
 * filter setting never overwrites a newer one. The host also cancels the older server request.
 */
import { Type } from 'typebox';
import { Check } from 'typebox/value';
import { CURATION_FORMATS, type CurationFormat, REASONING_FLAGS, type SelectRule } from '../curation';
import type { CurationCountsResult, CurationExportResult, CurationPreviewResult, ReviewSetInfo } from '../lsp';
import { Seed, Share, type Wire } from '../schema';

/** The webview panel's view type (`activeWebviewPanelId` in `when` clauses). */
export const CurationViewType = 'loophole.curationPanel';

/** The generation → training mappings the panel offers (each an argument of `CurationSpec.mapping`). */
export const MAPPINGS = [
  { value: 'identity', label: 'identity (train under the generation prompt)', specs: [] },
  { value: 'discourage=neutral', label: 'discourage → neutral', specs: ['discourage=neutral'] },
  { value: 'discourage=permit', label: 'discourage → permit', specs: ['discourage=permit'] },
  { value: 'neutral=permit', label: 'neutral → permit', specs: ['neutral=permit'] },
] as const;
export type MappingChoice = (typeof MAPPINGS)[number]['value'];

export const FORMATS: readonly { readonly value: CurationFormat; readonly label: string }[] = [
  { value: 'chat', label: 'chat — {"messages": […]} (OpenAI fine-tuning)' },
  { value: 'trl', label: 'trl — prompt / completion (TRL SFT)' },
  { value: 'pairs', label: 'pairs — chosen / rejected (DPO)' },
  { value: 'kto', label: 'kto — completion + label' },
];

/**
 * What the controls hold. Numbers are already parsed; the webview does not send a form whose fields
 * are out of range (it marks the field instead).
 */
export const CurationForm = Type.Object({
  select: Type.Enum(['best', 'random', 'all'] satisfies SelectRule[]),
  /** Seeds `random`. */
  seed: Seed(),
  /** Ensemble threshold: drop at or above it; null follows the ensemble's own `isHack`. */
  maxScore: Type.Union([Share(), Type.Null()]),
  /** Per-scorer maximum hack probability; a scorer left out has no limit. */
  maxScoreFor: Type.Record(Type.String(), Share()),
  dropReasoningFlags: Type.Array(Type.Enum(REASONING_FLAGS)),
  /** 0..1 */
  minVisiblePass: Share(),
  stripReasoning: Type.Boolean(),
  mapping: Type.Enum(MAPPINGS.map((m) => m.value)),
  format: Type.Enum(CURATION_FORMATS),
  /** Share of problems for validation, 0 <= split < 1. */
  split: Type.Number({ minimum: 0, exclusiveMaximum: 1 }),
  splitSeed: Seed(),
  /** The data file; relative to the review set's folder. Not blank. */
  out: Type.String({ pattern: '\\S' }),
});
export type CurationForm = Wire<typeof CurationForm>;

export const DEFAULT_FORM: CurationForm = {
  select: 'best',
  seed: 0,
  maxScore: null,
  maxScoreFor: {},
  dropReasoningFlags: [],
  minVisiblePass: 0,
  stripReasoning: false,
  // Recontextualization is what the panel is for: samples generated under the discouraging prompt are
  // trained as answers to a neutral one unless the person chooses otherwise.
  mapping: 'discourage=neutral',
  format: 'chat',
  split: 0,
  splitSeed: 0,
  out: 'curated/train.jsonl',
};

// ───────────────────────────── extension → webview ─────────────────────────────

/** Whether curation can run: the server's state and the set that is open (null: none). */
export interface ContextMessage {
  readonly type: 'curation/context';
  readonly server: 'starting' | 'running' | 'stopped';
  readonly reviewSet: ReviewSetInfo | null;
}

/** The answer to `counts` request `id`: a result, or why there is none. */
export type CountsReply =
  | { readonly type: 'counts'; readonly id: number; readonly ok: true; readonly result: CurationCountsResult }
  | { readonly type: 'counts'; readonly id: number; readonly ok: false; readonly error: string };

export type PreviewReply =
  | { readonly type: 'preview'; readonly id: number; readonly ok: true; readonly result: CurationPreviewResult }
  | { readonly type: 'preview'; readonly id: number; readonly ok: false; readonly error: string };

/**
 * The export job as a tagged union. `exists`: the server refused because `path` exists; the webview
 * asks the person and, on confirmation, sends `export` again with `force`.
 */
export type ExportState =
  | { readonly status: 'idle' }
  | { readonly status: 'running'; readonly percentage: number; readonly message: string }
  | { readonly status: 'done'; readonly result: CurationExportResult }
  | { readonly status: 'exists'; readonly path: string }
  | { readonly status: 'cancelled' }
  | { readonly status: 'error'; readonly message: string };

export interface ExportStateMessage {
  readonly type: 'export/state';
  readonly state: ExportState;
}

/** The review set's data changed (verdicts, analyses, another set): counts and preview are stale. */
export interface InvalidateMessage {
  readonly type: 'curation/invalidate';
}

export type HostToWebview = ContextMessage | CountsReply | PreviewReply | ExportStateMessage | InvalidateMessage;

// ───────────────────────────── webview → extension ─────────────────────────────

export const WebviewToHost = Type.Union([
  Type.Object({ type: Type.Literal('webview/ready') }),
  /** Counts for this form → `loophole/curationCounts`. */
  Type.Object({ type: Type.Literal('counts'), id: Type.Number(), form: CurationForm }),
  /** A few prompt pairs and rows for this form → `loophole/curationPreview`. */
  Type.Object({ type: Type.Literal('preview'), id: Type.Number(), form: CurationForm }),
  /** Write the files → `loophole/curationExport`; `force` only after the person confirmed overwriting. */
  Type.Object({ type: Type.Literal('export'), form: CurationForm, force: Type.Boolean() }),
  Type.Object({ type: Type.Literal('export/cancel') }),
  /** Open one of the last export's files (the card, a data file) in an editor. */
  Type.Object({ type: Type.Literal('openFile'), path: Type.String() }),
]);
export type WebviewToHost = Wire<typeof WebviewToHost>;

/** Narrows an incoming message from the webview; anything unknown is dropped. */
export function isWebviewToHost(m: unknown): m is WebviewToHost {
  return Check(WebviewToHost, m);
}

/** The shape and ranges of a form; the host sends nothing else to the server. */
export function isForm(f: unknown): f is CurationForm {
  return Check(CurationForm, f);
}
