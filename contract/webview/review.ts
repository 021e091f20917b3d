/**
 * The contract between the extension and the review panel webview. Both sides import it: the extension
 * host (`src/panel/`) and the webview bundle (`webview/main.ts`). Types only (plus two constants), so
 * that the browser bundle carries nothing of Node or `vscode`.
 *
 * The webview speaks first: it posts `webview/ready` once its script has run, and the host answers with
 * `panel/state`. Requests from the webview carry an `id`; the host answers each with exactly one
 * `reply` holding the same id. Every message is a read-only interface in one discriminated union per
 * direction; anything else is dropped by the receiver.
 */
import type { AgreementResult, ProblemPanel } from '../lsp';
import { Type } from 'typebox';
import { Check } from 'typebox/value';
import { VERDICT_LABELS } from '../domain';
import type { Wire } from '../schema';

/** The webview panel's view type (`activeWebviewPanelId` in `when` clauses). */
export const PanelViewType = 'loophole.problemPanel';

// ───────────────────────────── extension → webview ─────────────────────────────

/**
 * What the panel shows, as a tagged union: never an endless spinner, always one of these.
 * `loading` keeps the last data (if any) so a refresh does not blank the panel.
 */
export type PanelState =
  | { readonly status: 'loading'; readonly problemId: string; readonly data?: ProblemPanel }
  | { readonly status: 'ready'; readonly problemId: string; readonly data: ProblemPanel }
  | { readonly status: 'error'; readonly problemId: string; readonly message: string };

export interface StateMessage {
  readonly type: 'panel/state';
  readonly state: PanelState;
}

export interface ReplyMessage {
  readonly type: 'reply';
  /** The `id` of the request this answers. */
  readonly id: number;
  readonly ok: boolean;
  /** When `ok` is false: what went wrong, in words for the reviewer. */
  readonly error?: string;
}

/**
 * The set-wide Agreement section (scorers against the reviewers, reviewer against reviewer), fetched
 * beside the problem and again on every `loophole/didChange`, since any verdict anywhere changes it.
 * `loading` keeps the last data, like `PanelState`.
 */
export type AgreementState =
  | { readonly status: 'loading'; readonly data?: AgreementResult }
  | { readonly status: 'ready'; readonly data: AgreementResult }
  | { readonly status: 'error'; readonly message: string };

export interface AgreementMessage {
  readonly type: 'panel/agreement';
  readonly state: AgreementState;
}

export type HostToWebview = StateMessage | ReplyMessage | AgreementMessage;

// ───────────────────────────── webview → extension ─────────────────────────────

/** The webview's script has run and its listener is installed: the host may post now. */
const ReadyMessage = Type.Object({ type: Type.Literal('webview/ready') });

/** Make this candidate the problem's pick for curation (null clears it) → `loophole/pick`. */
const PickMessage = Type.Object({ type: Type.Literal('pick'), id: Type.Number(), candidateId: Type.Union([Type.String(), Type.Null()]) });

/** Record a verdict on one candidate → `loophole/setVerdict`. */
const VerdictMessage = Type.Object({
  type: Type.Literal('verdict'),
  id: Type.Number(),
  candidateId: Type.String(),
  label: Type.Enum(VERDICT_LABELS),
});

/** Open the candidate in an editor (with its highlights and diagnostics). */
const OpenCandidateMessage = Type.Object({ type: Type.Literal('openCandidate'), candidateId: Type.String() });

/** Fetch the panel's data again. */
const RefreshMessage = Type.Object({ type: Type.Literal('refresh') });

export const WebviewToHost = Type.Union([ReadyMessage, PickMessage, VerdictMessage, OpenCandidateMessage, RefreshMessage]);
export type WebviewToHost = Wire<typeof WebviewToHost>;

/** Narrows an incoming message from the webview; anything unknown is dropped. */
export function isWebviewToHost(m: unknown): m is WebviewToHost {
  return Check(WebviewToHost, m);
}
