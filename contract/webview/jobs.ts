/**
 * The contract between the extension and a job panel's webview. Both sides import it: the host
 * (`src/jobs/jobPanel.ts`) and the webview bundle (`webview/jobs/main.ts`). Types only, so the browser
 * bundle carries nothing of Node or `vscode`.
 *
 * The webview speaks first (`webview/ready`); the host answers with `job/detail` (or `job/error`) and
 * from then on forwards the `loophole/jobEvent` events of this job and of its steps (a chain's train and
 * eval jobs) as `job/events`, in the order the server sent them. After a server restart or a resume the
 * host sends a fresh `job/detail`, which replaces everything the webview holds.
 */
import { Type } from 'typebox';
import { Check } from 'typebox/value';
import type { JobEvent, JobRecord } from '../jobs';
import type { Wire } from '../schema';
import type { JobDetail } from '../lsp';

/** The webview panel's view type (`activeWebviewPanelId` in `when` clauses). */
export const JobPanelViewType = 'loophole.jobPanel';

// ───────────────────────────── extension → webview ─────────────────────────────

export type HostToWebview =
  /** `baseline`: for a retrain chain, the base model's evaluation it is compared with, when the set has one;
   *  `counterpart`: the same retrain under the other selection policy, when there is one. */
  | { readonly type: 'job/detail'; readonly detail: JobDetail; readonly baseline?: JobRecord; readonly counterpart?: JobRecord }
  /** The job could not be read (server down, set closed, unknown id). */
  | { readonly type: 'job/error'; readonly message: string }
  | { readonly type: 'job/events'; readonly events: readonly JobEvent[] };

// ───────────────────────────── webview → extension ─────────────────────────────

export const WebviewToHost = Type.Union([
  Type.Object({ type: Type.Literal('webview/ready') }),
  Type.Object({ type: Type.Literal('job/cancel') }),
  Type.Object({ type: Type.Literal('job/resume') }),
  Type.Object({ type: Type.Literal('job/refresh') }),
  /** Puts a suggested command (a pip install line) on the clipboard. */
  Type.Object({ type: Type.Literal('job/copy'), text: Type.String() }),
  /** Reveals one of the job's artifacts; the host opens only paths the job reported. */
  Type.Object({ type: Type.Literal('job/reveal'), path: Type.String() }),
]);
export type WebviewToHost = Wire<typeof WebviewToHost>;

/** Narrows an incoming message from the webview; anything unknown is dropped. */
export function isWebviewToHost(m: unknown): m is WebviewToHost {
  return Check(WebviewToHost, m);
}
