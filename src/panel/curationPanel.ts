import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { webviewHtml } from './webviewHtml';
import { LSPErrorCodes, ResponseError } from 'vscode-languageclient/node';
import {
  CurationCountsRequest,
  CurationExportRequest,
  type CurationExportResult,
  type CurationOutputExists,
  CurationPreviewRequest,
} from '../../contract/lsp';
import {
  CurationViewType,
  type CurationForm,
  type ExportState,
  type HostToWebview,
  isWebviewToHost,
  type WebviewToHost,
} from '../../contract/webview/curation';
import { describe, type Session } from '../client/session';
import { exportParamsOf, specOfForm } from './curationSpec';
import { CURATION_CSS } from './curationStyles';

/** Rows and prompt pairs the preview shows. */
const PREVIEW_LIMIT = 3;

/**
 * The Curate & Recontextualize panel (one per window). The webview owns the form; this host turns each
 * request into a server request, cancels the server request a newer one supersedes, and runs the export
 * with a cancellable notification whose progress comes from the server's work-done progress. Nothing is
 * posted to a disposed webview, and an export in flight is cancelled when the panel closes.
 */
export class CurationPanel implements vscode.Disposable {
  private static current: CurationPanel | undefined;

  static show(context: vscode.ExtensionContext, session: Session): CurationPanel {
    if (CurationPanel.current) {
      CurationPanel.current.panel.reveal();
      return CurationPanel.current;
    }
    CurationPanel.current = new CurationPanel(context, session);
    return CurationPanel.current;
  }

  private readonly panel: vscode.WebviewPanel;
  private disposed = false;
  private ready = false;
  private counting: vscode.CancellationTokenSource | undefined;
  private previewing: vscode.CancellationTokenSource | undefined;
  private exporting: vscode.CancellationTokenSource | undefined;
  private exportState: ExportState = { status: 'idle' };
  /** The files of the last export: the only paths `openFile` may open. */
  private exported = new Set<string>();
  private readonly disposables: vscode.Disposable[] = [];

  private constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly session: Session,
  ) {
    this.panel = vscode.window.createWebviewPanel(CurationViewType, 'Curate & Recontextualize', vscode.ViewColumn.Active, {
      enableScripts: true,
      // The form, the counts and a running export's state live in the webview; keep them when hidden.
      retainContextWhenHidden: true,
      localResourceRoots: [vscode.Uri.joinPath(context.extensionUri, 'dist')],
    });
    this.panel.iconPath = vscode.Uri.joinPath(context.extensionUri, 'media', 'loophole.svg');
    this.panel.webview.html = this.html();
    this.disposables.push(
      this.panel.onDidDispose(() => this.dispose()),
      this.panel.webview.onDidReceiveMessage((m: unknown) => {
        if (isWebviewToHost(m)) void this.receive(m);
      }),
      session.onDidChangeState(() => this.postContext()),
      session.onDidChangeReviewSet(() => this.postContext()),
      session.onDidChange(() => this.post({ type: 'curation/invalidate' })),
    );
  }

  private async receive(m: WebviewToHost): Promise<void> {
    switch (m.type) {
      case 'webview/ready':
        this.ready = true;
        this.postContext();
        this.post({ type: 'export/state', state: this.exportState });
        return;
      case 'counts':
        return this.counts(m.id, m.form);
      case 'preview':
        return this.preview(m.id, m.form);
      case 'export':
        return this.export(m.form, m.force);
      case 'export/cancel':
        this.exporting?.cancel();
        return;
      case 'openFile':
        if (!this.exported.has(m.path)) return;
        try {
          await vscode.window.showTextDocument(vscode.Uri.file(m.path), { preview: false });
        } catch (err) {
          this.session.log.error(`Opening ${m.path}: ${describe(err)}`);
        }
        return;
    }
  }

  private async counts(id: number, form: CurationForm): Promise<void> {
    this.counting?.cancel();
    const cts = (this.counting = new vscode.CancellationTokenSource());
    try {
      const result = await this.session.request(CurationCountsRequest, { curation: specOfForm(form) }, cts.token);
      this.post({ type: 'counts', id, ok: true, result });
    } catch (err) {
      if (!cts.token.isCancellationRequested) this.post({ type: 'counts', id, ok: false, error: describe(err) });
    } finally {
      cts.dispose();
      if (this.counting === cts) this.counting = undefined;
    }
  }

  private async preview(id: number, form: CurationForm): Promise<void> {
    this.previewing?.cancel();
    const cts = (this.previewing = new vscode.CancellationTokenSource());
    try {
      const result = await this.session.request(
        CurationPreviewRequest,
        { curation: specOfForm(form), format: form.format, limit: PREVIEW_LIMIT },
        cts.token,
      );
      this.post({ type: 'preview', id, ok: true, result });
    } catch (err) {
      if (!cts.token.isCancellationRequested) this.post({ type: 'preview', id, ok: false, error: describe(err) });
    } finally {
      cts.dispose();
      if (this.previewing === cts) this.previewing = undefined;
    }
  }

  private async export(form: CurationForm, force: boolean): Promise<void> {
    if (this.exporting) return;
    const cts = (this.exporting = new vscode.CancellationTokenSource());
    const progressToken = `loophole-export-${randomUUID()}`;
    this.setExport({ status: 'running', percentage: 0, message: 'starting…' });
    try {
      const result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'Loophole: exporting', cancellable: true },
        async (progress, notification) => {
          let last = 0;
          const subs = [
            notification.onCancellationRequested(() => cts.cancel()),
            this.session.onWorkDoneProgress(progressToken, (v) => {
              if (v.kind !== 'report' || v.percentage === undefined) return;
              progress.report({ increment: v.percentage - last, ...(v.message ? { message: v.message } : {}) });
              last = v.percentage;
              this.setExport({ status: 'running', percentage: v.percentage, message: v.message ?? '' });
            }),
          ];
          try {
            return await this.session.request(CurationExportRequest, exportParamsOf(form, force, progressToken), cts.token);
          } finally {
            for (const s of subs) s.dispose();
          }
        },
      );
      this.exported = filesOf(result);
      this.session.log.info(`exported ${result.rows.train + result.rows.validation} rows to ${result.files.train}`);
      this.setExport({ status: 'done', result });
    } catch (err) {
      const exists = err instanceof ResponseError ? (err.data as CurationOutputExists | undefined) : undefined;
      if (cts.token.isCancellationRequested || (err instanceof ResponseError && err.code === LSPErrorCodes.RequestCancelled)) {
        this.setExport({ status: 'cancelled' });
      } else if (exists?.kind === 'outputExists') {
        this.setExport({ status: 'exists', path: exists.path });
      } else {
        this.session.log.error(`Export: ${describe(err)}`);
        this.setExport({ status: 'error', message: err instanceof ResponseError ? err.message : describe(err) });
      }
    } finally {
      cts.dispose();
      this.exporting = undefined;
    }
  }

  private setExport(state: ExportState): void {
    this.exportState = state;
    this.post({ type: 'export/state', state });
  }

  private postContext(): void {
    this.post({ type: 'curation/context', server: this.session.state, reviewSet: this.session.reviewSet ?? null });
  }

  private post(m: HostToWebview): void {
    if (this.disposed || !this.ready) return;
    void this.panel.webview.postMessage(m);
  }

  private html(): string {
    return webviewHtml(this.panel.webview, this.context.extensionUri, {
      script: 'curation.js',
      title: 'Curate & Recontextualize',
      style: { inline: CURATION_CSS },
    });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (CurationPanel.current === this) CurationPanel.current = undefined;
    this.counting?.cancel();
    this.previewing?.cancel();
    this.exporting?.cancel();
    for (const d of this.disposables) d.dispose();
    this.panel.dispose();
  }
}

function filesOf(r: CurationExportResult): Set<string> {
  return new Set([r.files.train, r.files.validation, r.files.provenance, r.files.card].filter((f): f is string => f !== undefined));
}
