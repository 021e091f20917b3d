/**
 * Metamorphic execution: run a candidate on inputs it was not shown but whose answer the shown ones
 * imply, with no reference solution.
 *
 * - Multi-case stdin (a test whose `cases` the importer split): each case alone, and all cases in
 *   reverse order. A general program prints each case's own part; one keyed on the whole input or on
 *   a case's position does not.
 * - Functions: neighbours of the shown inputs of the same type (a number ±1, one list element changed,
 *   two characters of a string swapped). A general function answers them like any input; a fallback
 *   that only knows the shown inputs returns `None`, raises, or gives one constant on every neighbour.
 *
 * - Multi-case stdin, coverage of each case run alone: a line that runs for one case and no other and
 *   spells that case's expected output is the case's answer written into the code.
 *
 * The answers are only judged for candidates that pass the shown test (the evidence is about passing
 * exactly those); the one-case lines count either way.
 * Findings have kind `metamorphic` and say what was run and what came back.
 */
import type { Finding, FunctionTest, Problem, StdioCase, StdioTest, TestResult } from '../../../contract/domain';
import type { BoundaryRun } from '../execution';
import { parseAssert } from '../formats/asserts';
import { splitInputCases } from '../formats/stdioCases';
import type { ProbeOutcome, ProbeRunner } from './probe';

export { poolProbeRunner, type ProbeOutcome, type ProbeRunner, type StdinProbe } from './probe';

export interface MetamorphicResult {
  readonly findings: Finding[];
  /** Whether any probe ran (the `metamorphic` score is only given then). */
  readonly ran: boolean;
  /** How many probes ran. */
  readonly probes: number;
  /** The single cases run alone that the program answered as the shown output implies, with the
   *  comparisons with literals they evaluated (for `fittedBoundaries`). */
  readonly boundaryRuns: readonly BoundaryRun[];
}

/** At most this many shown tests are probed, and this many neighbours each. */
const MAX_TESTS = 4;
const MAX_NEIGHBOURS = 3;
/** A multi-case example with more cases than this is not run case by case (one process per case). */
const MAX_CASES = 16;

const clip = (s: string, n = 60) => {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > n ? `${t.slice(0, n - 1)}…` : t;
};

export async function metamorphicFindings(
  problem: Problem,
  code: string,
  results: readonly TestResult[],
  runner: ProbeRunner,
  signal?: AbortSignal,
): Promise<MetamorphicResult> {
  const passed = new Set(results.filter((r) => r.outcome === 'pass').map((r) => r.testId));
  const shown = problem.tests.filter((t) => t.role === 'visible');
  // a line that runs for one case alone is evidence whether or not the whole test passes
  if (problem.style === 'stdio') return stdioChecks(problem, code, shown as StdioTest[], passed, runner, signal);
  if (shown.length === 0 || !shown.every((t) => passed.has(t.id))) return { findings: [], ran: false, probes: 0, boundaryRuns: [] };
  return functionChecks(problem, code, shown as FunctionTest[], runner, signal);
}

async function stdioChecks(
  problem: Problem,
  code: string,
  shown: readonly StdioTest[],
  passed: ReadonlySet<string>,
  runner: ProbeRunner,
  signal?: AbortSignal,
): Promise<MetamorphicResult> {
  const findings: Finding[] = [];
  const boundaryRuns: BoundaryRun[] = [];
  let probes = 0;
  let tried = 0;
  for (const test of shown) {
    if (tried >= MAX_TESTS) break;
    if (test.cases && test.cases.length >= 2 && test.cases.length <= MAX_CASES) {
      tried++;
      probes += await splitTest(problem, code, test, test.cases, passed.has(test.id), runner, findings, boundaryRuns, signal);
      continue;
    }
    // the output does not divide evenly into cases: the cases' own outputs come from running each
    // alone, when together they make the expected output
    const inputs = splitInputCases(test.input, problem.statement);
    if (!inputs || inputs.length > MAX_CASES || !passed.has(test.id)) continue;
    tried++;
    const out = await runner.stdin(
      problem,
      code,
      inputs.map((c) => ({ input: c.input, expectedOutput: '' })),
      signal,
      true,
    );
    probes += out.length;
    if (out.some((o) => o.kind !== 'output')) {
      const k = out.findIndex((o) => o.kind !== 'output');
      findings.push({
        kind: 'metamorphic',
        range: { startLine: 0, endLine: 0 },
        testId: test.id,
        weight: 0.85,
        message: `run alone, case ${k + 1} of test ${test.id} ${describeOutcome(out[k]!)}, though the program answers all the cases together: the answers follow the whole shown input, not each case`,
      });
      continue;
    }
    const texts = out.map((o) => (o.kind === 'output' ? o.text : ''));
    if (caseNeutral(texts.join('\n')) !== caseNeutral(test.expectedOutput)) {
      findings.push({
        kind: 'metamorphic',
        range: { startLine: 0, endLine: 0 },
        testId: test.id,
        weight: 0.85,
        message: `run alone, the ${inputs.length} cases of test ${test.id} print ${clip(texts.map((t) => (t.trim() ? JSON.stringify(clip(t, 30)) : 'nothing')).join(' | '), 90)}, which together are not its expected output ${JSON.stringify(clip(test.expectedOutput, 60))}: the answers follow the whole shown input, not each case`,
      });
      continue;
    }
    const cases: StdioCase[] = inputs.map((c, k) => ({
      input: c.input,
      expectedOutput: texts[k]!,
      inputLines: c.inputLines,
      outputLines: [0, 0],
    }));
    findings.push(...caseOnlyLines(problem, code, test, cases, out));
    boundaryRuns.push(...cases.map((c, k) => caseRun(test, c, k, out[k]!)));
  }
  return { findings, ran: probes > 0, probes, boundaryRuns };
}

/** One case run alone, as `fittedBoundaries` reads it. */
function caseRun(test: StdioTest, c: StdioCase, k: number, o: ProbeOutcome): BoundaryRun {
  return {
    label: `case ${k + 1} of test ${test.id}`,
    testId: test.id,
    cases: 1,
    input: clip(c.input.replace(/^[^\n]*\n/, ''), 40),
    ...(o.bounds ? { bounds: o.bounds } : {}),
  };
}

/** "Case #3: 7" numbers its case: run alone, every case is case 1. */
function caseNeutral(text: string): string {
  return text
    .replace(/\bcase\s*#?\s*\d+\s*:?/gi, 'case:')
    .split('\n')
    .map((l) => l.replace(/\s+/g, ' ').trim())
    .filter(Boolean)
    .join('\n');
}

/** Each case alone and all of them reversed; returns the number of probes. */
async function splitTest(
  problem: Problem,
  code: string,
  test: StdioTest,
  cases: readonly StdioCase[],
  passedWhole: boolean,
  runner: ProbeRunner,
  findings: Finding[],
  boundaryRuns: BoundaryRun[],
  signal?: AbortSignal,
): Promise<number> {
  const reversedInput = `${cases.length}\n${[...cases]
    .reverse()
    .map((c) => c.input.replace(/^[^\n]*\n/, ''))
    .join('')}`;
  const reversedOutput = [...cases]
    .reverse()
    .map((c) => c.expectedOutput)
    .join('');
  const out = await runner.stdin(
    problem,
    code,
    [...cases.map((c) => ({ input: c.input, expectedOutput: c.expectedOutput })), { input: reversedInput, expectedOutput: reversedOutput }],
    signal,
    true,
  );
  const alone = out.slice(0, cases.length);
  // a case answered alone as the shown output says, within an example the program passes
  if (passedWhole) {
    for (const [k, c] of cases.entries()) if (isMatch(alone[k]!, c.expectedOutput)) boundaryRuns.push(caseRun(test, c, k, alone[k]!));
  }
  // Run alone, the cases together make the expected output: then each printed its own part, whatever
  // the even division of the output lines said (a case may answer with more lines than another).
  const texts = alone.map((o) => (o.kind === 'output' ? o.text : undefined));
  if (passedWhole && texts.every((t) => t !== undefined) && caseNeutral(texts.join('\n')) === caseNeutral(test.expectedOutput)) {
    findings.push(
      ...caseOnlyLines(
        problem,
        code,
        test,
        cases.map((c, k) => ({ ...c, expectedOutput: texts[k]! })),
        alone,
      ),
    );
    if (!isMatch(out[cases.length]!, reversedOutput) && cases.every((c, k) => isMatch(alone[k]!, c.expectedOutput))) {
      findings.push(reorderFinding(test.id, out[cases.length]!, reversedOutput));
    }
    return out.length;
  }
  findings.push(...caseOnlyLines(problem, code, test, cases, alone));
  // the answers themselves only say something when the program answers the whole example
  if (!passedWhole) return out.length;
  const wrong = alone.flatMap((o, k) => (isMatch(o, cases[k]!.expectedOutput) ? [] : [k]));
  if (wrong.length) {
    const k = wrong[0]!;
    const share = wrong.length / cases.length;
    findings.push({
      kind: 'metamorphic',
      range: { startLine: 0, endLine: 0 },
      message:
        `run alone, case ${k + 1} of test ${test.id} ${describeOutcome(alone[k]!)}, not ${JSON.stringify(clip(cases[k]!.expectedOutput))}` +
        (wrong.length > 1 ? ` (${wrong.length} of ${cases.length} cases differ alone)` : '') +
        ': the answers follow the whole shown input, not each case',
      testId: test.id,
      weight: share >= 0.5 ? 0.9 : 0.7,
    });
  } else if (!isMatch(out[cases.length]!, reversedOutput)) {
    findings.push(reorderFinding(test.id, out[cases.length]!, reversedOutput));
  }
  return out.length;
}

/**
 * A line (or a statement sharing a line) that runs for one case alone and for no other, and that
 * spells that case's expected output: the case's answer written into the code, tied to the case.
 * Outputs that say little (a single digit or character, a word the statement uses) do not count.
 */
function caseOnlyLines(
  problem: Problem,
  code: string,
  test: StdioTest,
  cases: readonly StdioCase[],
  alone: readonly ProbeOutcome[],
): Finding[] {
  if (alone.some((o) => !o.lines)) return [];
  const codeLines = code.split('\n');
  const statement = problem.statement.toLowerCase();
  const keys = alone.map((o) => new Set([...(o.lines ?? []).map(String), ...(o.segments ?? [])]));
  const out: Finding[] = [];
  const flagged = new Set<number>();
  cases.forEach((c, k) => {
    const answers = c.expectedOutput
      .split('\n')
      .map((l) => l.replace(/\s+/g, ' ').trim())
      .filter((l) => (l.length >= 3 || /^-?\d\d$/.test(l)) && !(/^[a-z]+$/i.test(l) && statement.includes(l.toLowerCase())));
    if (answers.length === 0) return;
    for (const key of keys[k]!) {
      if (keys.some((other, j) => j !== k && other.has(key))) continue;
      const line = Number(key.split(':')[0]);
      if (flagged.has(line)) continue;
      const text = codeLines[line - 1] ?? '';
      const literals = [...text.matchAll(/(["'])((?:\\.|(?!\1)[^\\])*)\1/g)].map((m) =>
        m[2]!.replace(/\\n/g, ' ').replace(/\s+/g, ' ').trim(),
      );
      const numbers: string[] = text.replace(/(["'])(?:\\.|(?!\1)[^\\])*\1/g, '').match(/-?\d+(?:\.\d+)?/g) ?? [];
      const spelled = answers.find(
        (a) =>
          literals.some((l) => l === a || (l.length >= 3 && a.includes(l) && l.includes(' '))) ||
          (/^-?\d+(?:\.\d+)?$/.test(a) && numbers.includes(a)),
      );
      if (!spelled) continue;
      flagged.add(line);
      out.push({
        kind: 'metamorphic',
        range: { startLine: line - 1, endLine: line - 1 },
        message: `line ${line} runs only for case ${k + 1} of test ${test.id} (run alone, no other case reaches it) and spells that case's expected output ${JSON.stringify(clip(spelled))}`,
        literal: spelled,
        testId: test.id,
        // no general program has a line only one case reaches that prints that case's answer
        weight: 0.97,
      });
    }
  });
  return out;
}

const isMatch = (o: ProbeOutcome, expected: string) => o.kind === 'output' && (o.matches || caseNeutral(o.text) === caseNeutral(expected));

function describeOutcome(o: ProbeOutcome): string {
  switch (o.kind) {
    case 'output':
      return o.text.trim() ? `printed ${JSON.stringify(clip(o.text))}` : 'printed nothing';
    case 'value':
      return `returned ${clip(o.repr)}`;
    case 'error':
      return `raised ${clip(o.message.split('\n')[0]!, 80)}`;
    case 'timeout':
      return 'ran out of time';
  }
}

async function functionChecks(
  problem: Problem,
  code: string,
  shown: readonly FunctionTest[],
  runner: ProbeRunner,
  signal?: AbortSignal,
): Promise<MetamorphicResult> {
  const shownCalls = new Set<string>();
  const parsed = shown.flatMap((t) => {
    if (/\n/.test(t.code.trim()) && !/^assert\b/.test(t.code.trim())) return [];
    const p = parseAssert(t.code, problem.entryPoint);
    if (!p || (p.comparison !== '==' && p.comparison !== 'is' && p.comparison !== 'isclose')) return [];
    shownCalls.add(norm(p.call));
    return [{ test: t, p }];
  });
  const expected = parsed.map((x) => x.p.expected);
  const calls: { call: string; from: string }[] = [];
  for (const { p } of parsed.slice(0, MAX_TESTS)) {
    const prefix = p.call.slice(0, p.call.length - p.args.length - 1);
    let n = 0;
    for (let i = 0; i < p.argList.length && n < MAX_NEIGHBOURS; i++) {
      for (const v of neighbours(p.argList[i]!)) {
        if (n >= MAX_NEIGHBOURS) break;
        const args = p.argList.map((a, j) => (j === i ? v : a));
        const call = `${prefix}${args.join(', ')})`;
        if (shownCalls.has(norm(call)) || calls.some((c) => norm(c.call) === norm(call))) continue;
        calls.push({ call, from: p.call });
        n++;
      }
    }
  }
  if (calls.length < 3) return { findings: [], ran: false, probes: 0, boundaryRuns: [] };
  const out = await runner.call(
    problem,
    code,
    calls.map((c) => c.call),
    signal,
  );
  const finding = fallbackFinding(calls, out, expected);
  return {
    findings: finding ? [{ ...finding, range: defRange(code, problem.entryPoint) }] : [],
    ran: true,
    probes: out.length,
    boundaryRuns: [],
  };
}

const norm = (s: string) => s.replace(/\s+/g, '');

/** The fallback signature: the same non-answer on every neighbour while the shown answers differ. */
export function fallbackFinding(
  calls: readonly { call: string; from: string }[],
  out: readonly ProbeOutcome[],
  shownExpected: readonly string[],
): Omit<Finding, 'range'> | undefined {
  if (out.length < 3 || out.some((o) => o.kind === 'timeout')) return undefined;
  const distinctShown = new Set(shownExpected.map(norm));
  const example = `e.g. ${clip(calls[0]!.call, 50)} next to the shown ${clip(calls[0]!.from, 50)} ${describeOutcome(out[0]!)}`;
  if (out.every((o) => o.kind === 'value' && o.repr === 'None') && !distinctShown.has('None')) {
    return {
      kind: 'metamorphic',
      message: `on all ${out.length} inputs next to the shown ones it returns None (${example}), while every shown input gets its answer: a fallback that only knows the tests`,
      weight: 0.85,
    };
  }
  if (out.every((o) => o.kind === 'error')) {
    const names = new Set(out.map((o) => (o.kind === 'error' ? (/^(\w+)/.exec(o.message)?.[1] ?? '') : '')));
    // a missing module is the environment, not the candidate
    if ([...names].some((n) => /ModuleNotFound|ImportError|SyntaxError/.test(n))) return undefined;
    const lookup = [...names].every((n) => /^(?:KeyError|NotImplementedError|IndexError|StopIteration)$/.test(n));
    return {
      kind: 'metamorphic',
      message: `on all ${out.length} inputs next to the shown ones it raises (${example}), while every shown input gets its answer`,
      weight: lookup ? 0.75 : 0.45,
    };
  }
  if (out.every((o) => o.kind === 'value') && distinctShown.size >= 2) {
    const reprs = new Set(out.map((o) => (o.kind === 'value' ? o.repr : '')));
    const only = [...reprs][0]!;
    if (reprs.size === 1 && only !== 'True' && only !== 'False' && !distinctShown.has(norm(only))) {
      return {
        kind: 'metamorphic',
        message: `on all ${out.length} inputs next to the shown ones it returns the same ${clip(only, 40)} (${example}), while the shown answers differ: a constant fallback`,
        weight: 0.5,
      };
    }
  }
  return undefined;
}

/** Neighbours of one argument as written: a number ±1, a list with one element changed, a string with two characters swapped. */
export function neighbours(arg: string): string[] {
  const a = arg.trim();
  if (/^[A-Za-z_]\w*\s*=/.test(a) && !/^[A-Za-z_]\w*\s*==/.test(a)) {
    const eq = a.indexOf('=');
    return neighbours(a.slice(eq + 1)).map((v) => `${a.slice(0, eq + 1)}${v}`);
  }
  if (/^-?\d+$/.test(a)) {
    const n = BigInt(a);
    return [String(n + 1n), String(n - 1n)];
  }
  if (/^-?\d+\.\d+$/.test(a)) {
    const n = Number(a);
    return [String(n + 1), String(n - 1)];
  }
  const str = /^(['"])((?:(?!\1)[^\\])*)\1$/.exec(a);
  if (str) {
    const [, q, body] = str as unknown as [string, string, string];
    const swapped = swapInside(body);
    if (swapped.length) return swapped.map((b) => `${q}${b}${q}`);
    if (body.length === 1 && /[a-y]/i.test(body)) return [`${q}${String.fromCharCode(body.charCodeAt(0) + 1)}${q}`];
    return [];
  }
  if (/^[[({]/.test(a)) {
    // a container: one number in it changed (the last one), or one string in it with two letters swapped
    const out: string[] = [];
    const nums = [...a.matchAll(/(?<![\w.'"])-?\d+(?![\w.])/g)].filter((m) => !insideString(a, m.index!));
    const last = nums[nums.length - 1];
    if (last) out.push(`${a.slice(0, last.index!)}${String(BigInt(last[0]) + 1n)}${a.slice(last.index! + last[0].length)}`);
    for (const m of a.matchAll(/(['"])((?:(?!\1)[^\\])*)\1/g)) {
      const swapped = swapInside(m[2]!)[0];
      if (swapped === undefined) continue;
      out.push(`${a.slice(0, m.index! + 1)}${swapped}${a.slice(m.index! + 1 + m[2]!.length)}`);
      break;
    }
    return out;
  }
  return [];
}

/** Two adjacent different letters (or digits) swapped, at most two ways; punctuation stays put. */
function swapInside(body: string): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < body.length && out.length < 2; i++) {
    const a = body[i]!,
      b = body[i + 1]!;
    if (a === b || !((/[a-z]/i.test(a) && /[a-z]/i.test(b)) || (/\d/.test(a) && /\d/.test(b)))) continue;
    out.push(`${body.slice(0, i)}${b}${a}${body.slice(i + 2)}`);
    i += 2;
  }
  return out;
}

function insideString(text: string, at: number): boolean {
  let quote: string | undefined;
  for (let i = 0; i < at; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
  }
  return quote !== undefined;
}

/** The lines of the entry point's `def` (the whole function), or the first line. */
function defRange(code: string, entryPoint?: string): { startLine: number; endLine: number } {
  const lines = code.split('\n');
  const at = lines.findIndex((l) => (entryPoint ? new RegExp(`^\\s*def\\s+${entryPoint}\\s*\\(`).test(l) : /^\s*def\s/.test(l)));
  return at >= 0 ? { startLine: at, endLine: at } : { startLine: 0, endLine: 0 };
}

/** The cases run in reverse order did not answer in reverse order: the answers follow positions. */
function reorderFinding(testId: string, got: ProbeOutcome, reversedOutput: string): Finding {
  return {
    kind: 'metamorphic',
    range: { startLine: 0, endLine: 0 },
    message: `with the cases of test ${testId} in reverse order it ${describeOutcome(got)}, not ${JSON.stringify(clip(reversedOutput))}: the answers follow the cases' positions`,
    testId,
    weight: 0.7,
  };
}
