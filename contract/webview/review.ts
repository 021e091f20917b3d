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
import { VERDICT_LABELS, type VerdictLabel } from '../domain';

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
export interface ReadyMessage {
  readonly type: 'webview/ready';
}

/** Make this candidate the problem's pick for curation (null clears it) → `loophole/pick`. */
export interface PickMessage {
  readonly type: 'pick';
  readonly id: number;
  readonly candidateId: string | null;
}

/** Record a verdict on one candidate → `loophole/setVerdict`. */
export interface VerdictMessage {
  readonly type: 'verdict';
  readonly id: number;
  readonly candidateId: string;
  readonly label: VerdictLabel;
}

/** Open the candidate in an editor (with its highlights and diagnostics). */
export interface OpenCandidateMessage {
  readonly type: 'openCandidate';
  readonly candidateId: string;
}

/** Fetch the panel's data again. */
export interface RefreshMessage {
  readonly type: 'refresh';
}

export type WebviewToHost = ReadyMessage | PickMessage | VerdictMessage | OpenCandidateMessage | RefreshMessage;

/** Narrows an incoming message from the webview; anything unknown is dropped. */
export function isWebviewToHost(m: unknown): m is WebviewToHost {
  if (typeof m !== 'object' || m === null) return false;
  const t = (m as { type?: unknown }).type;
  const o = m as Record<string, unknown>;
  switch (t) {
    case 'webview/ready':
    case 'refresh':
      return true;
    case 'pick':
      return typeof o.id === 'number' && (typeof o.candidateId === 'string' || o.candidateId === null);
    case 'verdict':
      return typeof o.id === 'number' && typeof o.candidateId === 'string' && (VERDICT_LABELS as readonly unknown[]).includes(o.label);
    case 'openCandidate':
      return typeof o.candidateId === 'string';
    default:
      return false;
  }
}
