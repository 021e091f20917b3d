/**
 * The one place metamorphic execution meets the sandbox: run a candidate on inputs of our own and get
 * back what it printed or returned. Built on `SandboxPool.runCandidate` (each probe a test of a
 * problem made for the purpose, in its own process, under the same limits); when the sandbox returns
 * serialised results itself, only this file changes.
 */
import type { Problem, Test, TestResult } from '../core/types';
import type { SandboxPool } from '../execution';

/** What one probe gave. `value`: the `repr` of a function's return (possibly shortened). */
export type ProbeOutcome =
  | { readonly kind: 'output'; readonly text: string; readonly matches: boolean }
  | { readonly kind: 'value'; readonly repr: string }
  | { readonly kind: 'error'; readonly message: string }
  | { readonly kind: 'timeout' };

export interface StdinProbe {
  readonly input: string;
  /** The output the shown examples imply; `matches` says whether the program printed it. */
  readonly expectedOutput: string;
}

export interface ProbeRunner {
  stdin(problem: Problem, code: string, probes: readonly StdinProbe[], signal?: AbortSignal): Promise<ProbeOutcome[]>;
  /** `calls`: Python call expressions (`f(3, [1, 2])`). */
  call(problem: Problem, code: string, calls: readonly string[], signal?: AbortSignal): Promise<ProbeOutcome[]>;
}

/** An expected value no return value can equal (a fresh object), so the sandbox reports what it got. */
const NEVER = '__import__("builtins").object()';

export function poolProbeRunner(pool: SandboxPool): ProbeRunner {
  const run = (problem: Problem, code: string, tests: Test[], signal?: AbortSignal): Promise<TestResult[]> =>
    pool.runCandidate({ ...problem, tests, referenceSolution: undefined } as Problem, code, { coverage: false, ...(signal ? { signal } : {}) });
  return {
    async stdin(problem, code, probes, signal) {
      const tests: Test[] = probes.map((p, i) => ({ kind: 'stdio', id: `m${i}`, role: 'visible', input: p.input, expectedOutput: p.expectedOutput }));
      const results = await run(problem, code, tests, signal);
      return results.map((r, i) => stdinOutcome(r, probes[i]!.expectedOutput));
    },
    async call(problem, code, calls, signal) {
      const tests: Test[] = calls.map((c, i) => ({ kind: 'assert', id: `m${i}`, role: 'visible', code: `assert ${c} == ${NEVER}` }));
      const results = await run(problem, code, tests, signal);
      return results.map(callOutcome);
    },
  };
}

function stdinOutcome(r: TestResult, expected: string): ProbeOutcome {
  if (r.outcome === 'pass') return { kind: 'output', text: expected, matches: true };
  if (r.outcome === 'timeout') return { kind: 'timeout' };
  if (r.outcome === 'fail') {
    // "expected "…", got "…"" (JSON strings)
    const m = /, got ("(?:[^"\\]|\\.)*")\s*$/.exec(r.message ?? '');
    if (m) {
      try {
        return { kind: 'output', text: JSON.parse(m[1]!) as string, matches: false };
      } catch {
        /* fall through */
      }
    }
    return { kind: 'output', text: r.message ?? '', matches: false };
  }
  return { kind: 'error', message: r.message ?? 'error' };
}

function callOutcome(r: TestResult): ProbeOutcome {
  if (r.outcome === 'timeout') return { kind: 'timeout' };
  if (r.outcome === 'fail') {
    const at = (r.message ?? '').lastIndexOf(' — got ');
    if (at >= 0) return { kind: 'value', repr: r.message!.slice(at + ' — got '.length) };
    return { kind: 'error', message: r.message ?? 'failed' };
  }
  if (r.outcome === 'pass') return { kind: 'value', repr: '<equal to a fresh object>' };
  return { kind: 'error', message: r.message ?? 'error' };
}
