/**
 * One reviewer's window for an end-to-end test: a fresh copy of the fixture review set, code-server
 * with the built extension on it, and Chromium on the workbench. Each test file opens its own.
 */
import { cpSync, copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { Root, startCodeServer, type CodeServer } from './codeServer';
import { ShotDir, Workbench } from './workbench';

export const vsix = process.env.LOOPHOLE_VSIX ?? path.join(Root, 'test-output/loophole.vsix');

/**
 * A temp folder holding a copy of `fixture` (default: the review set in `test/e2e/fixture/`): a file is
 * copied as `review.loophole.jsonl`, a folder with everything in it.
 */
export function freshWorkspace(fixture = path.join(__dirname, 'fixture/review.loophole.jsonl')): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'loophole-ws-'));
  if (statSync(fixture).isDirectory()) cpSync(fixture, dir, { recursive: true });
  else cpSync(fixture, path.join(dir, 'review.loophole.jsonl'));
  return dir;
}

export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-gpu'],
  });
}

export interface ReviewWindow {
  /** The workspace folder code-server has open. */
  readonly workspace: string;
  readonly server: CodeServer;
  readonly browser: Browser;
  readonly page: Page;
  readonly wb: Workbench;
  close(): Promise<void>;
}

export async function openReviewWindow(
  opts: { trusted?: boolean; userSettings?: Record<string, unknown>; fixture?: string } = {},
): Promise<ReviewWindow> {
  const trust =
    opts.trusted === false
      ? { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never' }
      : { 'security.workspace.trust.enabled': false };
  const workspace = freshWorkspace(opts.fixture);
  // The statement view beside the code opens on its own by default; tests of other things keep the
  // editor area to one group unless they ask for it.
  const quiet = { 'loophole.review.contextBeside': false };
  const server = await startCodeServer({ folder: workspace, vsix, userSettings: { ...trust, ...quiet, ...opts.userSettings } });
  const browser = await launch();
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  const wb = new Workbench(page);
  await wb.open(server.url);
  return {
    workspace,
    server,
    browser,
    page,
    wb,
    close: async () => {
      await browser.close();
      await server.stop();
    },
  };
}

/**
 * The pid of the Loophole language server of this window: the one process running the `dist/server.js`
 * of the extension installed in this test's own profile (a fresh temp folder), so no other process can
 * match. Undefined when none runs; an error when several do.
 */
export function serverPid(profile: string): number | undefined {
  const entry = path.join(profile, 'extensions');
  const found: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let argv: string[];
    try {
      argv = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0');
    } catch {
      continue; // gone meanwhile
    }
    if (argv.some((a) => a.startsWith(entry) && a.endsWith(path.join('dist', 'server.js')))) found.push(Number(name));
  }
  if (found.length > 1) throw new Error(`several Loophole servers in ${profile}: ${found.join(', ')}`);
  return found[0];
}

/** Copies a screenshot taken under test-output/e2e/ to media/screenshots/ when asked to (LOOPHOLE_UPDATE_SCREENSHOTS=1). */
export function publishShot(name: string, as: string): void {
  if (process.env.LOOPHOLE_UPDATE_SCREENSHOTS !== '1') return;
  const dir = path.join(Root, 'media/screenshots');
  mkdirSync(dir, { recursive: true });
  copyFileSync(path.join(ShotDir, `${name}.png`), path.join(dir, as));
}
