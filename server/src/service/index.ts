/**
 * The service layer: everything the adapters (`lsp/`, the language server; `cli/`, the command line)
 * do with a review set goes through here. It owns the store handle and every SQL statement outside
 * `store/`; the adapters translate requests and arguments into these calls and `failureOf`'s kinds
 * into their own conventions, and import nothing from `store/`.
 */
export { type AgreementOptions, type AgreementReport, agreementReport, setAgreement } from './agreement';
export { type AnalyzeRequest, type AnalyzeSummary, analyzeSet } from './analyze';
export {
  type CurationSet,
  curationCounts,
  curationPreview,
  type ExportRequest,
  exportCurated,
  type PreviewRequest,
  variantsOf,
} from './curation';
export { dataDirOf, dataDirOfStore, holdsReviewSet, StoreFileName, stateDirOf, storeFileOf } from './dataFolder';
export { BadInput, Cancelled, type Failure, failureOf, NotFound, Unavailable } from './errors';
export { CandidateFilesDir, candidateFilePath, ensureCandidateFile, parseCandidateFileUri, problemTitle, safeName } from './files';
export {
  DeviceProbe,
  finishedEvaluation,
  type JobEvent,
  type JobQueue,
  type JobRecord,
  type JobState,
  JobService,
  jobQueueFor,
} from './jobs';
export { type JudgeRequest, type JudgeSummary, judgeSet, type ResolvedJudgeSettings, resolveJudgeSettings } from './judge';
export {
  type Imported,
  type ImportOptions,
  importSet,
  type OpenedStore,
  openAnalysedStore,
  openForReview,
  openStore,
  requireAnalysed,
  type ReviewOpening,
  type Store,
  type StoreRequest,
} from './reviewSets';
export { ReviewSession } from './session';
export { type ImportReport, importVerdicts, type VerdictSource, verdictLines } from './verdicts';
