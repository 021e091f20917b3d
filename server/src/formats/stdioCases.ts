/**
 * Multi-case stdin: an input whose first line is a case count `t`, followed by `t` independent cases,
 * and an output with one part per case. Splitting the example into per-case pairs ties a branch on one
 * case's values (`if n == 3: print("5 1 1 1")`) to that case, and lets a program be run on each case
 * alone (a general program prints that case's part; one keyed on the whole input does not).
 *
 * The split is only made when it is unambiguous: the output divides into `t` equal parts, and the
 * cases either have the same number of lines or each starts with a header whose first (or second)
 * number says how many lines follow.
 */
import type { StdioCase } from '../../../contract/domain';

const lineList = (s: string): string[] => {
  const lines = s
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((l) => l.replace(/\s+$/, ''));
  while (lines.length && !lines[lines.length - 1]) lines.pop();
  return lines;
};

/** Line counts of each case after the count line, or undefined when the input has no clear split. */
const shapeOf = (l: string) =>
  l
    .trim()
    .split(/\s+/)
    .map((x) => (/^-?\d+$/.test(x) ? 'n' : 'w'))
    .join('');

function headersStandOut(body: readonly string[], sizes: readonly number[]): boolean {
  const heads: string[] = [];
  const inner: string[] = [];
  let at = 0;
  for (const z of sizes) {
    heads.push(shapeOf(body[at]!));
    for (let j = at + 1; j < at + z; j++) inner.push(shapeOf(body[j]!));
    at += z;
  }
  return heads.every((h) => h === heads[0]) && !(inner.length > 0 && inner.every((x) => x === heads[0]));
}

function caseSizes(body: readonly string[], t: number): number[] | undefined {
  // a header line per case whose first (or second) number is how many lines follow it (give or take one:
  // `n` then the n - 1 edges of a tree, `n m` then a line and the m edges)
  const ints = (l: string) =>
    l
      .trim()
      .split(/\s+/)
      .map((x) => (/^-?\d+$/.test(x) ? Number(x) : NaN));
  for (const pick of [0, 1] as const) {
    for (const extra of [0, 1, 2, -1]) {
      const sizes: number[] = [];
      let i = 0;
      let ok = true;
      for (let k = 0; k < t && ok; k++) {
        const n = ints(body[i] ?? '')[pick];
        if (n === undefined || !Number.isInteger(n) || n < 0 || n > 10_000 || 1 + n + extra < 1) ok = false;
        else {
          const size = 1 + n + extra;
          sizes.push(size);
          i += size;
        }
      }
      // a header rule that gives every case one line is the equal-block case below; other than `n` then n
      // lines, the headers must look alike, and unlike the lines inside the cases (else the cut is a
      // coincidence of the numbers)
      if (ok && i === body.length && sizes.some((z) => z !== sizes[0]) && ((pick === 0 && extra === 0) || headersStandOut(body, sizes)))
        return sizes;
    }
  }
  if (body.length < t || body.length % t !== 0) return undefined;
  const m = body.length / t;
  if (m === 1) return Array(t).fill(1);
  // equal blocks: line j of every block must look alike (as many tokens, numbers or words alike), and
  // the first lines must differ from the lines inside them (with every line the same shape, blocks could
  // be cut anywhere) — unless each block's later lines are as long as its first line says
  const shape = (l: string) =>
    l
      .trim()
      .split(/\s+/)
      .map((x) => (/^-?\d+$/.test(x) ? 'n' : 'w'))
      .join('');
  const count = (l: string) => {
    const toks = l.trim().split(/\s+/);
    return toks.length === 1 ? toks[0]!.length : toks.length;
  };
  // an array or string line sized by a number of its block's first line (`n` then n values, give or take one)
  const sized = (k: number, line: string) => ints(body[k * m]!).some((n) => Math.abs(n - count(line)) <= 1);
  // every later line exactly as long as a number of its block's first line says, and no two blocks alike
  const exactly = (k: number, line: string) => ints(body[k * m]!).includes(count(line));
  let allSized = true;
  for (let j = 0; j < m; j++) {
    const s0 = shape(body[j]!);
    for (let k = 0; k < t; k++) {
      const line = body[k * m + j]!;
      const isSized = j > 0 && sized(k, line);
      if (j > 0 && !exactly(k, line)) allSized = false;
      if (k > 0 && shape(line) !== s0 && !(isSized && sized(0, body[j]!) && shape(line).length > 0 && shape(line)[0] === s0[0]))
        return undefined;
    }
  }
  if (body.every((l) => shape(l) === shape(body[0]!)) && !(allSized && body.every((l) => l.trim().split(/\s+/).length === 1)))
    return undefined;
  return Array(t).fill(m);
}

/** A statement that says its input holds several test cases ("the number of test cases t"). */
export const MULTI_CASE_STATEMENT =
  /\b(?:number\s+of\s+(?:test\s*)?cases|test\s*cases?|several\s+(?:test|input)\s+cases|multiple\s+test)\b/i;

/**
 * The cases of a multi-case example, or undefined when it is not one (or cannot be split with
 * confidence). With `statement`, only when the statement speaks of test cases: a first line `n`
 * followed by `n` queries on one shared state is not a sequence of independent cases.
 */
export interface InputCase {
  readonly input: string;
  readonly inputLines: readonly [number, number];
}

/**
 * The cases of a multi-case input alone (each with a count line `1`), when the input splits with
 * confidence, whatever the output looks like; with `statement`, only when it speaks of test cases.
 */
export function splitInputCases(input: string, statement?: string): InputCase[] | undefined {
  if (statement !== undefined && !MULTI_CASE_STATEMENT.test(statement)) return undefined;
  const inLines = lineList(input);
  if (inLines.length < 3 || !/^\s*\d+\s*$/.test(inLines[0]!)) return undefined;
  const t = Number(inLines[0]!.trim());
  if (t < 2 || t > 1000) return undefined;
  const body = inLines.slice(1);
  const sizes = caseSizes(body, t);
  if (!sizes) return undefined;
  const out: InputCase[] = [];
  let at = 0;
  for (let k = 0; k < t; k++) {
    out.push({ input: `1\n${body.slice(at, at + sizes[k]!).join('\n')}\n`, inputLines: [1 + at, at + sizes[k]!] });
    at += sizes[k]!;
  }
  return out;
}

export function splitCases(input: string, expectedOutput: string, statement?: string): StdioCase[] | undefined {
  const inputs = splitInputCases(input, statement);
  if (!inputs) return undefined;
  const t = inputs.length;
  const outLines = lineList(expectedOutput);
  if (outLines.length < t || outLines.length % t !== 0) return undefined;
  const per = outLines.length / t;
  return inputs.map((c, k) => ({
    input: c.input,
    expectedOutput: `${outLines.slice(k * per, (k + 1) * per).join('\n')}\n`,
    inputLines: c.inputLines,
    outputLines: [k * per, (k + 1) * per - 1] as const,
  }));
}
