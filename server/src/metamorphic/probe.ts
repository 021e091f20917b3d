/**
 * The one place metamorphic execution meets the sandbox: run a candidate on inputs of our own and get
 * back what it printed or returned, each probe in its own process under the pool's isolation and limits.
 * Where the pool offers raw calls (`runCalls`: the call's serialised value, a program's stdout) those are
 * used; otherwise each probe is a test of a problem made for the purpose, run by `runCandidate`, and its
 * result message says what came back.
 */
import type { BoundaryHit, Problem, Test, TestResult } from '../../../contract/domain';
import type { SandboxPool } from '../execution';

/** What one probe gave. `value`: the `repr` of a function's return (possibly shortened). */
export type ProbeOutcome = (
  | { readonly kind: 'output'; readonly text: string; readonly matches: boolean }
  | { readonly kind: 'value'; readonly repr: string }
  | { readonly kind: 'error'; readonly message: string }
  | { readonly kind: 'timeout' }
) & {
  /** With coverage: the 1-based candidate lines the probe executed, and the statements sharing a line
   *  with an earlier one (`"line:column"`) that it executed. */
  readonly lines?: readonly number[];
  readonly segments?: readonly string[];
  /** With coverage: the comparisons with literals this probe evaluated (see `TestResult.bounds`). */
  readonly bounds?: readonly BoundaryHit[];
};

export interface StdinProbe {
  readonly input: string;
  /** The output the shown examples imply; `matches` says whether the program printed it. */
  readonly expectedOutput: string;
}

export interface ProbeRunner {
  stdin(problem: Problem, code: string, probes: readonly StdinProbe[], signal?: AbortSignal, coverage?: boolean): Promise<ProbeOutcome[]>;
  /** `calls`: Python call expressions (`f(3, [1, 2])`). */
  call(problem: Problem, code: string, calls: readonly string[], signal?: AbortSignal): Promise<ProbeOutcome[]>;
}

/** An expected value no return value can equal (a fresh object), so the sandbox reports what it got. */
const NEVER = '__import__("builtins").object()';

/** The raw-call API of pools that have it (values and stdout, nothing compared). */
interface RawCalls {
  runCalls(
    style: 'function' | 'stdio',
    code: string,
    calls: readonly ({ kind: 'call'; exprs: readonly string[] } | { kind: 'stdin'; input: string })[],
    opts?: { signal?: AbortSignal; coverage?: boolean; files?: readonly { name: string; content: string }[] },
  ): Promise<
    readonly {
      status: 'ok' | 'raised' | 'error' | 'timeout';
      values?: readonly string[];
      stdout?: string;
      message?: string;
      lines?: readonly number[];
      segments?: readonly string[];
      bounds?: readonly BoundaryHit[];
    }[]
  >;
}

/** Lines without trailing whitespace, trailing blank lines dropped: how stdout is compared. */
export function sameOutput(expected: string, got: string): boolean {
  const norm = (t: string) => {
    const lines = t
      .replace(/\r\n/g, '\n')
      .split('\n')
      .map((l) => l.trimEnd());
    while (lines.length && !lines[lines.length - 1]) lines.pop();
    return lines.join('\n');
  };
  return norm(expected) === norm(got);
}

export function poolProbeRunner(pool: SandboxPool): ProbeRunner {
  const raw = (pool as unknown as Partial<RawCalls>).runCalls ? (pool as unknown as RawCalls) : undefined;
  if (raw) {
    return {
      async stdin(problem, code, probes, signal, coverage) {
        const out = await raw.runCalls(
          'stdio',
          code,
          probes.map((p) => ({ kind: 'stdin' as const, input: p.input })),
          { coverage: coverage ?? false, ...(signal ? { signal } : {}), ...(problem.files ? { files: problem.files } : {}) },
        );
        return out.map((r, i): ProbeOutcome => {
          const cov = {
            ...(r.lines ? { lines: r.lines } : {}),
            ...(r.segments ? { segments: r.segments } : {}),
            ...(r.bounds ? { bounds: r.bounds } : {}),
          };
          if (r.status === 'timeout') return { kind: 'timeout', ...cov };
          if (r.status !== 'ok') return { kind: 'error', message: r.message ?? r.status, ...cov };
          const text = r.stdout ?? '';
          return { kind: 'output', text, matches: sameOutput(probes[i]!.expectedOutput, text), ...cov };
        });
      },
      async call(problem, code, calls, signal) {
        const out = await raw.runCalls(
          'function',
          code,
          calls.map((c) => ({ kind: 'call' as const, exprs: [c] })),
          { ...(signal ? { signal } : {}), ...(problem.files ? { files: problem.files } : {}) },
        );
        return out.map((r): ProbeOutcome => {
          if (r.status === 'timeout') return { kind: 'timeout' };
          if (r.status === 'ok' && r.values?.length) return { kind: 'value', repr: r.values[0]! };
          return { kind: 'error', message: r.message ?? r.status };
        });
      },
    };
  }
  const run = (problem: Problem, code: string, tests: Test[], signal?: AbortSignal, coverage = false): Promise<TestResult[]> => {
    const { referenceSolution: _withheld, ...rest } = problem;
    return pool.runCandidate({ ...rest, tests }, code, { coverage, ...(signal ? { signal } : {}) });
  };
  return {
    async stdin(problem, code, probes, signal, coverage) {
      const tests: Test[] = probes.map((p, i) => ({
        kind: 'stdio',
        id: `m${i}`,
        role: 'visible',
        input: p.input,
        expectedOutput: p.expectedOutput,
      }));
      const results = await run(problem, code, tests, signal, coverage);
      return results.map((r, i) => ({
        ...stdinOutcome(r, probes[i]!.expectedOutput),
        ...(r.lines ? { lines: r.lines } : {}),
        ...(r.segments ? { segments: r.segments } : {}),
        ...(r.bounds ? { bounds: r.bounds } : {}),
      }));
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
