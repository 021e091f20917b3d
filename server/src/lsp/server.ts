/**
 * The Loophole language server: binds the `loophole/<noun>` requests of `protocol.ts` and the standard
 * LSP features (diagnostics, hover, code lens, code actions on `loophole:` documents) to a
 * `ReviewSession`.
 *
 * Error policy: params are validated before a handler runs (InvalidParams with the field named); an id
 * that names nothing is InvalidParams too; a request that needs an open set while none is open is
 * InvalidRequest; anything else thrown inside a handler is logged with its stack through
 * `connection.console.error` and answered as InternalError. The connection stays up in every case.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import {
  type CancellationToken,
  CodeActionKind,
  CodeLensRefreshRequest,
  type Connection,
  ErrorCodes,
  type InitializeParams,
  type InitializeResult,
  LSPErrorCodes,
  type ProgressToken,
  ResponseError,
  TextDocumentSyncKind,
  WorkDoneProgress,
  WorkDoneProgressCancelNotification,
  WorkDoneProgressCreateRequest,
  type WorkDoneProgressReport,
} from 'vscode-languageserver/node';
import type { FormatName } from '../formats/reader';
import { analyzeStore, openReviewSet, dataDirOf } from '../pipeline/analyze';
import { defaultScorers } from '../scoring/defaults';
import * as P from './params';
import { registerAgreement } from './agreement';
import { registerCuration } from './curation';
import { JobsHost } from './jobs';
import { codeActionsOf, codeLensesOf, diagnosticsOf, hoverOf } from './presentation';
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
  SetVerdictRequest,
  StateRequest,
  UndoVerdictRequest,
} from './protocol';
import { fingerprint, recordImport, unchangedSince } from './reopen';
import { NotFound, ReviewSession } from './session';
import { Store } from '../store/store';
import { analyzeOptions, mergeSettings, readSettings, reviewerOf } from './settings';

/** The method name and the types of a request, as `protocol.ts` declares them (any jsonrpc copy). */
interface RequestSig<P, R> {
  readonly method: string;
  readonly _?: [P, R, ...unknown[]] | undefined;
}

export class LoopholeServer {
  private settings: LoopholeSettings = {};
  private session: ReviewSession | undefined;
  private analysing: AbortController | undefined;
  /** Open `loophole:` documents, by the URI exactly as the client sent it. */
  private readonly documents = new Set<string>();
  /** Work-done progress tokens of running jobs → the job's abort. */
  private readonly progressJobs = new Map<ProgressToken, AbortController>();
  private clientProgress = false;
  private clientLensRefresh = false;
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
      this.settings = mergeSettings(this.settings, readSettings(raw, (m) => c.console.warn(m)));
    });

    this.handle(OpenRequest, P.openParams, (p) => this.open(p.path, p.format));
    this.handle(StateRequest, () => undefined, () => this.session?.info() ?? null);
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
    this.handle(ProblemPanelRequest, P.problemPanelParams, (p) => this.need().problemPanel(p.problemId));
    this.handle(PickRequest, P.pickParams, (p) => {
      const r = this.need().setPick(p.problemId, p.candidateId, reviewerOf(this.settings));
      const ids = [r.previous, r.pick].filter((x): x is string => x !== null);
      if (ids.length) this.changed({ candidateIds: [...new Set(ids)] });
      return { problemId: p.problemId, pick: r.pick };
    });

    registerCuration({ conn: c, need: () => this.need(), handle: this.handle.bind(this), progressJobs: this.progressJobs, clientProgress: () => this.clientProgress });
    registerAgreement({ need: () => this.need(), handle: this.handle.bind(this), settings: () => this.settings });
    this.jobs = new JobsHost({ conn: c, need: () => this.need(), handle: this.handle.bind(this), settings: () => this.settings });

    c.onDidOpenTextDocument((p) => {
      if (!p.textDocument.uri.startsWith(`${CandidateScheme}:`)) return;
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
    c.onHover((p) => this.guard('textDocument/hover', () => {
      const d = this.detailOf(p.textDocument.uri);
      return d ? hoverOf(d, p.position.line, { testsInDiagnostics: !!this.session?.problemSource(d.problem.id) }) : null;
    }));
    c.onCodeLens((p) => this.guard('textDocument/codeLens', () => {
      const d = this.detailOf(p.textDocument.uri);
      return d ? codeLensesOf(d) : [];
    }));
    c.onCodeAction((p) => this.guard('textDocument/codeAction', () => {
      const d = this.detailOf(p.textDocument.uri);
      return d ? codeActionsOf(d, p.context.diagnostics) : [];
    }));

    c.listen();
  }

  // ───────────── lifecycle ─────────────

  private initialize(p: InitializeParams): InitializeResult {
    this.settings = readSettings(p.initializationOptions, (m) => this.conn.console.warn(m));
    this.clientProgress = p.capabilities.window?.workDoneProgress === true;
    this.clientLensRefresh = p.capabilities.workspace?.codeLens?.refreshSupport === true;
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.None },
        hoverProvider: true,
        codeLensProvider: { resolveProvider: false },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
      },
      serverInfo: { name: 'loophole', version: '0.1.0' },
    };
  }

  private initialized(): void {
    // Replaces the library's handler, which only cancels progress the server created through it.
    this.conn.onNotification(WorkDoneProgressCancelNotification.type, (p) => this.progressJobs.get(p.token)?.abort());
    const openPath = this.settings.openPath;
    if (openPath) {
      this.open(openPath).catch((e: unknown) => this.conn.console.error(`opening ${openPath} failed: ${stackOf(e)}`));
    }
  }

  private closeSession(): void {
    this.analysing?.abort();
    this.session?.close();
    this.session = undefined;
  }

  // ───────────── requests ─────────────

  private async open(p: string, format?: string): Promise<OpenResult> {
    if (this.analysing) throw new ResponseError(ErrorCodes.InvalidRequest, 'loophole/open: an analysis is running; cancel it first');
    const abs = path.resolve(p);
    if (!existsSync(abs)) throw new ResponseError(ErrorCodes.InvalidParams, `loophole/open: '${p}' does not exist`);
    const dataDir = dataDirOf(abs);
    const fp = fingerprint(abs);
    const formatKey = format ?? 'auto';
    let issues = unchangedSince(fp, dataDir, formatKey);
    let store: Store;
    if (issues) {
      store = Store.open(dataDir);
    } else {
      const r = await openReviewSet(abs, format ? { format: format as FormatName | 'auto' } : {});
      store = r.store;
      issues = r.issues;
      for (const x of r.skipped) this.conn.console.info(`skipped ${x.file}: ${x.reason}`);
      try {
        recordImport(fp, dataDir, formatKey, r.issues);
      } catch (e) {
        this.conn.console.warn(`could not record the import of ${abs} (the next open re-imports): ${stackOf(e)}`);
      }
    }
    await this.jobs?.detach();
    this.session?.close();
    this.session = new ReviewSession(store, p, dataDir);
    this.jobs?.attach(store, dataDir);
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
    const progress = await this.beginProgress(p.workDoneToken, abort);
    const { options, executed } = analyzeOptions(this.settings, p);
    let lastPct = -1;
    // The classifier (and the LLM judge, when LOOPHOLE_JUDGE_URL/MODEL are set) after the cheap scorers.
    const scorerSet = await defaultScorers({ dbPath: session.store.dbPath, log: (m) => this.conn.console.info(m) });
    try {
      const r = await analyzeStore(session.store, {
        ...options,
        scorers: scorerSet.scorers,
        signal: abort.signal,
        onProgress: ({ done, total, message }) => {
          const pct = total > 0 ? Math.floor((done / total) * 100) : 100;
          if (pct === lastPct && done !== total) return;
          lastPct = pct;
          progress.report({ kind: 'report', percentage: pct, message: `${done}/${total}${message ? ` ${message}` : ''}` });
        },
      });
      if (abort.signal.aborted) throw cancelled();
      for (const m of r.errorMessages ?? []) this.conn.console.warn(`analysis: ${m}`);
      return { analysed: r.analysed, skipped: r.skipped, hacks: r.hacks, errors: r.errors, executed };
    } catch (e) {
      if (abort.signal.aborted) throw cancelled();
      throw e;
    } finally {
      await scorerSet.dispose();
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

  /**
   * Work-done progress on the client's token when it sent one, else on a token the server creates
   * (when the client supports that), else nowhere. Cancelling the progress aborts the job.
   */
  private async beginProgress(
    clientToken: ProgressToken | undefined,
    abort: AbortController,
  ): Promise<{ report(v: WorkDoneProgressReport): void; end(message: string): void }> {
    let token = clientToken;
    if (token === undefined && this.clientProgress) {
      const created = randomUUID();
      try {
        await this.conn.sendRequest(WorkDoneProgressCreateRequest.type, { token: created });
        token = created;
      } catch (e) {
        this.conn.console.warn(`work-done progress unavailable: ${stackOf(e)}`);
      }
    }
    if (token === undefined) return { report: () => undefined, end: () => undefined };
    const t = token;
    this.progressJobs.set(t, abort);
    void this.conn.sendProgress(WorkDoneProgress.type, t, {
      kind: 'begin',
      title: 'Loophole: analysing',
      cancellable: true,
      percentage: 0,
    });
    return {
      report: (v) => void this.conn.sendProgress(WorkDoneProgress.type, t, v),
      end: (message) => {
        this.progressJobs.delete(t);
        void this.conn.sendProgress(WorkDoneProgress.type, t, { kind: 'end', message });
      },
    };
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

  private toResponseError(method: string, e: unknown): ResponseError<void> {
    if (e instanceof ResponseError) return e;
    if (e instanceof NotFound) return new ResponseError(ErrorCodes.InvalidParams, `${method}: ${e.message}`);
    this.conn.console.error(`${method} failed: ${stackOf(e)}`);
    return new ResponseError(ErrorCodes.InternalError, `${method} failed: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function cancelled(): ResponseError<void> {
  return new ResponseError(LSPErrorCodes.RequestCancelled, 'loophole/analyze: cancelled; finished analyses are kept');
}

function stackOf(e: unknown): string {
  return e instanceof Error ? (e.stack ?? e.message) : String(e);
}
