import * as vscode from 'vscode';
import { CandidateScheme } from '../../contract/lsp';
import { ShownDiagnostics } from './shownDiagnostics';

/**
 * Diagnostics only for candidates shown in a tab. VS Code keeps a closed `loophole:` document alive for
 * minutes (so the server gets no didClose) and the Problems panel would keep every candidate ever
 * opened; this keeps the server's latest diagnostics per candidate and shows them while a tab shows it.
 */
export class TabDiagnostics implements vscode.Disposable {
  private readonly shown = new ShownDiagnostics<vscode.Diagnostic>();
  private readonly sub: vscode.Disposable;

  constructor(private readonly collection: () => vscode.DiagnosticCollection | undefined) {
    this.shown.setOpen(openCandidateUris());
    this.sub = vscode.window.tabGroups.onDidChangeTabs(() => {
      const c = this.collection();
      for (const [uri, diags] of this.shown.setOpen(openCandidateUris())) c?.set(vscode.Uri.parse(uri), diags);
    });
  }

  /** `middleware.handleDiagnostics`: remember what the server sent, pass on what a tab shows. */
  handle(uri: vscode.Uri, diagnostics: vscode.Diagnostic[], next: (uri: vscode.Uri, d: vscode.Diagnostic[]) => void): void {
    next(uri, uri.scheme === CandidateScheme ? this.shown.received(uri.toString(), diagnostics) : diagnostics);
  }

  dispose(): void {
    this.sub.dispose();
  }
}

function openCandidateUris(): Set<string> {
  const out = new Set<string>();
  for (const g of vscode.window.tabGroups.all) {
    for (const t of g.tabs) {
      if (t.input instanceof vscode.TabInputText && t.input.uri.scheme === CandidateScheme) out.add(t.input.uri.toString());
    }
  }
  return out;
}
