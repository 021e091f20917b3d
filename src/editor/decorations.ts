import * as vscode from 'vscode';
import type { CandidateDetail, Highlight } from '../../contract/lsp';
import { CandidateScheme } from '../../contract/lsp';
import { WeakWeight } from '../../contract/wording';
import type { CurrentCandidate } from '../review/current';
import { candidateIdOfUri } from '../review/current';

/**
 * Paints the special-cased lines (`CandidateDetail.highlights`) of every visible candidate editor:
 * a background, a gutter icon and an overview-ruler mark. The evidence on hover comes from the server
 * (`textDocument/hover` and the diagnostics), so it is not repeated here.
 */
export class SpecialCaseDecorations implements vscode.Disposable {
  private readonly type: vscode.TextEditorDecorationType;
  /** Weak evidence (weight below `WeakWeight`): a dotted underline and a ruler mark, no alarm icon. */
  private readonly weak: vscode.TextEditorDecorationType;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    extensionUri: vscode.Uri,
    private readonly current: CurrentCandidate,
  ) {
    this.type = vscode.window.createTextEditorDecorationType({
      isWholeLine: true,
      backgroundColor: new vscode.ThemeColor('loophole.specialCasedBackground'),
      overviewRulerColor: new vscode.ThemeColor('loophole.specialCasedRuler'),
      overviewRulerLane: vscode.OverviewRulerLane.Right,
      gutterIconPath: vscode.Uri.joinPath(extensionUri, 'media', 'special-cased.svg'),
      gutterIconSize: 'contain',
    });
    this.weak = vscode.window.createTextEditorDecorationType({
      isWholeLine: true,
      borderStyle: 'dotted',
      borderWidth: '0 0 1px 0',
      borderColor: new vscode.ThemeColor('editorInfo.foreground'),
      overviewRulerColor: new vscode.ThemeColor('editorInfo.foreground'),
      overviewRulerLane: vscode.OverviewRulerLane.Right,
    });
    this.disposables.push(
      this.type,
      this.weak,
      current.onDidChange((d) => this.paint(d)),
      vscode.window.onDidChangeVisibleTextEditors(() => this.paint(this.current.detail)),
      // New text behind the same URI: decorations ride along with edits, so paint them afresh.
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document.uri.scheme === CandidateScheme) this.paint(this.current.detail);
      }),
    );
  }

  private paint(detail: CandidateDetail | undefined): void {
    for (const editor of vscode.window.visibleTextEditors) {
      if (editor.document.uri.scheme !== CandidateScheme) continue;
      const id = candidateIdOfUri(editor.document.uri);
      if (!detail || id !== detail.candidate.id) continue;
      const strong = detail.highlights.filter((h) => h.weight >= WeakWeight);
      // A line with strong evidence is drawn as such; weak marks go only where nothing stronger is.
      const weak = detail.highlights.filter(
        (h) => h.weight < WeakWeight && !strong.some((s) => s.startLine <= h.endLine && h.startLine <= s.endLine),
      );
      editor.setDecorations(
        this.type,
        strong.map((h) => toDecoration(editor.document, h)),
      );
      editor.setDecorations(
        this.weak,
        weak.map((h) => toDecoration(editor.document, h)),
      );
    }
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

function toDecoration(doc: vscode.TextDocument, h: Highlight): vscode.DecorationOptions {
  const last = Math.max(0, doc.lineCount - 1);
  const start = Math.min(Math.max(0, h.startLine), last);
  const end = Math.min(Math.max(start, h.endLine), last);
  return { range: new vscode.Range(start, 0, end, doc.lineAt(end).text.length) };
}
