/**
 * The Loophole language server: binds the `loophole/<noun>` requests of `protocol.ts` and the standard
 * LSP features (diagnostics, hover, code lens, code actions on `loophole:` documents) to the service
 * (`../service`): a `ReviewSession` for the open set and the service's entries for the rest.
 *
 * Error policy: params are validated before a handler runs (InvalidParams with the field named); a
 * request that needs an open set while none is open is InvalidRequest; whatever a handler throws goes
 * through the one mapping of `errors.ts` (an id that names nothing is InvalidParams; anything unexpected
 * is logged with its stack through `connection.console.error` and answered as InternalError). The
 * connection stays up in every case.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type CancellationToken,
  CodeActionKind,
  CodeLensRefreshRequest,
  type Connection,
  ErrorCodes,
  type ExecuteCommandParams,
  type InitializeParams,
  type InitializeResult,
  MessageType,
  ShowDocumentRequest,
  ShowMessageNotification,
  SymbolKind,
  type SymbolInformation,
  type WorkspaceSymbolParams,
  type ProgressToken,
  ResponseError,
  TextDocumentSyncKind,
  WorkDoneProgressCancelNotification,
} from 'vscode-languageserver/node';
import { analyzeSet, CandidateFilesDir, holdsReviewSet, NotFound, openForReview, type ReviewSession } from '../service';
import { describeOrder } from '../../../contract/reviewOrder';
import { VERDICT_LABELS, type VerdictLabel } from '../../../contract/domain';
import * as P from './params';
import { registerAgreement } from './agreement';
import { registerCuration } from './curation';
import { JobsHost } from './jobs';
import { type CommandFlavour, codeActionsOf, codeLensesOf, diagnosticsOf, hoverOf } from './presentation';
import {
  AnalyzeRequest,
  type AnalyzeResult,
  CandidateRequest,
  CandidatesRequest,
  CandidateScheme,
  DidChangeNotification,
  type DidChangeParams,
  DocumentRequest,
  type LoopholeSettings,
  NextUnreviewedRequest,
  OpenRequest,
  type OpenResult,
  PickRequest,
  ProblemPanelRequest,
  ProblemsRequest,
  ReviewOrderRequest,
  ServerCommands,
  type ServerStep,
  SetVerdictRequest,
  StateRequest,
  UndoVerdictRequest,
} from '../../../contract/lsp';
import { stackOf, toResponseError } from './errors';
import { beginProgress } from './progress';
import { analyzeOptions, mergeSettings, readSettings, reviewerOf } from './settings';

/** The method name and the types of a request, as `contract/lsp.ts` declares them (any jsonrpc copy). */
interface RequestSig<P, R> {
  readonly method: string;
  readonly _?: [P, R, ...unknown[]] | undefined;
}

export class LoopholeServer {
  private settings: LoopholeSettings = {};
  private session: ReviewSession | undefined;
  private analysing: AbortController | undefined;
  /** The open of `openPath` (or the workspace) that `initialized` starts; settled once it is done or failed. */
  private startupOpen: Promise<void> = Promise.resolve();
  /** Open `loophole:` documents, by the URI exactly as the client sent it. */
  private readonly documents = new Set<string>();
  /** Work-done progress tokens of running jobs → the job's abort. */
  private readonly progressJobs = new Map<ProgressToken, AbortController>();
  private clientProgress = false;
  private clientLensRefresh = false;
  private clientShowDocument = false;
  /** The workspace folder (or root) the client named at `initialize`, as a path. */
  private workspacePath: string | undefined;
  /** The open set's job queue and the `loophole/job*` requests. */
  private jobs: JobsHost | undefined;

  constructor(private readonly conn: Connection) {}

  /** Closes the open store (and detaches from running jobs) before the process ends on a signal. */
  async stop(): Promise<void> {
    await this.jobs?.detach();
    this.closeSession();
  }

  listen(): void {
    const c = this.conn;
    c.onInitialize((p) => this.initialize(p));
    c.onInitialized(() => this.initialized());
    c.onShutdown(async () => {
      await this.jobs?.detach();
      this.closeSession();
    });
    c.onDidChangeConfiguration((p) => {
      const raw = (p.settings as { loophole?: unknown } | null)?.loophole ?? p.settings;
      this.settings = mergeSettings(
        this.settings,
        readSettings(raw, (m) => c.console.warn(m)),
      );
    });

    this.handle(OpenRequest, P.openParams, (p) => this.open(p.path, p.format));
    this.handle(
      StateRequest,
      () => undefined,
      // A client asking right after start (or after a crash) gets the set the server re-opens, not null.
      async () => {
        await this.startupOpen;
        return this.session?.info() ?? null;
      },
    );
    this.handle(AnalyzeRequest, P.analyzeParams, (p, token) => this.analyze(p, token));
    this.handle(ProblemsRequest, P.problemsParams, (p) => this.need().problems(p));
    this.handle(CandidatesRequest, P.candidateQuery, (p) => this.need().candidates(p));
    this.handle(CandidateRequest, P.candidateParams, (p) => this.need().detail(p.id));
    this.handle(DocumentRequest, P.documentParams, (p) => {
      const c = this.need().resolveUri(p.uri);
      if (!c) throw new NotFound(`'${p.uri}' names no candidate of this review set`);
      return { uri: p.uri, candidateId: c.id, text: c.code };
    });
    this.handle(SetVerdictRequest, P.setVerdictParams, (p) => {
      const r = this.need().setVerdict(p.candidateId, p.label, reviewerOf(this.settings), p.note);
      this.changed({ candidateIds: [p.candidateId] });
      return r;
    });
    this.handle(UndoVerdictRequest, P.undoVerdictParams, (p) => {
      const r = this.need().undoVerdict(p.candidateId, reviewerOf(this.settings));
      this.changed({ candidateIds: [p.candidateId] });
      return r;
    });
    this.handle(NextUnreviewedRequest, P.nextUnreviewedParams, (p) => this.need().nextUnreviewed(p));
    this.handle(ReviewOrderRequest, P.reviewOrderParams, (p) => {
      const s = this.need();
      s.reviewOrder = p;
      return { order: s.reviewOrder, description: describeOrder(s.reviewOrder) };
    });
    this.handle(ProblemPanelRequest, P.problemPanelParams, (p) => this.need().problemPanel(p.problemId));
    this.handle(PickRequest, P.pickParams, (p) => {
      const r = this.need().setPick(p.problemId, p.candidateId, reviewerOf(this.settings));
      const ids = [r.previous, r.pick].filter((x): x is string => x !== null);
      if (ids.length) this.changed({ candidateIds: [...new Set(ids)] });
      return { problemId: p.problemId, pick: r.pick };
    });

    registerCuration({
      conn: c,
      need: () => this.need(),
      handle: this.handle.bind(this),
      progressJobs: this.progressJobs,
      clientProgress: () => this.clientProgress,
    });
    registerAgreement({ need: () => this.need(), handle: this.handle.bind(this), settings: () => this.settings });
    this.jobs = new JobsHost({ conn: c, need: () => this.need(), handle: this.handle.bind(this), settings: () => this.settings });

    c.onDidOpenTextDocument((p) => {
      if (!isCandidateUri(p.textDocument.uri)) return;
      this.documents.add(p.textDocument.uri);
      try {
        this.publish(p.textDocument.uri);
      } catch (e) {
        c.console.error(`textDocument/didOpen ${p.textDocument.uri} failed: ${stackOf(e)}`);
      }
    });
    c.onDidCloseTextDocument((p) => {
      if (!this.documents.delete(p.textDocument.uri)) return;
      void c.sendDiagnostics({ uri: p.textDocument.uri, diagnostics: [] });
    });
    c.onHover((p) =>
      this.guard('textDocument/hover', () => {
        const d = this.detailOf(p.textDocument.uri);
        return d ? hoverOf(d, p.position.line, { testsInDiagnostics: !!this.session?.problemSource(d.problem.id) }) : null;
      }),
    );
    c.onCodeLens((p) =>
      this.guard('textDocument/codeLens', () => {
        const d = this.detailOf(p.textDocument.uri);
        return d ? codeLensesOf(d, this.flavour()) : [];
      }),
    );
    c.onCodeAction((p) =>
      this.guard('textDocument/codeAction', () => {
        const d = this.detailOf(p.textDocument.uri);
        return d ? codeActionsOf(d, p.context.diagnostics, this.flavour()) : [];
      }),
    );
    c.onWorkspaceSymbol((p) => this.guard('workspace/symbol', () => this.symbols(p)));
    c.onExecuteCommand(async (p, token) => {
      try {
        return await this.command(p, token);
      } catch (e) {
        throw this.toResponseError(`workspace/executeCommand ${p.command}`, e);
      }
    });

    c.listen();
  }

  // ───────────── lifecycle ─────────────

  private initialize(p: InitializeParams): InitializeResult {
    this.settings = readSettings(p.initializationOptions, (m) => this.conn.console.warn(m));
    this.clientProgress = p.capabilities.window?.workDoneProgress === true;
    this.clientLensRefresh = p.capabilities.workspace?.codeLens?.refreshSupport === true;
    this.clientShowDocument = p.capabilities.window?.showDocument?.support === true;
    const root = p.workspaceFolders?.[0]?.uri ?? p.rootUri ?? undefined;
    if (root?.startsWith('file:')) this.workspacePath = fileURLToPath(root);
    else if (p.rootPath) this.workspacePath = p.rootPath;
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.None },
        hoverProvider: true,
        codeLensProvider: { resolveProvider: false },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        workspaceSymbolProvider: true,
        executeCommandProvider: { commands: Object.values(ServerCommands) },
      },
      serverInfo: { name: 'loophole', version: '0.1.0' },
    };
  }

  private initialized(): void {
    // Replaces the library's handler, which only cancels progress the server created through it.
    this.conn.onNotification(WorkDoneProgressCancelNotification.type, (p) => this.progressJobs.get(p.token)?.abort());
    this.startupOpen = this.openAtStart();
  }

  /**
   * Opens `openPath`, else the workspace folder when it holds a review set, and analyses a set that was
   * never analysed (static only unless execution was opted in). A set that cannot be opened is said
   * with `window/showMessage`, not only logged.
   */
  private async openAtStart(): Promise<void> {
    const given = this.settings.openPath;
    const folder = this.settings.openWorkspace !== false ? this.workspacePath : undefined;
    const target = given ?? (folder && holdsReviewSet(folder) ? folder : undefined);
    if (!target) return;
    let opened: OpenResult;
    try {
      opened = await this.open(target);
    } catch (e) {
      this.conn.console.error(`opening ${target} failed: ${stackOf(e)}`);
      this.message(MessageType.Error, `Loophole could not open the review set ${target}: ${e instanceof Error ? e.message : String(e)}`);
      return;
    }
    // The analysis of a never-analysed set runs on; `loophole/state` waits only for the open.
    void this.analyseOpened(target, opened);
  }

  private async analyseOpened(target: string, r: OpenResult): Promise<void> {
    try {
      if (r.issues.length > 0) {
        this.message(MessageType.Warning, `Loophole: ${r.issues.length} input line(s) of ${target} could not be read (see the server log)`);
        for (const i of r.issues.slice(0, 20)) this.conn.console.warn(`import: ${JSON.stringify(i)}`);
      }
      if (this.settings.analyseOnOpen !== false && r.analysed === 0 && r.candidates > 0) {
        const a = await this.analyze({}, { isCancellationRequested: false, onCancellationRequested: () => ({ dispose: () => undefined }) });
        this.conn.console.info(`analysed ${a.analysed} candidates on open (${a.executed ? 'with' : 'without'} execution)`);
      }
    } catch (e) {
      this.conn.console.error(`analysing ${target} on open failed: ${stackOf(e)}`);
      this.message(MessageType.Error, `Loophole could not analyse the review set ${target}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private message(type: MessageType, message: string): void {
    void this.conn.sendNotification(ShowMessageNotification.type, { type, message });
  }

  private flavour(): CommandFlavour {
    return this.settings.clientCommands === true ? 'client' : 'server';
  }

  private closeSession(): void {
    this.analysing?.abort();
    this.session?.close();
    this.session = undefined;
  }

  // ───────────── requests ─────────────

  private async open(p: string, format?: string): Promise<OpenResult> {
    if (this.analysing) throw new ResponseError(ErrorCodes.InvalidRequest, 'loophole/open: an analysis is running; cancel it first');
    if (!existsSync(path.resolve(p))) throw new ResponseError(ErrorCodes.InvalidParams, `loophole/open: '${p}' does not exist`);
    const { session, issues } = await openForReview(p, {
      ...(format ? { format } : {}),
      log: (level, m) => (level === 'info' ? this.conn.console.info(m) : this.conn.console.warn(m)),
    });
    await this.jobs?.detach();
    this.session?.close();
    this.session = session;
    this.jobs?.attach(session);
    for (const uri of this.documents) this.publish(uri);
    this.changed({ all: true });
    return { ...this.session.info(), issues };
  }

  private async analyze(p: ReturnType<typeof P.analyzeParams>, token: CancellationToken): Promise<AnalyzeResult> {
    const session = this.need();
    if (this.analysing) throw new ResponseError(ErrorCodes.InvalidRequest, 'loophole/analyze: an analysis is already running');
    const abort = new AbortController();
    this.analysing = abort;
    const sub = token.onCancellationRequested(() => abort.abort());
    const progress = await beginProgress(this.progressHost(), 'Loophole: analysing', p.workDoneToken, abort);
    const { options, executed } = analyzeOptions(this.settings, p);
    let lastPct = -1;
    try {
      // The classifier, the activation probe (when a probe file is set) and the LLM judge (a local model
      // from the settings, or LOOPHOLE_JUDGE_URL/MODEL) after the cheap scorers.
      const r = await analyzeSet(session, {
        ...options,
        log: (m) => this.conn.console.info(m),
        ...(this.settings.probe?.file ? { probe: this.settings.probe.file } : {}),
        ...(this.settings.judge?.localModel
          ? {
              judge: {
                localModel: this.settings.judge.localModel,
                ...(this.settings.judge.device ? { localDevice: this.settings.judge.device } : {}),
              },
            }
          : {}),
        signal: abort.signal,
        onProgress: ({ done, total, message }) => {
          const pct = total > 0 ? Math.floor((done / total) * 100) : 100;
          if (pct === lastPct && done !== total) return;
          lastPct = pct;
          progress.report(pct, `${done}/${total}${message ? ` ${message}` : ''}`);
        },
      });
      for (const m of r.errorMessages ?? []) this.conn.console.warn(`analysis: ${m}`);
      for (const m of r.warnings) this.conn.console.warn(`analysis: ${m}`);
      if (r.staticOnlyReason) void this.conn.window.showWarningMessage(`Loophole ran static-only: ${r.staticOnlyReason}`);
      else if (r.isolation === 'none' && executed)
        void this.conn.window.showWarningMessage('Loophole executed candidate code WITHOUT isolation (sandbox.isolation is "none").');
      return {
        analysed: r.analysed,
        skipped: r.skipped,
        hacks: r.hacks,
        errors: r.errors,
        executed: executed && !r.staticOnlyReason,
        ...(r.isolation ? { isolation: r.isolation } : {}),
        ...(r.staticOnlyReason ? { staticOnlyReason: r.staticOnlyReason } : {}),
        ...(r.warnings.length ? { warnings: r.warnings } : {}),
      };
    } finally {
      sub.dispose();
      progress.end(abort.signal.aborted ? 'cancelled' : 'done');
      this.analysing = undefined;
      if (this.session === session) {
        session.invalidate();
        for (const uri of this.documents) this.publish(uri);
        this.changed({ all: true });
      }
    }
  }

  private progressHost() {
    return { conn: this.conn, progressJobs: this.progressJobs, clientProgress: () => this.clientProgress };
  }

  // ───────────── symbols and commands ─────────────

  /**
   * Candidates best-first (highest hack score first), as symbols in their files; a query keeps those
   * whose name holds every word of it (case-insensitive). At most 500.
   */
  private symbols(p: WorkspaceSymbolParams): SymbolInformation[] {
    const s = this.session;
    if (!s) return [];
    const words = p.query.toLowerCase().split(/\s+/).filter(Boolean);
    const out: SymbolInformation[] = [];
    const zero = { line: 0, character: 0 };
    for (const c of s.rankedCandidates()) {
      const score = c.score === undefined ? 'not analysed' : `${c.score.toFixed(2)}${c.isHack ? ' hack?' : ''}`;
      const name = `${s.problemTitle(c.problemId)} · ${c.id} · ${score} · ${c.verdict ?? 'unreviewed'}`;
      if (words.length && !words.every((w) => `${name} ${c.problemId}`.toLowerCase().includes(w))) continue;
      out.push({
        name,
        kind: SymbolKind.Module,
        containerName: c.problemId,
        location: { uri: s.fileUri(c.id), range: { start: zero, end: zero } },
      });
      if (out.length >= 500) break;
    }
    return out;
  }

  /** `workspace/executeCommand` for `ServerCommands`. */
  private async command(p: ExecuteCommandParams, token: CancellationToken): Promise<unknown> {
    const args = p.arguments ?? [];
    const method = `workspace/executeCommand ${p.command}`;
    // A candidate id, or the URI of a candidate's document (what an editor has at hand).
    const idArg = (i: number): string => {
      const v = args[i];
      if (typeof v !== 'string' || !v)
        throw new ResponseError(
          ErrorCodes.InvalidParams,
          `${method}: argument ${i + 1} must be a candidate id or URI, got ${JSON.stringify(v)}`,
        );
      return (isCandidateUri(v) ? this.session?.resolveUri(v)?.id : undefined) ?? v;
    };
    const labelArg = (i: number, fallback?: VerdictLabel): VerdictLabel => {
      const v = args[i] ?? fallback;
      if ((VERDICT_LABELS as readonly unknown[]).includes(v)) return v as VerdictLabel;
      throw new ResponseError(
        ErrorCodes.InvalidParams,
        `${method}: argument ${i + 1} must be ${VERDICT_LABELS.slice(0, -1)
          .map((l) => `'${l}'`)
          .join(', ')} or '${VERDICT_LABELS.at(-1)}', got ${JSON.stringify(v)}`,
      );
    };
    switch (p.command) {
      case ServerCommands.verdict: {
        const id = idArg(0);
        const note = typeof args[2] === 'string' && args[2] ? args[2] : undefined;
        const r = this.need().setVerdict(id, labelArg(1), reviewerOf(this.settings), note);
        this.changed({ candidateIds: [id] });
        return r;
      }
      case ServerCommands.undo: {
        const id = idArg(0);
        const r = this.need().undoVerdict(id, reviewerOf(this.settings));
        this.changed({ candidateIds: [id] });
        return r;
      }
      case ServerCommands.note: {
        const id = idArg(0);
        const note = args[1];
        if (typeof note !== 'string') throw new ResponseError(ErrorCodes.InvalidParams, `${method}: argument 2 must be the note text`);
        const s = this.need();
        const current = s.currentVerdict(id)?.label;
        const r = s.setVerdict(id, labelArg(2, current ?? 'unsure'), reviewerOf(this.settings), note);
        this.changed({ candidateIds: [id] });
        return r;
      }
      case ServerCommands.next:
      case ServerCommands.previous: {
        const s = this.need();
        const from = typeof args[0] === 'string' && args[0] ? idArg(0) : undefined;
        const direction = p.command === ServerCommands.next ? 'next' : 'previous';
        const id = await s.nextUnreviewed({ direction, ...(from ? { from } : {}) });
        if (!id) {
          this.message(
            MessageType.Info,
            `Loophole: no ${direction === 'next' ? 'further' : 'earlier'} unreviewed candidates (order: ${describeOrder(s.reviewOrder)})`,
          );
          return null;
        }
        const step: ServerStep = { candidateId: id, problemId: s.candidate(id).problemId, uri: s.fileUri(id) };
        if (this.clientShowDocument) {
          this.conn
            .sendRequest(ShowDocumentRequest.type, { uri: step.uri, takeFocus: true })
            .catch((e: unknown) => this.conn.console.warn(`showDocument: ${stackOf(e)}`));
        }
        return step;
      }
      case ServerCommands.order: {
        const s = this.need();
        if (args[0] !== undefined) s.reviewOrder = P.reviewOrderParams(args[0]);
        return { order: s.reviewOrder, description: describeOrder(s.reviewOrder) };
      }
      case ServerCommands.show: {
        const d = this.need().detail(idArg(0));
        const score = d.analysed ? `hack score ${(d.hackProbability ?? 0).toFixed(2)} (${d.category ?? 'none'})` : 'not analysed';
        const verdicts = d.history.map(
          (h) => `${h.action === 'retract' ? 'retracted' : h.label} by ${h.reviewer} at ${h.at}${h.note ? ` (${h.note})` : ''}`,
        );
        const text = `${d.candidate.id}: ${score}; ${d.findings.length} finding(s); ${verdicts.length ? verdicts.join('; ') : 'no verdicts yet'}`;
        this.message(MessageType.Info, text);
        return text;
      }
      case ServerCommands.analyse:
        return this.analyze({}, token);
      default:
        throw new ResponseError(
          ErrorCodes.InvalidParams,
          `workspace/executeCommand: unknown command '${p.command}' (known: ${Object.values(ServerCommands).join(', ')})`,
        );
    }
  }

  // ───────────── documents ─────────────

  private detailOf(uri: string) {
    const s = this.session;
    if (!s) return undefined;
    const c = s.resolveUri(uri);
    return c ? s.detail(c.id) : undefined;
  }

  /** (Re)publishes a document's diagnostics; an unknown candidate gets an empty list. */
  private publish(uri: string): void {
    const s = this.session;
    const d = this.detailOf(uri);
    const diagnostics = d && s ? diagnosticsOf(d, s.problemSource(d.problem.id), s.dataDir) : [];
    void this.conn.sendDiagnostics({ uri, diagnostics });
  }

  private changed(p: DidChangeParams): void {
    void this.conn.sendNotification(DidChangeNotification.method, p);
    if (this.clientLensRefresh && this.documents.size > 0) {
      this.conn.sendRequest(CodeLensRefreshRequest.type).catch((e: unknown) => this.conn.console.warn(`codeLens refresh: ${stackOf(e)}`));
    }
  }

  // ───────────── plumbing ─────────────

  private need(): ReviewSession {
    if (!this.session) throw new ResponseError(ErrorCodes.InvalidRequest, 'no review set is open (send loophole/open first)');
    return this.session;
  }

  /**
   * Registers a custom request by method name, so that params arrive exactly as sent (absent, by
   * position, or by name) and are judged by `parse`, not by the jsonrpc library.
   */
  private handle<Params, R>(
    type: RequestSig<Params, R>,
    parse: (raw: unknown) => Params,
    fn: (p: Params, token: CancellationToken) => R | Promise<R>,
  ): void {
    const method = type.method;
    this.conn.onRequest(method, async (...args: unknown[]): Promise<unknown> => {
      const token = args[args.length - 1] as CancellationToken;
      const params = args.slice(0, -1);
      if (params.length > 1) throw new ResponseError(ErrorCodes.InvalidParams, `${method}: params must be one object (by name)`);
      try {
        return await fn(parse(params[0]), token);
      } catch (e) {
        throw this.toResponseError(method, e);
      }
    });
  }

  /** Runs an LSP feature handler; an exception is logged and answered as an error, never a crash. */
  private guard<R>(method: string, fn: () => R): R {
    try {
      return fn();
    } catch (e) {
      throw this.toResponseError(method, e);
    }
  }

  private toResponseError(method: string, e: unknown): ResponseError<unknown> {
    return toResponseError(method, e, (m) => this.conn.console.error(m));
  }
}

/** A `loophole:` document or a candidate file (`.loophole/candidates/…`). */
function isCandidateUri(uri: string): boolean {
  if (uri.startsWith(`${CandidateScheme}:`)) return true;
  if (!uri.startsWith('file:')) return false;
  try {
    return fileURLToPath(uri)
      .split(path.sep)
      .join('/')
      .includes(`/${CandidateFilesDir.split(path.sep).join('/')}/`);
  } catch {
    return false;
  }
}
