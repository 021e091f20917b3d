/** Sandboxed execution of candidate code and the coverage evidence drawn from it. */
export { SandboxPool, abortError } from './pool';
export { differentialCoverage } from './coverage';
export { DEFAULT_LIMITS, type Isolation, type RunOptions, type SandboxLimits, type SandboxPoolOptions } from './types';
