/** Jobs: the queue, the worker contract and the job kinds. */
export * from './types';
export * from './workerProtocol';
export { JobQueue, JobFailure, type JobContext, type JobRunner, type JobQueueOptions } from './queue';
export { JobStore } from './jobStore';
export { WorkerFailure, WorkerRun, runWorker, type WorkerRunOptions, type FailureKind } from './worker';
export { workerPythonPath, workerInterpreter, pipInstallHint } from './python';
export { createJobQueue, evalMetrics, type GenerateJobConfig, type EvalJobConfig, type EvalResult, type VariantEval } from './runners';
export { recontextualizeAndRetrain, type ChainSettings, type ChainResult } from './chain';
export { PRESETS, PRESET_NAMES, type PresetName, type Preset, type TrainSettings } from './presets';
