/**
 * Drives the bundled language server (`dist/server.js --stdio`) as an LSP client would: a real child
 * process, a real JSON-RPC connection, notifications collected so that a test can wait for one (already
 * received or still to come) without timers.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createMessageConnection, type MessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import {
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  type InitializeResult,
  ShutdownRequest,
  WorkDoneProgress,
  WorkDoneProgressCreateRequest,
} from 'vscode-languageserver-protocol';

export const repoRoot = path.resolve(__dirname, '..', '..');
export const serverJs = path.join(repoRoot, 'dist', 'server.js');
export const fixtureDir = path.join(repoRoot, 'test', 'fixtures', 'server');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** Rebuilds `dist/` when the bundle is missing or older than the server sources. */
export function ensureBundle(): void {
  let built = 0;
  try {
    built = statSync(serverJs).mtimeMs;
  } catch {
    built = 0;
  }
  if (built < newestMtime(path.join(repoRoot, 'server', 'src'))) {
    execFileSync(process.execPath, ['esbuild.mjs'], { cwd: repoRoot, stdio: 'inherit' });
  }
}

/** A fresh temp folder holding a copy of the fixture review set. */
export function fixtureCopy(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'loophole-server-'));
  cpSync(fixtureDir, dir, { recursive: true });
  return dir;
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

interface Waiter {
  method: string;
  pred: (params: any) => boolean;
  resolve: (params: any) => void;
}

export class ServerProcess {
  /** Every notification received, in order. */
  readonly received: { method: string; params: any }[] = [];
  /** Server → client requests received (progress creation, code lens refresh …). */
  readonly serverRequests: { method: string; params: any }[] = [];
  readonly stderr: string[] = [];
  private readonly waiters: Waiter[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  initializeResult!: InitializeResult;

  private constructor(
    readonly proc: ChildProcess,
    readonly conn: MessageConnection,
  ) {
    this.exited = new Promise((resolve) => proc.once('exit', (code, signal) => resolve({ code, signal })));
    proc.stderr!.setEncoding('utf8').on('data', (d: string) => this.stderr.push(d));
    conn.onNotification((method: string, params: any) => this.dispatch(method, params));
  }

  /** Records a notification and resolves the waiters it satisfies. */
  private dispatch(method: string, params: any): void {
    this.received.push({ method, params });
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      const w = this.waiters[i]!;
      if (w.method === method && w.pred(params)) {
        this.waiters.splice(i, 1);
        w.resolve(params);
      }
    }
  }

  private answerServerRequests(): void {
    this.conn.onRequest((method: string, params: any) => {
      this.serverRequests.push({ method, params });
      // Progress on a token the server created arrives as `$/progress` notifications with that token.
      if (method === WorkDoneProgressCreateRequest.method) {
        this.conn.onProgress(WorkDoneProgress.type, params.token, (value) => this.dispatch('$/progress', { token: params.token, value }));
      }
      return null;
    });
  }

  /** Spawns the server, initializes it (with work-done progress and code lens refresh support). */
  static async start(
    initializationOptions: object = {},
    init: { rootUri?: string; workspaceFolders?: { uri: string; name: string }[]; capabilities?: object } = {},
  ): Promise<ServerProcess> {
    const proc = spawn(process.execPath, [serverJs, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const conn = createMessageConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
    conn.onError(() => undefined);
    const server = new ServerProcess(proc, conn);
    server.answerServerRequests();
    conn.listen();
    server.initializeResult = await conn.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: init.rootUri ?? null,
      ...(init.workspaceFolders ? { workspaceFolders: init.workspaceFolders } : {}),
      capabilities: init.capabilities ?? { window: { workDoneProgress: true }, workspace: { codeLens: { refreshSupport: true } } },
      initializationOptions,
    });
    await conn.sendNotification(InitializedNotification.type, {});
    return server;
  }

  /** Resolves with the first notification of `method` matching `pred`, received before or after the call. */
  notification<T = any>(method: string, pred: (params: T) => boolean = () => true): Promise<T> {
    const seen = this.received.find((n) => n.method === method && pred(n.params));
    if (seen) return Promise.resolve(seen.params as T);
    return new Promise((resolve) => this.waiters.push({ method, pred, resolve }));
  }

  /** `shutdown` then `exit`; resolves with the exit code. */
  async shutdown(): Promise<number | null> {
    await this.conn.sendRequest(ShutdownRequest.type);
    await this.conn.sendNotification(ExitNotification.type);
    const { code } = await this.exited;
    this.conn.dispose();
    return code;
  }

  /** SIGKILL: the server gets no chance to flush or close anything. */
  async kill(): Promise<void> {
    this.proc.kill('SIGKILL');
    await this.exited;
    this.conn.dispose();
  }
}
