/** Jobs: the queue, the worker contract and the job kinds. */
export * from './workerProtocol';
export { JobQueue, JobFailure, type JobContext, type JobRunner, type JobQueueOptions } from './queue';
export { JobStore } from './jobStore';
export { WorkerFailure, WorkerRun, runWorker, type WorkerRunOptions, type FailureKind } from './worker';
export { workerPythonPath, workerInterpreter, pipInstallHint } from './python';
export { createJobQueue, evalMetrics, type GenerateJobConfig, type EvalJobConfig } from './runners';
export { recontextualizeAndRetrain, type ChainSettings } from './chain';
export { PRESETS, type Preset, type TrainSettings } from './presets';
