/** Sandboxed execution of candidate code and the coverage evidence drawn from it. */
export { SandboxPool, abortError } from './pool';
export { differentialCoverage, executionEvidence } from './coverage';
export { fittedBoundaries, shownRuns, wrongTestTies, type BoundaryRun } from './boundaries';
export { compareStdout } from './pool';
export {
  DEFAULT_LIMITS,
  IsolationUnavailableError,
  type Isolation,
  type IsolationSetting,
  type RawCall,
  type RawCallResult,
  type RunOptions,
  type SandboxLimits,
  type SandboxPoolOptions,
} from './types';
