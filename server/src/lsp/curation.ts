/**
 * The curation requests of the language server (`loophole/curationCounts`, `loophole/curationPreview`,
 * `loophole/curationExport`) over the open session, through the service's curation entries. The server
 * registers them with one call to `registerCuration`, handing over its request plumbing (param
 * validation, the one error mapping of `errors.ts`) and its progress-token registry so that
 * `window/workDoneProgress/cancel` stops an export like an analysis.
 *
 * The store is read synchronously between yields, so a verdict stored while counts run is either seen
 * or not, never half.
 */
import path from 'node:path';
import { type CancellationToken, ErrorCodes, ResponseError } from 'vscode-languageserver/node';
import { DEFAULT_CURATION_OPTIONS, FORMAT_NAMES, REASONING_FLAGS, stripThink, type CurationOptions, type ReasoningFlag } from '../curation';
import { curationCounts, curationPreview, exportCurated, type ReviewSession, variantsOf } from '../service';
import { ParamReader } from './params';
import { type ProgressHost, beginProgress } from './progress';
import {
  CurationCountsRequest,
  type CurationCountsParams,
  type CurationCountsResult,
  CurationExportRequest,
  type CurationExportParams,
  type CurationExportResult,
  type CurationFormat,
  CurationPreviewRequest,
  type CurationPreviewParams,
  type CurationPreviewResult,
  type CurationSpec,
} from './protocol';

/** What the server lends the curation handlers. */
export interface CurationHost extends ProgressHost {
  /** The open session, or a `ResponseError(InvalidRequest)` when none is open. */
  need(): ReviewSession;
  /** The server's request registration: params parsed by `parse`, errors mapped to ResponseErrors. */
  handle<P, R>(type: { readonly method: string }, parse: (raw: unknown) => P, fn: (p: P, token: CancellationToken) => R | Promise<R>): void;
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
  const variants = variantsOf(session);
  const { signal, dispose } = abortOn(token);
  try {
    const { stats, scorers } = await curationCounts(session, opts, { signal, every: 64 });
    return { stats, scorers, variants: [...variants.keys()].sort() };
  } finally {
    dispose();
  }
}

async function preview(session: ReviewSession, p: CurationPreviewParams, token: CancellationToken): Promise<CurationPreviewResult> {
  const opts = optionsOf(p.curation);
  const { signal, dispose } = abortOn(token);
  try {
    const { report, rows } = await curationPreview(session, {
      curation: opts,
      mapping: p.curation?.mapping ?? [],
      limit: p.limit ?? 3,
      format: p.format ?? 'chat',
      signal,
    });
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
  const progress = await beginProgress(host, 'Loophole: exporting', p.workDoneToken, abort);
  const total = Math.max(1, session.candidateCount());
  let lastPct = -1;
  try {
    const r = await exportCurated(session, {
      format: p.format,
      out: path.resolve(session.dataDir, p.out),
      split: p.split ?? 0,
      seed: p.splitSeed ?? opts.seed,
      curation: opts,
      mapping: p.curation?.mapping ?? [],
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
  } finally {
    sub.dispose();
    progress.end(abort.signal.aborted ? 'cancelled' : 'done');
  }
}

function abortOn(token: CancellationToken): { signal: AbortSignal; dispose: () => void } {
  const abort = new AbortController();
  if (token.isCancellationRequested) abort.abort();
  const sub = token.onCancellationRequested(() => abort.abort());
  return { signal: abort.signal, dispose: () => sub.dispose() };
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
