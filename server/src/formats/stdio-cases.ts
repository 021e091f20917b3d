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
import type { StdioCase } from '../core/types';

const lineList = (s: string): string[] => {
  const lines = s.replace(/\r\n?/g, '\n').split('\n').map((l) => l.replace(/\s+$/, ''));
  while (lines.length && !lines[lines.length - 1]) lines.pop();
  return lines;
};

/** Line counts of each case after the count line, or undefined when the input has no clear split. */
function caseSizes(body: readonly string[], t: number): number[] | undefined {
  // a header line per case whose first (or second) number is how many lines follow it
  const ints = (l: string) => l.trim().split(/\s+/).map((x) => (/^-?\d+$/.test(x) ? Number(x) : NaN));
  for (const pick of [0, 1] as const) {
    for (const extra of [0, 1, 2]) {
      const sizes: number[] = [];
      let i = 0;
      let ok = true;
      for (let k = 0; k < t && ok; k++) {
        const n = ints(body[i] ?? '')[pick];
        if (n === undefined || !Number.isInteger(n) || n < 0 || n > 10_000) ok = false;
        else {
          const size = 1 + n + extra;
          sizes.push(size);
          i += size;
        }
      }
      // a header rule that gives every case one line is the equal-block case below
      if (ok && i === body.length && sizes.some((z) => z !== sizes[0])) return sizes;
    }
  }
  if (body.length < t || body.length % t !== 0) return undefined;
  const m = body.length / t;
  if (m === 1) return Array(t).fill(1);
  // equal blocks: line j of every block must look alike (same number of tokens), and the first lines
  // must differ from the lines inside them (with every line the same shape, blocks could be cut anywhere)
  const shape = (l: string) => l.trim().split(/\s+/).length;
  // (or, for an array line, as many tokens as a number in its block's first line says: `n` then n values)
  const sized = (k: number, line: string) => ints(body[k * m]!).includes(shape(line));
  for (let j = 0; j < m; j++) {
    const s0 = shape(body[j]!);
    for (let k = 1; k < t; k++) {
      const line = body[k * m + j]!;
      if (shape(line) !== s0 && !(j > 0 && sized(k, line) && sized(0, body[j]!))) return undefined;
    }
  }
  if (body.every((l) => shape(l) === shape(body[0]!))) return undefined;
  return Array(t).fill(m);
}

/** A statement that says its input holds several test cases ("the number of test cases t"). */
export const MULTI_CASE_STATEMENT = /\b(?:number\s+of\s+(?:test\s*)?cases|test\s*cases?|several\s+(?:test|input)\s+cases|multiple\s+test)\b/i;

/**
 * The cases of a multi-case example, or undefined when it is not one (or cannot be split with
 * confidence). With `statement`, only when the statement speaks of test cases: a first line `n`
 * followed by `n` queries on one shared state is not a sequence of independent cases.
 */
export function splitCases(input: string, expectedOutput: string, statement?: string): StdioCase[] | undefined {
  if (statement !== undefined && !MULTI_CASE_STATEMENT.test(statement)) return undefined;
  const inLines = lineList(input);
  const outLines = lineList(expectedOutput);
  if (inLines.length < 3 || !/^\s*\d+\s*$/.test(inLines[0]!)) return undefined;
  const t = Number(inLines[0]!.trim());
  if (t < 2 || t > 1000) return undefined;
  if (outLines.length < t || outLines.length % t !== 0) return undefined;
  const body = inLines.slice(1);
  const sizes = caseSizes(body, t);
  if (!sizes) return undefined;
  const per = outLines.length / t;
  const cases: StdioCase[] = [];
  let at = 0;
  for (let k = 0; k < t; k++) {
    const lines = body.slice(at, at + sizes[k]!);
    const out = outLines.slice(k * per, (k + 1) * per);
    cases.push({
      input: `1\n${lines.join('\n')}\n`,
      expectedOutput: `${out.join('\n')}\n`,
      inputLines: [1 + at, at + sizes[k]!],
      outputLines: [k * per, (k + 1) * per - 1],
    });
    at += sizes[k]!;
  }
  return cases;
}
