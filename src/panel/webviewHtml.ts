/**
 * The HTML shell every Loophole webview starts from: a strict Content Security Policy
 * (`default-src 'none'`, scripts and styles only with this load's nonce or from the extension),
 * one bundled script from `dist/`, and an `#app` element the webview program renders into.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

export interface WebviewPage {
  /** The bundle in `dist/`, e.g. `webview.js`. */
  readonly script: string;
  readonly title: string;
  /** A stylesheet shipped in `media/`, or CSS text inlined under the nonce. */
  readonly style: { readonly media: string } | { readonly inline: string };
  /** `data-*` attributes for `#app` (name without the prefix → value). */
  readonly data?: Readonly<Record<string, string>>;
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

export function webviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, page: WebviewPage): string {
  const nonce = randomBytes(16).toString('base64');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', page.script));
  const csp = [
    "default-src 'none'",
    `style-src ${webview.cspSource} 'nonce-${nonce}'`,
    `font-src ${webview.cspSource}`,
    `img-src ${webview.cspSource} data:`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  const style =
    'media' in page.style
      ? `<link rel="stylesheet" href="${webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', page.style.media)).toString()}" nonce="${nonce}">`
      : `<style nonce="${nonce}">${page.style.inline}</style>`;
  const data = Object.entries(page.data ?? {})
    .map(([k, v]) => ` data-${k}="${escapeHtml(v)}"`)
    .join('');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
${style}
<title>${escapeHtml(page.title)}</title>
</head>
<body>
<div id="app"${data}><p class="status">Loading…</p></div>
<script nonce="${nonce}" src="${script.toString()}"></script>
</body>
</html>`;
}
