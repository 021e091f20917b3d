/**
 * Curation: from reviewed samples to a training set. The public surface for the CLI and the
 * language server (the VS Code curation panel):
 *
 * - `curationCounts(items, options)` / `curationCountsAsync(…)` — live counts for a filter setting
 *   (per-stage removals, hack rates before and after each filter, selected, skipped problems)
 * - `previewRows(source, …)` — the first rows an export would write
 * - `recontextualizePreview(source, …)` — prompts before/after for the selected samples
 * - `exportDataset(source, …)` — the files, the provenance sidecar and the dataset card
 * - `loadVariants(file?)`, `parseMapping(specs, variants)` — prompt variants and the training mapping
 * - `storeSource(store)` — the store as a source
 */
export * from '../../../contract/curation';
export { CurationError } from './errors';
export { curateStream, curationCounts, curationCountsAsync, groupByProblem, CurationInputError, type CuratedProblem } from './curate';
export { referenceLabel, rejectingStage, visiblePassRate, testCounts, type ReferenceLabel } from './filters';
export { select, compareBest, compareReward, shownPassRate } from './select';
export { reasoningFlagOf, reasoningFlags, stripThink } from './reasoning';
export { validationProblems } from './split';
export * from './variants';
export * from './recontextualize';
export { storeSource, arraySource, type CurationStore } from './storeSource';
export { previewRows, recontextualizePreview, type PreviewRow, type RecontextualizedSample, type RecontextualizeReport } from './preview';
export { exportDataset, exportPaths, type ExportOptions, type ExportResult, type ExportFiles } from './export/run';
export { FORMATS, FORMAT_NAMES, type FormatName, type Provenance } from './export/formats';
export { OutputExistsError, type OpenSink, type FileSink } from './export/atomicFile';
export { renderCard } from './export/card';
