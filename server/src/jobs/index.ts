/** Jobs: the queue, the worker contract and the job kinds. */
import path from 'node:path';
import type { Store } from '../store/store';
import { chainRunner } from './chain';
import { JobQueue, type JobQueueOptions } from './queue';
import { evalRunner, generateRunner, trainRunner } from './runners';
export * from './workerProtocol';
export { JobQueue, JobFailure, type JobContext, type JobRunner, type JobQueueOptions } from './queue';
export { JobStore } from './jobStore';
export { WorkerFailure, WorkerRun, runWorker, type WorkerRunOptions, type FailureKind } from './worker';
export { workerPythonPath, workerInterpreter, pipInstallHint } from './python';
export { evalMetrics, type GenerateJobConfig, type EvalJobConfig } from './runners';
export { recontextualizeAndRetrain, type ChainSettings } from './chain';
export { PRESETS, type Preset, type TrainSettings } from './presets';

/** A queue over `store` with every job kind; job outputs go to `jobs/` beside the database. */
export function createJobQueue(store: Store, opts: Partial<Omit<JobQueueOptions, 'db'>> = {}): JobQueue {
  return new JobQueue({
    db: store.db,
    jobsDir: opts.jobsDir ?? path.join(path.dirname(store.dbPath), 'jobs'),
    runners: { generate: generateRunner(store), train: trainRunner(), eval: evalRunner(store), chain: chainRunner(store), ...opts.runners },
    ...(opts.devices ? { devices: opts.devices } : {}),
    ...(opts.worker ? { worker: opts.worker } : {}),
  });
}
