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
import type { CancellationToken } from 'vscode-languageserver/node';
import { DEFAULT_CURATION_OPTIONS, stripThink, type CurationOptions } from '../curation';
import { curationCounts, curationPreview, exportCurated, type ReviewSession, variantsOf } from '../service';
import { paramsOf } from './params';
import { type ProgressHost, beginProgress } from './progress';
import {
  CurationCountsRequest,
  CurationCountsParams,
  type CurationCountsResult,
  CurationExportRequest,
  CurationExportParams,
  type CurationExportResult,
  CurationPreviewRequest,
  CurationPreviewParams,
  type CurationPreviewResult,
  type CurationSpec,
} from '../../../contract/lsp';

/** What the server lends the curation handlers. */
export interface CurationHost extends ProgressHost {
  /** The open session, or a `ResponseError(InvalidRequest)` when none is open. */
  need(): ReviewSession;
  /** The server's request registration: params parsed by `parse`, errors mapped to ResponseErrors. */
  handle<P, R>(type: { readonly method: string }, parse: (raw: unknown) => P, fn: (p: P, token: CancellationToken) => R | Promise<R>): void;
}

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

export const countsParams = paramsOf('loophole/curationCounts', CurationCountsParams, true);
export const previewParams = paramsOf('loophole/curationPreview', CurationPreviewParams, true);
export const exportParams = paramsOf('loophole/curationExport', CurationExportParams);
