import * as vscode from 'vscode';
import { CandidateRequest, CandidateScheme, DocumentRequest } from '../../server/src/lsp/protocol';
import type { Session } from '../client/session';

/** `loophole:` URI (as VS Code prints it) → candidate id, learnt from every document served. */
const knownUris = new Map<string, string>();

/**
 * The candidate's document URI as the server names it (its tab title carries the problem): `uri` when
 * the caller has it from the server already, else asked for.
 */
export async function uriOf(session: Session, candidateId: string, uri?: string): Promise<vscode.Uri> {
  const parsed = vscode.Uri.parse(uri ?? (await session.request(CandidateRequest, { id: candidateId })).uri);
  knownUris.set(parsed.toString(), candidateId);
  return parsed;
}

export function knownCandidateId(uri: vscode.Uri): string | undefined {
  return knownUris.get(uri.toString());
}

/**
 * Serves the read-only text of candidate documents (`Candidate.code`) from `loophole/document`.
 * Documents of this scheme are read-only by construction; VS Code gives them the `python` language
 * from the `.py` in the path. A document that was served once keeps its last text when a later fetch
 * fails (a server restarting, a set being re-opened), so an open editor never flips to an error text
 * and back, which would also move its decorations.
 */
export class CandidateDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.emitter.event;
  private readonly lastText = new Map<string, string>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly session: Session) {
    this.disposables.push(
      this.emitter,
      vscode.workspace.registerTextDocumentContentProvider(CandidateScheme, this),
      // A re-opened or re-imported set may have new code behind the same URI.
      session.onDidChange((p) => {
        if (!p.all) return;
        for (const doc of vscode.workspace.textDocuments) if (doc.uri.scheme === CandidateScheme) this.emitter.fire(doc.uri);
      }),
      vscode.workspace.onDidCloseTextDocument((doc) => this.lastText.delete(doc.uri.toString())),
    );
  }

  async provideTextDocumentContent(uri: vscode.Uri, token: vscode.CancellationToken): Promise<string> {
    try {
      const r = await this.session.request(DocumentRequest, { uri: uri.toString() }, token);
      knownUris.set(uri.toString(), r.candidateId);
      this.lastText.set(uri.toString(), r.text);
      return r.text;
    } catch (err) {
      this.session.log.warn(`loophole/document ${uri.toString()}: ${err instanceof Error ? err.message : String(err)}`);
      return (
        this.lastText.get(uri.toString()) ?? `# This candidate could not be loaded: ${err instanceof Error ? err.message : String(err)}\n`
      );
    }
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

/** A column candidates are not opened in (the statement view beside the code), while there is one. */
let reservedColumn: () => vscode.ViewColumn | undefined = () => undefined;

export function reserveColumn(column: () => vscode.ViewColumn | undefined): void {
  reservedColumn = column;
}

/**
 * Opens a candidate read-only as Python, in the preview editor unless `pinned`: in the active group,
 * unless that group holds the statement view, where the code would cover it; then in the first.
 */
export async function showCandidate(
  session: Session,
  candidateId: string,
  opts: { uri?: string; pinned?: boolean; preserveFocus?: boolean } = {},
): Promise<vscode.TextEditor> {
  const uri = await uriOf(session, candidateId, opts.uri);
  let doc = await vscode.workspace.openTextDocument(uri);
  if (doc.languageId !== 'python') doc = await vscode.languages.setTextDocumentLanguage(doc, 'python');
  const reserved = reservedColumn();
  const active = vscode.window.tabGroups.activeTabGroup.viewColumn;
  const viewColumn =
    reserved !== undefined && active === reserved
      ? reserved === vscode.ViewColumn.One
        ? vscode.ViewColumn.Two
        : vscode.ViewColumn.One
      : undefined;
  return vscode.window.showTextDocument(doc, {
    preview: !opts.pinned,
    preserveFocus: opts.preserveFocus ?? false,
    ...(viewColumn ? { viewColumn } : {}),
  });
}
