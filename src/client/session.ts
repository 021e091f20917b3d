import * as cp from 'node:child_process';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  CloseAction,
  DidChangeConfigurationNotification,
  ErrorAction,
  IPCMessageReader,
  IPCMessageWriter,
  LanguageClient,
  type NotificationType,
  type RequestType,
  ResponseError,
  RevealOutputChannelOn,
  State,
  WorkDoneProgress,
  type CloseHandlerResult,
  type ErrorHandler,
  type ErrorHandlerResult,
  type LanguageClientOptions,
  type MessageTransports,
  type RequestParam,
  type WorkDoneProgressBegin,
  type WorkDoneProgressEnd,
  type WorkDoneProgressReport,
} from 'vscode-languageclient/node';
import {
  CandidateScheme,
  DidChangeNotification,
  OpenRequest,
  StateRequest,
  type DidChangeParams,
  type OpenResult,
  type ReviewSetInfo,
} from '../../contract/lsp';
import { decideRestart, describeExit, type ExitStatus } from './restartPolicy';
import { serverSettings } from './settings';
import { TabDiagnostics } from './tabDiagnostics';

export type ServerState = 'starting' | 'running' | 'stopped';

/** Thrown by `Session.request` while no server is running: commands show its message as it is. */
export class ServerDownError extends Error {
  constructor() {
    super('The Loophole server is not running. Run "Loophole: Restart Server" (details in the Loophole log).');
  }
}

/** The last crash the client restarted the server after: when, and how the process ended. */
export interface CrashInfo {
  readonly at: number;
  readonly exit: string;
  /** Crashes restarted since the window opened (or the reviewer last restarted by hand). */
  readonly count: number;
}

/**
 * The one language client of the window, and what the views need to know about it: whether the server
 * is up, which review set is open, and when anything changed. A server that crashes is restarted (the
 * policy is `decideRestart`) and re-opens the set it had open, so the views keep their place; a server
 * that exits on purpose (exit code 0, or because the client stopped it) is left stopped.
 */
export class Session implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private _state: ServerState = 'stopped';
  private _reviewSet: ReviewSetInfo | undefined;
  private stopping = false;
  /** The close handler chose to restart: the client's passing 'stopped' state reads as 'starting'. */
  private restarting = false;
  private crashes: readonly number[] = [];
  private _lastCrash: CrashInfo | undefined;
  private _pid: number | undefined;
  private lastExit: Promise<ExitStatus> | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  /** Diagnostics shown only while a tab shows the candidate (the Problems panel stays that short). */
  private readonly tabDiagnostics = new TabDiagnostics(() => this.client?.diagnostics);
  /** Server notifications other parts listen to; attached to every client this session starts. */
  private readonly listeners = new Set<{ attach(c: LanguageClient): vscode.Disposable; sub?: vscode.Disposable }>();

  private readonly stateEmitter = new vscode.EventEmitter<ServerState>();
  /**
   * The server came up, went down, or is starting. A crashed server being restarted goes from
   * 'running' to 'starting' directly (never 'stopped'), so views can keep what they show meanwhile.
   */
  readonly onDidChangeState = this.stateEmitter.event;
  private readonly changeEmitter = new vscode.EventEmitter<DidChangeParams>();
  /** Anything the views show changed: a set was opened, analysed, or a verdict/pick was stored. Fires only
   * while the server runs (its start fires `all`), so a listener may always ask the server at once. */
  readonly onDidChange = this.changeEmitter.event;
  private readonly reviewSetEmitter = new vscode.EventEmitter<ReviewSetInfo | undefined>();
  readonly onDidChangeReviewSet = this.reviewSetEmitter.event;

  constructor(
    private readonly context: vscode.ExtensionContext,
    readonly log: vscode.LogOutputChannel,
  ) {
    this.disposables.push(
      this.stateEmitter,
      this.changeEmitter,
      this.reviewSetEmitter,
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('loophole')) this.pushSettings();
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.pushSettings()),
    );
  }

  get state(): ServerState {
    return this._state;
  }

  get reviewSet(): ReviewSetInfo | undefined {
    return this._reviewSet;
  }

  /** The crash the server was last restarted after, if any since the last manual restart. */
  get lastCrash(): CrashInfo | undefined {
    return this._lastCrash;
  }

  /** The server process id while one is running (also written to the log at each start). */
  get serverPid(): number | undefined {
    return this._pid;
  }

  async start(): Promise<void> {
    if (this.client) return;
    this.stopping = false;
    const client = new LanguageClient('loophole', 'Loophole', () => this.spawn(), this.clientOptions());
    this.client = client;
    client.onDidChangeState((e) => {
      if (e.newState === State.Running) {
        this.restarting = false;
        void this.onRunning();
      } else if (e.newState === State.Starting) {
        // From here a failed restart reads as 'stopped' again.
        this.restarting = false;
        this.setState('starting');
      } else this.setState(this.restarting ? 'starting' : 'stopped');
    });
    for (const l of this.listeners) l.sub = l.attach(client);
    client.onNotification(DidChangeNotification, (p) => {
      // While a (re)started server is still starting, listeners would fetch from it too early (and the
      // tree would empty, losing its expansion); reaching 'running' fires `all` for them anyway.
      if (this._state !== 'running') return;
      // The counts in ReviewSetInfo move with every verdict and analysis, not only with `all`.
      void this.refreshReviewSet();
      this.changeEmitter.fire(p);
    });
    this.setState('starting');
    try {
      await client.start();
    } catch (err) {
      this.log.error(`The Loophole server failed to start: ${describe(err)}`);
      this.client = undefined;
      this.setState('stopped');
    }
  }

  /** Stops the server on purpose (it is not restarted). */
  async stop(): Promise<void> {
    const client = this.client;
    if (!client) return;
    this.stopping = true;
    this.restarting = false;
    this.client = undefined;
    try {
      if (client.state !== State.Stopped) await client.stop(5000);
    } catch (err) {
      this.log.warn(`Stopping the server: ${describe(err)}`);
    }
    this.setState('stopped');
  }

  async restart(): Promise<void> {
    await this.stop();
    this.crashes = [];
    this._lastCrash = undefined;
    await this.start();
  }

  /**
   * Sends a request, failing with `ServerDownError` at once while the server is down rather than
   * queueing it for a server that may never come back.
   */
  async request<P, R>(type: RequestType<P, R, void>, params: P, token?: vscode.CancellationToken): Promise<R> {
    const client = this.client;
    if (!client || this._state !== 'running') throw new ServerDownError();
    const param = params as RequestParam<P>;
    return token ? client.sendRequest(type, param, token) : client.sendRequest(type, param);
  }

  /** Listens to the server's work-done progress on a token the client chose. */
  onWorkDoneProgress(
    token: string,
    handler: (p: WorkDoneProgressBegin | WorkDoneProgressReport | WorkDoneProgressEnd) => void,
  ): vscode.Disposable {
    const client = this.client;
    if (!client) throw new ServerDownError();
    return client.onProgress(WorkDoneProgress.type, token, handler);
  }

  /** Listens to a server notification until disposed, across restarts (a new client gets it too). */
  onNotification<P>(type: NotificationType<P>, handler: (params: P) => void): vscode.Disposable {
    const l: { attach(c: LanguageClient): vscode.Disposable; sub?: vscode.Disposable } = { attach: (c) => c.onNotification(type, handler) };
    if (this.client) l.sub = l.attach(this.client);
    this.listeners.add(l);
    return new vscode.Disposable(() => {
      l.sub?.dispose();
      this.listeners.delete(l);
    });
  }

  /** Opens (imports) a review set and remembers it, so that a restarted server re-opens it. */
  async open(fsPath: string, token?: vscode.CancellationToken): Promise<OpenResult> {
    const result = await this.request(OpenRequest, { path: fsPath }, token);
    await this.context.workspaceState.update('loophole.openPath', fsPath);
    this.setReviewSet(result);
    this.changeEmitter.fire({ all: true });
    return result;
  }

  /** The set the window had open (survives reloads and restarts). */
  get rememberedPath(): string | undefined {
    return this.context.workspaceState.get<string>('loophole.openPath');
  }

  async refreshReviewSet(): Promise<void> {
    try {
      this.setReviewSet((await this.request(StateRequest, {})) ?? undefined);
    } catch (err) {
      this.log.warn(`loophole/state: ${describe(err)}`);
    }
  }

  dispose(): void {
    void this.stop();
    for (const d of this.disposables) d.dispose();
    this.tabDiagnostics.dispose();
  }

  private async onRunning(): Promise<void> {
    await this.refreshReviewSetOnce();
    this.setState('running');
    this.changeEmitter.fire({ all: true });
  }

  private async refreshReviewSetOnce(): Promise<void> {
    const client = this.client;
    if (!client) return;
    try {
      this.setReviewSet((await client.sendRequest(StateRequest, {})) ?? undefined);
    } catch (err) {
      this.log.warn(`loophole/state after start: ${describe(err)}`);
    }
  }

  private setReviewSet(info: ReviewSetInfo | undefined): void {
    this._reviewSet = info;
    void vscode.commands.executeCommand('setContext', 'loophole.reviewSetOpen', info !== undefined);
    this.reviewSetEmitter.fire(info);
  }

  private setState(s: ServerState): void {
    if (this._state === s) return;
    this._state = s;
    void vscode.commands.executeCommand('setContext', 'loophole.server', s);
    this.log.info(`server ${s}`);
    this.stateEmitter.fire(s);
  }

  private pushSettings(): void {
    const client = this.client;
    if (!client || this._state !== 'running') return;
    void client.sendNotification(DidChangeConfigurationNotification.type, {
      settings: { loophole: serverSettings() },
    });
  }

  /** Forks the bundled server with an IPC channel, and keeps its exit status for the close handler. */
  private async spawn(): Promise<MessageTransports> {
    const module = this.context.asAbsolutePath(path.join('dist', 'server.js'));
    const child = cp.fork(module, ['--node-ipc'], {
      cwd: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? path.dirname(module),
      execArgv: [],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    });
    this._pid = child.pid;
    this.log.info(`server process started (pid ${child.pid})`);
    child.stdout?.on('data', (d: Buffer) => this.log.info(`[server] ${d.toString().trimEnd()}`));
    child.stderr?.on('data', (d: Buffer) => this.log.info(`[server] ${d.toString().trimEnd()}`));
    this.lastExit = new Promise((resolve) => {
      child.on('exit', (code, signal) => {
        this.log.info(`server process ${child.pid} exited (code ${code}, signal ${signal})`);
        if (this._pid === child.pid) this._pid = undefined;
        resolve({ code, signal });
      });
    });
    return { reader: new IPCMessageReader(child), writer: new IPCMessageWriter(child) };
  }

  private clientOptions(): LanguageClientOptions {
    const errorHandler: ErrorHandler = {
      error: (error, _message, count): ErrorHandlerResult => {
        this.log.error(`connection error: ${describe(error)}`);
        return { action: (count ?? 0) <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown, handled: true };
      },
      closed: async (): Promise<CloseHandlerResult> => {
        // The connection can close a moment before the process's exit event: wait for it, briefly.
        const exit = this.stopping
          ? undefined
          : await Promise.race([
              this.lastExit ?? Promise.resolve(undefined),
              new Promise<undefined>((r) => setTimeout(() => r(undefined), 2000)),
            ]);
        const now = Date.now();
        const d = decideRestart({ stopping: this.stopping, exit, crashes: this.crashes, now });
        this.crashes = d.crashes;
        this.restarting = d.restart;
        switch (d.reason) {
          case 'stopped-by-client':
            break;
          case 'exited-on-purpose':
            this.log.info('The server exited on purpose; not restarting it.');
            break;
          case 'too-many-crashes':
            this.log.error(
              `The server crashed ${d.crashes.length} times in a few minutes (last: ${describeExit(exit)}); not restarting it.`,
            );
            break;
          case 'crashed':
            this._lastCrash = { at: now, exit: describeExit(exit), count: d.crashes.length };
            this.log.warn(`The server crashed (${describeExit(exit)}); restarting it.`);
            break;
        }
        return { action: d.restart ? CloseAction.Restart : CloseAction.DoNotRestart, handled: true };
      },
    };
    return {
      // Every candidate document, whatever language VS Code gave it: the code lenses, hovers and
      // diagnostics must not depend on the `.py` in the URI being recognised first.
      documentSelector: [{ scheme: CandidateScheme }],
      outputChannel: this.log,
      revealOutputChannelOn: RevealOutputChannelOn.Never,
      errorHandler,
      initializationOptions: () => serverSettings(this._reviewSet?.path ?? this.rememberedPath),
      middleware: { handleDiagnostics: (uri, diagnostics, next) => this.tabDiagnostics.handle(uri, diagnostics, next) },
      initializationFailedHandler: (err) => {
        this.log.error(`initialize failed: ${describe(err)}`);
        return false;
      },
    };
  }
}

export function describe(err: unknown): string {
  if (err instanceof ResponseError) return `${err.message} (code ${err.code})`;
  if (err instanceof Error) return err.message;
  return String(err);
}
