import type { CurationExportParams, CurationSpec } from '../../contract/lsp';
import { MAPPINGS, type CurationForm } from '../../contract/webview/curation';

/** The panel's form as the server's curation knobs (the same ones `loophole export` takes). */
export function specOfForm(f: CurationForm): CurationSpec {
  return {
    select: f.select,
    seed: f.seed,
    ...(f.maxScore !== null ? { maxScore: f.maxScore } : {}),
    maxScoreFor: f.maxScoreFor,
    dropReasoningFlags: f.dropReasoningFlags,
    minVisiblePass: f.minVisiblePass,
    stripReasoning: f.stripReasoning,
    mapping: MAPPINGS.find((m) => m.value === f.mapping)?.specs ?? [],
  };
}

export function exportParamsOf(f: CurationForm, force: boolean, workDoneToken: string): CurationExportParams {
  return {
    curation: specOfForm(f),
    format: f.format,
    out: f.out.trim(),
    split: f.split,
    splitSeed: f.splitSeed,
    force,
    workDoneToken,
  };
}
