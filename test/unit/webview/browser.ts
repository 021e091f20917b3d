/**
 * A webview program in a real browser (the chromium the end-to-end tests use), under the same Content
 * Security Policy as in VS Code: `default-src 'none'`, scripts and styles only with the page's nonce.
 * The bundle is built here with the options of `esbuild.mjs`; `acquireVsCodeApi` is a stand-in that
 * records what the page posts. Host messages are delivered with `window.postMessage`, as VS Code does.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);

/** What the page's stand-in script keeps on `window`. */
interface Harness {
  __posted: Posted[];
  __problems: string[];
}
/** A message the page posted. */
type Posted = { readonly type: string };

export interface WebviewPage<Out extends Posted = Posted> {
  readonly page: Page;
  /** Messages the page posted to the host, in order. */
  posted(): Promise<Out[]>;
  /** Delivers a host → webview message. */
  send(message: unknown): Promise<void>;
  /** CSP violations and uncaught errors so far. */
  problems(): Promise<string[]>;
  close(): Promise<void>;
}

const root = path.resolve(__dirname, '../../..');
const bundles = new Map<string, string>();

async function bundle(entry: string): Promise<string> {
  const cached = bundles.get(entry);
  if (cached) return cached;
  const out = await esbuild.build({
    entryPoints: [path.join(root, entry)],
    bundle: true,
    platform: 'browser',
    target: 'es2022',
    format: 'iife',
    write: false,
    logLevel: 'silent',
  });
  const text = out.outputFiles[0]!.text;
  bundles.set(entry, text);
  return text;
}

let browser: Browser | undefined;

export async function openWebview<Out extends Posted = Posted>(entry: string, state?: unknown): Promise<WebviewPage<Out>> {
  browser ??= await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  const script = await bundle(entry);
  const nonce = 'bG9vcGhvbGUtdGVzdA==';
  const csp = `default-src 'none'; style-src 'nonce-${nonce}'; img-src data:; script-src 'nonce-${nonce}'`;
  const html = `<!DOCTYPE html><html><head><meta charset="UTF-8"><meta http-equiv="Content-Security-Policy" content="${csp}"></head>
<body><div id="app"><p class="status">Loading…</p></div>
<script nonce="${nonce}">
window.__posted = []; window.__problems = []; let __state = ${JSON.stringify(state ?? null)};
document.addEventListener('securitypolicyviolation', (e) => window.__problems.push('CSP ' + e.violatedDirective + ' ' + e.blockedURI));
window.addEventListener('error', (e) => window.__problems.push('error ' + e.message));
window.acquireVsCodeApi = () => ({ postMessage: (m) => window.__posted.push(JSON.parse(JSON.stringify(m))), getState: () => __state, setState: (s) => { __state = s; } });
</script>
<script nonce="${nonce}" src="http://webview.test/bundle.js"></script>
</body></html>`;
  const page = await browser.newPage();
  await page.route('http://webview.test/**', (route) =>
    route.fulfill(
      route.request().url().endsWith('/bundle.js')
        ? { contentType: 'text/javascript', body: script }
        : { contentType: 'text/html', body: html },
    ),
  );
  await page.goto('http://webview.test/');
  await page.waitForFunction(() => (window as unknown as Harness).__posted.some((m) => m.type === 'webview/ready'));
  return {
    page,
    posted: () => page.evaluate(() => (window as unknown as Harness).__posted) as Promise<Out[]>,
    send: (message) => page.evaluate((m) => window.postMessage(m, '*'), message),
    problems: () => page.evaluate(() => (window as unknown as Harness).__problems),
    close: () => page.close(),
  };
}

export async function closeBrowser(): Promise<void> {
  await browser?.close();
  browser = undefined;
}
