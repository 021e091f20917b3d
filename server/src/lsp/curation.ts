/**
 * The curation requests of the language server (`loophole/curationCounts`, `loophole/curationPreview`,
 * `loophole/curationExport`) over the open session's store. The server registers them with one call
 * to `registerCuration`, handing over its request plumbing (param validation, error mapping) and its
 * progress-token registry so that `window/workDoneProgress/cancel` stops an export like an analysis.
 *
 * Errors: a `CurationError` (bad variant or mapping, nothing to export, an output that exists) becomes
 * `ResponseError(InvalidParams, message)`, the message unchanged; cancellation becomes
 * `RequestCancelled`. The store is read synchronously between yields, so a verdict stored while counts
 * run is either seen or not, never half.
 */
import { mkdirSync, rmdirSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import {
  type CancellationToken,
  type Connection,
  ErrorCodes,
  LSPErrorCodes,
  type ProgressToken,
  ResponseError,
  WorkDoneProgress,
  WorkDoneProgressCreateRequest,
} from 'vscode-languageserver/node';
import {
  CurationError,
  curationCountsAsync,
  DEFAULT_CURATION_OPTIONS,
  exportDataset,
  FORMAT_NAMES,
  loadVariants,
  OutputExistsError,
  parseMapping,
  previewRows,
  REASONING_FLAGS,
  recontextualizePreview,
  storeSource,
  stripThink,
  variantsFileFor,
  type CurationItem,
  type CurationOptions,
  type CurationSource,
  type ReasoningFlag,
} from '../curation';
import { ParamReader } from './params';
import {
  CurationCountsRequest,
  type CurationCountsParams,
  type CurationCountsResult,
  CurationExportRequest,
  type CurationExportParams,
  type CurationExportResult,
  type CurationFormat,
  type CurationOutputExists,
  CurationPreviewRequest,
  type CurationPreviewParams,
  type CurationPreviewResult,
  type CurationSpec,
} from './protocol';
import type { ReviewSession } from '../service/session';

/** What the server lends the curation handlers. */
export interface CurationHost {
  readonly conn: Connection;
  /** The open session, or a `ResponseError(InvalidRequest)` when none is open. */
  need(): ReviewSession;
  /** The server's request registration: params parsed by `parse`, errors mapped to ResponseErrors. */
  handle<P, R>(type: { readonly method: string }, parse: (raw: unknown) => P, fn: (p: P, token: CancellationToken) => R | Promise<R>): void;
  /** Work-done progress tokens of running jobs → their abort (cancel notifications look here). */
  readonly progressJobs: Map<ProgressToken, AbortController>;
  /** Whether the client accepts `window/workDoneProgress/create`. */
  clientProgress(): boolean;
}

const PREVIEW_MAX = 50;

export function registerCuration(host: CurationHost): void {
  host.handle(CurationCountsRequest, countsParams, (p, token) => counts(host.need(), p, token));
  host.handle(CurationPreviewRequest, previewParams, (p, token) => preview(host.need(), p, token));
  host.handle(CurationExportRequest, exportParams, (p, token) => exportSet(host, host.need(), p, token));
}

// ───────────── handlers ─────────────

async function counts(session: ReviewSession, p: CurationCountsParams, token: CancellationToken): Promise<CurationCountsResult> {
  const opts = optionsOf(p.curation);
  const variants = guard(() => loadVariants(variantsFileFor(session.dataDir)));
  const scorers = new Set<string>();
  function* noting(items: Iterable<CurationItem>): Generator<CurationItem> {
    for (const item of items) {
      for (const s of item.analysis?.scores ?? []) scorers.add(s.scorer);
      yield item;
    }
  }
  const { signal, dispose } = abortOn(token);
  try {
    const stats = await curationCountsAsync(noting(storeSource(session.store).items()), opts, { signal, every: 64 });
    return { stats, scorers: [...scorers].sort(), variants: [...variants.keys()].sort() };
  } catch (e) {
    throw mapError('loophole/curationCounts', e, signal);
  } finally {
    dispose();
  }
}

function preview(session: ReviewSession, p: CurationPreviewParams, token: CancellationToken): CurationPreviewResult {
  const opts = optionsOf(p.curation);
  const limit = p.limit ?? 3;
  const { signal, dispose } = abortOn(token);
  try {
    const variants = loadVariants(variantsFileFor(session.dataDir));
    const mapping = parseMapping(p.curation?.mapping ?? [], variants);
    const source: CurationSource = storeSource(session.store);
    const report = recontextualizePreview(source, { curation: opts, mapping, variants, limit, signal });
    const rows = previewRows(source, { curation: opts, format: p.format ?? 'chat', mapping, variants, limit }).map((r) => r.data);
    return {
      counts: report.counts,
      selected: report.selected,
      samples: report.samples.map((s) => ({
        candidateId: s.candidateId,
        problemId: s.problemId,
        generationVariant: s.generationVariant,
        trainingVariant: s.trainingVariant,
        generated: s.before,
        trained: s.after,
        completion: opts.stripReasoning ? stripThink(s.completion) : s.completion,
      })),
      rows,
    };
  } catch (e) {
    throw mapError('loophole/curationPreview', e, signal);
  } finally {
    dispose();
  }
}

async function exportSet(
  host: CurationHost,
  session: ReviewSession,
  p: CurationExportParams,
  token: CancellationToken,
): Promise<CurationExportResult> {
  const opts = optionsOf(p.curation);
  const abort = new AbortController();
  const sub = token.onCancellationRequested(() => abort.abort());
  const progress = await beginProgress(host, p.workDoneToken, abort);
  const total = Math.max(1, session.store.candidateCount());
  let lastPct = -1;
  let createdDir: string | undefined;
  try {
    const variants = loadVariants(variantsFileFor(session.dataDir));
    const mapping = parseMapping(p.curation?.mapping ?? [], variants);
    const out = path.resolve(session.dataDir, p.out);
    createdDir = mkdirSync(path.dirname(out), { recursive: true });
    const r = await exportDataset(storeSource(session.store), {
      format: p.format,
      out,
      split: p.split ?? 0,
      seed: p.splitSeed ?? opts.seed,
      curation: opts,
      variants,
      mapping,
      force: p.force === true,
      signal: abort.signal,
      reviewSet: path.basename(session.path),
      onProgress: (done) => {
        const pct = Math.min(100, Math.floor((done / total) * 100));
        if (pct === lastPct) return;
        lastPct = pct;
        progress.report(pct, `${done}/${total} candidates`);
      },
    });
    return { files: r.files, rows: r.rows, problems: r.problems, stats: r.stats, recontextualized: r.recontextualized };
  } catch (e) {
    // a folder made for this export goes again when the export leaves nothing in it
    if (createdDir) removeEmptyDirs(path.dirname(path.resolve(session.dataDir, p.out)), createdDir);
    throw mapError('loophole/curationExport', e, abort.signal);
  } finally {
    sub.dispose();
    progress.end(abort.signal.aborted ? 'cancelled' : 'done');
  }
}

/** Removes `dir` and its parents up to `top`, stopping at the first that is not empty. */
function removeEmptyDirs(dir: string, top: string): void {
  for (let d = dir; d.startsWith(top); d = path.dirname(d)) {
    try {
      rmdirSync(d);
    } catch {
      return;
    }
    if (d === top) return;
  }
}

// ───────────── progress, cancellation, errors ─────────────

interface Progress {
  report(percentage: number, message: string): void;
  end(message: string): void;
}

/** Progress on the client's token, else on one the server creates when the client allows it. */
async function beginProgress(host: CurationHost, clientToken: ProgressToken | undefined, abort: AbortController): Promise<Progress> {
  let token = clientToken;
  if (token === undefined && host.clientProgress()) {
    const created = randomUUID();
    try {
      await host.conn.sendRequest(WorkDoneProgressCreateRequest.type, { token: created });
      token = created;
    } catch {
      token = undefined;
    }
  }
  if (token === undefined) return { report: () => undefined, end: () => undefined };
  const t = token;
  host.progressJobs.set(t, abort);
  void host.conn.sendProgress(WorkDoneProgress.type, t, { kind: 'begin', title: 'Loophole: exporting', cancellable: true, percentage: 0 });
  return {
    report: (percentage, message) => void host.conn.sendProgress(WorkDoneProgress.type, t, { kind: 'report', percentage, message }),
    end: (message) => {
      host.progressJobs.delete(t);
      void host.conn.sendProgress(WorkDoneProgress.type, t, { kind: 'end', message });
    },
  };
}

function abortOn(token: CancellationToken): { signal: AbortSignal; dispose: () => void } {
  const abort = new AbortController();
  if (token.isCancellationRequested) abort.abort();
  const sub = token.onCancellationRequested(() => abort.abort());
  return { signal: abort.signal, dispose: () => sub.dispose() };
}

function mapError(method: string, e: unknown, signal: AbortSignal): unknown {
  if (signal.aborted) return new ResponseError(LSPErrorCodes.RequestCancelled, `${method}: cancelled`);
  if (e instanceof OutputExistsError) {
    const data: CurationOutputExists = { kind: 'outputExists', path: e.target };
    return new ResponseError(ErrorCodes.InvalidParams, `${e.target} already exists; export again with overwrite to replace it`, data);
  }
  if (e instanceof CurationError) return new ResponseError(ErrorCodes.InvalidParams, e.message);
  return e;
}

function guard<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof CurationError) throw new ResponseError(ErrorCodes.InvalidParams, e.message);
    throw e;
  }
}

// ───────────── params ─────────────

function optionsOf(spec: CurationSpec | undefined): CurationOptions {
  const d = DEFAULT_CURATION_OPTIONS;
  return {
    select: spec?.select ?? d.select,
    seed: spec?.seed ?? d.seed,
    ...(spec?.maxScore !== undefined ? { maxScore: spec.maxScore } : {}),
    maxScoreFor: { ...(spec?.maxScoreFor ?? {}) },
    dropReasoningFlags: [...new Set(spec?.dropReasoningFlags ?? [])],
    minVisiblePass: spec?.minVisiblePass ?? d.minVisiblePass,
    stripReasoning: spec?.stripReasoning ?? d.stripReasoning,
    unsure: spec?.unsure ?? d.unsure,
  };
}

function specOf(method: string, r: ParamReader): CurationSpec | undefined {
  const c = r.optObject('curation');
  if (!c) return undefined;
  const where = `${method} curation`;
  const maxScoreFor = scorerLimits(where, c.raw('maxScoreFor'));
  const flags = stringArray(where, 'dropReasoningFlags', c.raw('dropReasoningFlags'));
  for (const f of flags ?? []) {
    if (!(REASONING_FLAGS as readonly string[]).includes(f)) {
      throw invalid(
        where,
        `'dropReasoningFlags' entries must be one of ${REASONING_FLAGS.map((x) => `'${x}'`).join(', ')}, got ${JSON.stringify(f)}`,
      );
    }
  }
  const mapping = stringArray(where, 'mapping', c.raw('mapping'));
  return strip({
    select: c.optEnum('select', ['best', 'random', 'all'] as const),
    seed: c.optNumber('seed', 0, 2 ** 32 - 1, true),
    maxScore: c.optNumber('maxScore', 0, 1),
    maxScoreFor,
    dropReasoningFlags: flags as ReasoningFlag[] | undefined,
    minVisiblePass: c.optNumber('minVisiblePass', 0, 1),
    stripReasoning: c.optBoolean('stripReasoning'),
    unsure: c.optEnum('unsure', ['scorers', 'exclude', 'include'] as const),
    mapping,
  });
}

export function countsParams(p: unknown): CurationCountsParams {
  const method = 'loophole/curationCounts';
  return strip({ curation: specOf(method, ParamReader.of(method, p ?? {})) });
}

export function previewParams(p: unknown): CurationPreviewParams {
  const method = 'loophole/curationPreview';
  const r = ParamReader.of(method, p ?? {});
  return strip({
    curation: specOf(method, r),
    format: r.optEnum('format', FORMAT_NAMES as readonly CurationFormat[]),
    limit: r.optNumber('limit', 0, PREVIEW_MAX, true),
  });
}

export function exportParams(p: unknown): CurationExportParams {
  const method = 'loophole/curationExport';
  const r = ParamReader.of(method, p);
  const token = r.raw('workDoneToken');
  if (token !== undefined && typeof token !== 'string' && typeof token !== 'number') {
    throw invalid(method, `'workDoneToken' must be a string or an integer`);
  }
  const split = r.optNumber('split', 0, 1);
  if (split !== undefined && split >= 1) throw invalid(method, `'split' must be at least 0 and below 1, got ${split}`);
  return {
    ...strip({
      curation: specOf(method, r),
      split,
      splitSeed: r.optNumber('splitSeed', 0, 2 ** 32 - 1, true),
      force: r.optBoolean('force'),
      workDoneToken: token as string | number | undefined,
    }),
    format: r.enum('format', FORMAT_NAMES as readonly CurationFormat[]),
    out: r.string('out'),
  };
}

function scorerLimits(where: string, v: unknown): Record<string, number> | undefined {
  if (v === undefined) return undefined;
  if (v === null || typeof v !== 'object' || Array.isArray(v))
    throw invalid(where, `'maxScoreFor' must be an object of scorer name → limit`);
  const out: Record<string, number> = {};
  for (const [name, limit] of Object.entries(v)) {
    if (typeof limit !== 'number' || !(limit >= 0 && limit <= 1)) throw invalid(where, `'maxScoreFor.${name}' must be a number in [0, 1]`);
    out[name] = limit;
  }
  return out;
}

function stringArray(where: string, name: string, v: unknown): string[] | undefined {
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw invalid(where, `'${name}' must be an array of strings`);
  return v as string[];
}

function invalid(where: string, message: string): ResponseError<void> {
  return new ResponseError(ErrorCodes.InvalidParams, `${where}: ${message}`);
}

function strip<T extends object>(o: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as { [K in keyof T]: Exclude<T[K], undefined> };
}
