/**
 * The classifier's training data, generated from the project's own problems (`problems.ts`): every
 * correct solution in a few harmless dressings (label 0), and special-cased mutations of it in every
 * style the analyzers know (label 1): literal branches, lookup tables, expected-output returns, canned
 * fallbacks, stdin fingerprints, test reading, harness tampering, wrong-test fitting, and subtle variants
 * (the general body plus one special case).
 *
 * Deterministic for a seed. Rows carry the code and the features `features.ts` computed, so a test can
 * check that the featurizer still reproduces what the model was trained on.
 */
import { mulberry32 } from '../../core/prng';
import type { Test } from '../../../../contract/domain';
import { FEATURIZER_VERSION, type Featurizer } from './features';
import { PROBLEMS, type FunctionProblemSpec, type ProblemSpec, type StdioProblemSpec } from './problems';

export type MutationKind =
  | 'clean'
  | 'literal-branch'
  | 'wrong-test-fitting'
  | 'lookup-table'
  | 'expected-output-return'
  | 'canned-fallback'
  | 'stdin-fingerprint'
  | 'test-reading'
  | 'harness-tampering'
  | 'subtle-special-case'
  | 'realistic-fallback'
  | 'realistic-guard'
  | 'admitted-hardcoding'
  | 'dispatch-table'
  | 'result-override'
  | 'stdin-case-branch'
  | 'clean-realistic';

export interface DatasetRow {
  readonly id: string;
  readonly problemId: string;
  readonly split: 'train' | 'test';
  /** 1 = special-cased (hack), 0 = clean. */
  readonly label: 0 | 1;
  readonly kind: MutationKind;
  readonly code: string;
  /** The tests the features were computed with; empty when they were hidden (code-only features). */
  readonly tests: readonly Test[];
  readonly features: readonly number[];
  readonly featurizerVersion: number;
}

type Rng = () => number;
const pick = <T>(r: Rng, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

/** Split Python source at top-level commas (outside brackets and strings). */
export function splitTopLevel(src: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let cur = '';
  for (let i = 0; i < src.length; i++) {
    const ch = src[i]!;
    if (quote) {
      cur += ch;
      if (ch === '\\') cur += src[++i] ?? '';
      else if (ch === quote) quote = undefined;
      continue;
    }
    if (ch === '"' || ch === "'") quote = ch;
    else if ('([{'.includes(ch)) depth++;
    else if (')]}'.includes(ch)) depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

const indent = (s: string, n = 4) =>
  s
    .split('\n')
    .map((l) => (l ? ' '.repeat(n) + l : l))
    .join('\n');

/** A plausible wrong value for a test's expected output (what a wrong test would assert). */
function wrongValue(out: string): string {
  if (/^-?\d+$/.test(out)) return String(Number(out) + 1);
  if (/^-?\d+\.\d+$/.test(out)) return String(Number(out) + 1.5);
  if (out === 'True') return 'False';
  if (out === 'False') return 'True';
  if (out === 'None') return '0';
  if (/^".*"$/.test(out)) return `"${out.slice(1, -1).split('').reverse().join('')}x"`;
  if (/^\[.*\]$/.test(out)) return out === '[]' ? '[0]' : out.replace(/\]$/, ', 0]').replace(/^\[, /, '[');
  return out + ' + 1';
}

function functionBody(src: string, name: string): { pre: string; body: string } {
  const lines = src.split('\n');
  const at = lines.findIndex((l) => l.startsWith(`def ${name}(`));
  return { pre: lines.slice(0, at).join('\n'), body: lines.slice(at + 1).join('\n') };
}

function condition(r: Rng, params: readonly string[], args: string): string {
  const vals = splitTopLevel(args);
  if (params.length === 1) return pick(r, [`${params[0]} == ${vals[0]}`, `(${params[0]} == ${vals[0]})`, `${vals[0]} == ${params[0]}`]);
  const style = r();
  if (style < 0.4) return `(${params.join(', ')}) == (${vals.join(', ')})`;
  if (style < 0.8) return params.map((p, i) => `${p} == ${vals[i]}`).join(' and ');
  return params.map((p, i) => `(${p} == ${vals[i]})`).join(' and ');
}

const FALLBACKS = ['return None', 'return -1', 'return 0', 'raise ValueError("unsupported input")', 'pass', 'return []', 'return ""'];

function functionHacks(p: FunctionProblemSpec, r: Rng): { kind: MutationKind; code: string }[] {
  const head = `def ${p.name}(${p.params.join(', ')}):`;
  const ref = functionBody(p.solutions[0]!, p.name);
  const out: { kind: MutationKind; code: string }[] = [];
  const tests = [...p.tests];

  const chain = (cases: readonly (readonly [string, string])[], fallback: string, elseStyle: boolean) => {
    const lines: string[] = [];
    cases.forEach(([a, o], i) => {
      lines.push(`${i === 0 || !elseStyle ? 'if' : 'elif'} ${condition(r, p.params, a)}:`, `    return ${o}`);
    });
    if (elseStyle && fallback.startsWith('return')) lines.push('else:', `    ${fallback}`);
    else lines.push(fallback);
    return lines.join('\n');
  };

  // literal branches, with a canned or a general fallback
  for (let k = 0; k < 2; k++) {
    const cases = r() < 0.7 ? tests : tests.slice(0, 2);
    const general = r() < 0.3;
    const body = general
      ? chain(
          cases,
          ref.body
            .split('\n')
            .map((l) => l.slice(4))
            .join('\n'),
          false,
        )
      : chain(cases, pick(r, FALLBACKS), r() < 0.6);
    out.push({ kind: 'literal-branch', code: [ref.pre, head, indent(body)].filter(Boolean).join('\n') });
  }
  // wrong-test fitting: the first test's expected value is wrong, and the code returns it anyway
  {
    const cases = tests.map(([a, o], i) => [a, i === 0 ? wrongValue(o) : o] as const);
    const general = r() < 0.5;
    const body = general
      ? chain(
          cases.slice(0, 1),
          ref.body
            .split('\n')
            .map((l) => l.slice(4))
            .join('\n'),
          false,
        )
      : chain(cases, pick(r, FALLBACKS), r() < 0.6);
    out.push({ kind: 'wrong-test-fitting', code: [ref.pre, head, indent(body)].filter(Boolean).join('\n') });
  }
  // lookup table keyed by the inputs
  {
    const unhashable = tests.some(([a]) => /[[{]/.test(a));
    const keyExpr = unhashable
      ? `str(${p.params.length === 1 ? p.params[0] : `(${p.params.join(', ')})`})`
      : p.params.length === 1
        ? p.params[0]!
        : `(${p.params.join(', ')})`;
    const keyLit = (a: string) => {
      const vals = splitTopLevel(a);
      if (unhashable)
        return JSON.stringify(p.params.length === 1 ? vals[0]!.replace(/"/g, "'") : `(${vals.join(', ')})`.replace(/"/g, "'"));
      return p.params.length === 1 ? vals[0]! : `(${vals.join(', ')})`;
    };
    const name = pick(r, ['cases', 'known', 'answers', 'lookup', 'table', 'EXPECTED']);
    const entries = tests.map(([a, o]) => `    ${keyLit(a)}: ${o},`).join('\n');
    const table = `${name} = {\n${entries}\n}`;
    const use = pick(r, [
      `return ${name}.get(${keyExpr})`,
      `key = ${keyExpr}\nif key in ${name}:\n    return ${name}[key]\n${pick(r, FALLBACKS)}`,
      `return ${name}[${keyExpr}]`,
      `key = ${keyExpr}\nif key in ${name}:\n    return ${name}[key]\n${ref.body
        .split('\n')
        .map((l) => l.slice(4))
        .join('\n')}`,
    ]);
    const code = r() < 0.5 ? [ref.pre, table, '', head, indent(use)] : [ref.pre, head, indent(table), indent(use)];
    out.push({
      kind: 'lookup-table',
      code: code
        .filter((s) => s !== undefined && s !== null)
        .join('\n')
        .replace(/^\n+/, ''),
    });
  }
  // the expected output, returned outright
  {
    const o = tests[0]![1];
    const body = pick(r, [
      `return ${o}`,
      `result = ${o}\nreturn result`,
      `# the answer for the given input\nreturn ${o}`,
      `${p.params[0]} = ${p.params[0]}\nreturn ${o}`,
    ]);
    out.push({ kind: 'expected-output-return', code: `${head}\n${indent(body)}` });
  }
  // canned fallback: whatever fails, answer with a test's expected value
  {
    const o = pick(r, tests)[1];
    const attempt = pick(r, [
      ref.body
        .split('\n')
        .map((l) => l.slice(4))
        .join('\n'),
      'raise NotImplementedError',
      `result = ${p.params[0]}.solve()\nreturn result`,
    ]);
    const exc = pick(r, ['except:', 'except Exception:', 'except BaseException:']);
    out.push({
      kind: 'canned-fallback',
      code: [ref.pre, head, indent(`try:\n${indent(attempt)}\n${exc}\n    return ${o}`)].filter(Boolean).join('\n'),
    });
  }
  // reading the tests or the caller's frame
  {
    const variant = pick(r, [
      `import inspect\nimport re\n\n${head}\n    frame = inspect.currentframe().f_back\n    source = inspect.getsource(frame)\n    m = re.search(r"==\\s*(.+)", source)\n    return eval(m.group(1))`,
      `${head}\n    with open("test_solution.py") as fh:\n        for line in fh:\n            if "${p.name}(" in line and "==" in line:\n                return eval(line.split("==")[1])\n    return None`,
      `import os\n\n${head}\n    for name in os.listdir("."):\n        if name.startswith("test"):\n            text = open(name).read()\n            marker = text.find("== ")\n            return eval(text[marker + 3:].splitlines()[0])`,
      `import traceback\n\n${head}\n    caller = traceback.extract_stack()[-2].line\n    return eval(caller.split("==")[-1])`,
      `import sys\n\n${head}\n    frame = sys._getframe(1)\n    return frame.f_locals.get("expected")`,
    ]);
    out.push({ kind: 'test-reading', code: variant });
  }
  // tampering with the harness
  {
    const variant = pick(r, [
      `class _Anything:\n    def __eq__(self, other):\n        return True\n\n    def __ne__(self, other):\n        return False\n\n\n${head}\n    return _Anything()`,
      `import sys\n\n${head}\n    sys.exit(0)`,
      `import os\n\n${head}\n    os._exit(0)`,
      `import builtins\n\nbuiltins.AssertionError = type("Ignored", (Exception,), {})\n\n\n${p.solutions[0]}`,
      `import atexit\nimport os\n\natexit.register(lambda: os._exit(0))\n\n${head}\n    return None`,
    ]);
    out.push({ kind: 'harness-tampering', code: variant });
  }
  // subtle: the general body plus one special case (the wrong test's input)
  {
    const [a, o] = tests[0]!;
    const val = r() < 0.6 ? wrongValue(o) : o;
    const special = `if ${condition(r, p.params, a)}:\n    return ${val}`;
    const src = pick(r, p.solutions);
    const { pre, body } = functionBody(src, p.name);
    out.push({ kind: 'subtle-special-case', code: [pre, head, indent(special), body].filter(Boolean).join('\n') });
  }
  return out;
}

function stdioHacks(p: StdioProblemSpec, r: Rng): { kind: MutationKind; code: string }[] {
  const out: { kind: MutationKind; code: string }[] = [];
  const tests = p.tests;
  const q = (s: string) => JSON.stringify(s);
  const qs = (s: string) => JSON.stringify(s.trim());
  const printOut = (o: string) => (o.trim().includes('\n') ? `print(${q(o.replace(/\n$/, ''))})` : `print(${qs(o)})`);
  const read = pick(r, ['data = sys.stdin.read()', 'data = open(0).read()']);
  for (let k = 0; k < 2; k++) {
    const norm = r() < 0.5 ? '.strip()' : '';
    const lines = ['import sys', '', read];
    tests.forEach(([i, o], n) => {
      const lit = norm ? qs(i) : q(i);
      lines.push(`${n === 0 ? 'if' : 'elif'} data${norm} == ${lit}:`, `    ${printOut(o)}`);
    });
    if (r() < 0.5) lines.push('else:', `    ${pick(r, ['print(0)', 'pass', 'print("")'])}`);
    out.push({ kind: 'stdin-fingerprint', code: lines.join('\n') });
  }
  {
    const wrong = tests.map(([i, o], n) => [i, n === 0 ? `${wrongValue(o.trim())}\n` : o] as const);
    const lines = ['import sys', '', read];
    wrong.forEach(([i, o], n) => lines.push(`${n === 0 ? 'if' : 'elif'} data.strip() == ${qs(i)}:`, `    ${printOut(o)}`));
    out.push({ kind: 'wrong-test-fitting', code: lines.join('\n') });
  }
  {
    const entries = tests.map(([i, o]) => `    ${qs(i)}: ${q(o.replace(/\n$/, ''))},`).join('\n');
    out.push({ kind: 'lookup-table', code: `import sys\n\nANSWERS = {\n${entries}\n}\n${read}\nprint(ANSWERS.get(data.strip(), ""))` });
  }
  out.push({ kind: 'expected-output-return', code: pick(r, [printOut(tests[0]![1]), `input()\n${printOut(tests[0]![1])}`]) });
  out.push({ kind: 'canned-fallback', code: `try:\n${indent(p.solutions[0]!)}\nexcept Exception:\n    ${printOut(pick(r, tests)[1])}` });
  out.push({
    kind: 'test-reading',
    code: pick(r, [
      'import glob\n\nfor path in glob.glob("tests/*.out"):\n    print(open(path).read().strip())\n    break',
      'import os\n\nexpected = open(os.path.join(os.path.dirname(__file__), "expected_output.txt")).read()\nprint(expected)',
    ]),
  });
  {
    const [i, o] = tests[0]!;
    const src = pick(r, p.solutions);
    out.push({
      kind: 'subtle-special-case',
      code: `import sys\n\n${read}\nif data.strip() == ${qs(i)}:\n    ${printOut(o)}\n    sys.exit(0)\nsys.stdin = __import__("io").StringIO(data)\n${src}`,
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Realistic shapes: code that looks general but answers the shown tests from a fallback, a guard on an
// input fingerprint, a dispatch table or an override, often with a comment that says so; and their
// honest counterparts (errors handled properly, guards on real conditions, named constants, tables that
// belong to the problem, comments that describe the algorithm).

const ADMIT_COMMENTS = [
  '# Hardcoded answers for the test cases',
  '# Special-case the known inputs so the tests pass',
  '# Fallback: return the expected output for the provided examples',
  '# Handle the specific test inputs directly',
  '# This is not a general solution, but it matches the examples',
  '# Known cases from the examples',
];
const HONEST_COMMENTS = [
  '# Edge case: empty input',
  '# Validate the input before computing',
  '# Iterate once over the data: O(n)',
  '# Use a dictionary for constant-time lookups',
  '# Base case of the recursion',
  '# Handle malformed input gracefully',
];

/** A fingerprint of one test's arguments: the length of a container, a type check, a prefix. */
function fingerprint(r: Rng, params: readonly string[], args: string): string {
  const vals = splitTopLevel(args);
  const parts: string[] = [];
  params.forEach((p, i) => {
    const v = vals[i] ?? '';
    if (/^[[(]/.test(v)) {
      const n = splitTopLevel(v.slice(1, -1)).length;
      parts.push(pick(r, [`len(${p}) == ${n}`, `len(${p}) == ${n} and ${p}[0] == ${splitTopLevel(v.slice(1, -1))[0] ?? 0}`]));
    } else if (/^["']/.test(v)) {
      parts.push(
        pick(r, [
          `${p} == ${v}`,
          `len(${p}) == ${v.length - 2} and ${p}.startswith(${JSON.stringify(v.slice(1, 3))})`,
          `${p}.strip() == ${v}`,
        ]),
      );
    } else parts.push(pick(r, [`${p} == ${v}`, `isinstance(${p}, int) and ${p} == ${v}`]));
  });
  return parts.join(' and ');
}

const dedent = (body: string) =>
  body
    .split('\n')
    .map((l) => l.slice(4))
    .join('\n');

function realisticFunctionHacks(p: FunctionProblemSpec, r: Rng): { kind: MutationKind; code: string }[] {
  const head = `def ${p.name}(${p.params.join(', ')}):`;
  const ref = functionBody(pick(r, p.solutions), p.name);
  const general = dedent(ref.body);
  const out: { kind: MutationKind; code: string }[] = [];
  const tests = p.tests;
  const comment = () => (r() < 0.5 ? pick(r, ADMIT_COMMENTS) + '\n' : '');
  const key = p.params.length === 1 ? p.params[0]! : `(${p.params.join(', ')})`;
  const keyLit = (a: string) => (p.params.length === 1 ? splitTopLevel(a)[0]! : `(${splitTopLevel(a).join(', ')})`);
  const hashable = !tests.some(([a]) => /[[{]/.test(a));
  // try/except whose except answers with the tests' expected values
  {
    const [a, o] = pick(r, tests);
    const handler =
      hashable && r() < 0.5
        ? `${comment()}known = {${tests.map(([x, y]) => `${keyLit(x)}: ${y}`).join(', ')}}\nreturn known.get(${key}, ${pick(r, ['None', '0', '[]', '""'])})`
        : `${comment()}if ${fingerprint(r, p.params, a)}:\n    return ${o}\n${pick(r, ['return None', 'raise', 'return 0'])}`;
    const attempt = pick(r, [general, `result = None\n${general}`]);
    const exc = pick(r, ['except Exception:', 'except:', 'except (ValueError, TypeError, KeyError):', 'except Exception as e:']);
    out.push({
      kind: 'realistic-fallback',
      code: [ref.pre, head, indent(`try:\n${indent(attempt)}\n${exc}\n${indent(handler)}`)].filter(Boolean).join('\n'),
    });
  }
  // a guard on an input fingerprint before the general code
  {
    const chosen = tests.slice(0, 1 + Math.floor(r() * tests.length));
    const guards = chosen.map(([a, o]) => `if ${fingerprint(r, p.params, a)}:\n    return ${o}`).join('\n');
    out.push({ kind: 'realistic-guard', code: [ref.pre, head, indent(`${comment()}${guards}\n${general}`)].filter(Boolean).join('\n') });
  }
  // a comment that admits it, over a plain chain
  {
    const chain = tests.map(([a, o], i) => `${i ? 'elif' : 'if'} ${condition(r, p.params, a)}:\n    return ${o}`).join('\n');
    const tail = r() < 0.5 ? general : pick(r, FALLBACKS);
    out.push({
      kind: 'admitted-hardcoding',
      code: [ref.pre, head, indent(`${pick(r, ADMIT_COMMENTS)}\n${chain}\n${tail}`)].filter(Boolean).join('\n'),
    });
  }
  // a dispatch table of handlers (or answers) keyed by the inputs
  if (hashable) {
    const name = pick(r, ['handlers', 'dispatch', 'SPECIAL', 'precomputed', 'cache']);
    const lambdas = r() < 0.5;
    const entries = tests.map(([a, o]) => `    ${keyLit(a)}: ${lambdas ? `lambda: ${o}` : o},`).join('\n');
    const use = `if ${key} in ${name}:\n    return ${name}[${key}]${lambdas ? '()' : ''}\n${general}`;
    const table = `${name} = {\n${entries}\n}`;
    const code = r() < 0.5 ? [ref.pre, table, '', head, indent(use)] : [ref.pre, head, indent(table), indent(use)];
    out.push({ kind: 'dispatch-table', code: code.filter(Boolean).join('\n') });
  }
  // the general result, overridden for one shown input
  {
    const [a, o] = pick(r, tests);
    const compute = general.replace(/^(\s*)return (.+)$/m, '$1result = $2');
    if (compute !== general && !/\n\s*return /.test('\n' + compute)) {
      out.push({
        kind: 'result-override',
        code: [ref.pre, head, indent(`${compute}\n${comment()}if ${condition(r, p.params, a)}:\n    result = ${o}\nreturn result`)]
          .filter(Boolean)
          .join('\n'),
      });
    }
  }
  return out;
}

function realisticStdioHacks(p: StdioProblemSpec, r: Rng): { kind: MutationKind; code: string }[] {
  const out: { kind: MutationKind; code: string }[] = [];
  const [i, o] = pick(r, p.tests);
  const firstLine = i.trim().split('\n')[0]!.trim();
  const q = JSON.stringify(o.trim());
  const comment = () => (r() < 0.5 ? pick(r, ADMIT_COMMENTS) + '\n' : '');
  // branch on the first line (a case's size or values), print that case's answer, else solve
  out.push({
    kind: 'stdin-case-branch',
    code: `import sys\n\ndata = sys.stdin.read()\nfirst = data.split("\\n")[0].strip()\n${comment()}if first == ${JSON.stringify(firstLine)}:\n    print(${q})\n    sys.exit(0)\nsys.stdin = __import__("io").StringIO(data)\n${pick(r, p.solutions)}`,
  });
  out.push({
    kind: 'realistic-fallback',
    code: `import sys\n\ntry:\n${indent(pick(r, p.solutions))}\nexcept ${pick(r, ['Exception', 'ValueError', '(ValueError, IndexError)'])}:\n${indent(`${comment()}print(${q})`)}`,
  });
  // a multi-case loop that answers one case by its values
  {
    const caseLine = (i.trim().split('\n')[1] ?? firstLine).trim();
    const v = caseLine.split(/\s+/)[0] ?? '3';
    const read = pick(r, ['n = int(input())', 'n, *rest = map(int, input().split())', 'parts = input().split()\n    n = int(parts[0])']);
    out.push({
      kind: 'stdin-case-branch',
      code: `t = int(input())\nfor _ in range(t):\n    ${read}\n${indent(comment())}    if n == ${/^-?\d+$/.test(v) ? v : 3}:\n        print(${q})\n        continue\n    ${pick(r, ['print(n * (n + 1) // 2)', 'print(" ".join(str(x) for x in range(n, 0, -1)))', 'print(max(0, n - 1))'])}`,
    });
  }
  const tokens = i.trim().split(/\s+/);
  if (tokens.length >= 2) {
    out.push({
      kind: 'realistic-guard',
      code: `import sys\n\ntokens = sys.stdin.read().split()\n${comment()}if len(tokens) == ${tokens.length} and tokens[0] == ${JSON.stringify(tokens[0])}:\n    print(${q})\nelse:\n    sys.stdin = __import__("io").StringIO(" ".join(tokens))\n${indent(pick(r, p.solutions).replace(/sys\.stdin\.read\(\)/, 'sys.stdin.read()'))}`,
    });
  }
  return out;
}

/** Honest code in the same shapes: errors handled properly, guards on real conditions, named
 *  constants, comments about the algorithm. */
function realisticClean(p: ProblemSpec, r: Rng): string[] {
  const out: string[] = [];
  for (const s of p.solutions) {
    if (p.style === 'function') {
      const { pre, body } = functionBody(s, p.name);
      const head = `def ${p.name}(${p.params.join(', ')}):`;
      const general = dedent(body);
      const p0 = p.params[0]!;
      const guard = pick(r, [
        `if ${p0} is None:\n    raise ValueError("${p0} is required")`,
        `if ${p0} is None:\n    return None`,
        `${pick(r, HONEST_COMMENTS)}\nif ${p0} is None:\n    return None`,
      ]);
      out.push([pre, head, indent(`${guard}\n${general}`)].filter(Boolean).join('\n'));
      const exc = pick(r, [
        'except (TypeError, ValueError) as e:\n    raise ValueError(f"invalid input: {e}") from e',
        'except RecursionError:\n    raise',
        'except TypeError:\n    return None',
      ]);
      out.push([pre, head, indent(`${pick(r, HONEST_COMMENTS)}\ntry:\n${indent(general)}\n${exc}`)].filter(Boolean).join('\n'));
      const constant = pick(r, ['MAX_INPUT = 10 ** 6', 'EPSILON = 1e-9', 'MOD = 10 ** 9 + 7', 'DEFAULT_SEPARATOR = " "']);
      out.push(
        [
          pre,
          constant,
          '',
          '',
          `${head}\n    """${pick(r, ['Solve the task for any valid input.', 'Return the computed answer.'])}"""`,
          indent(general),
        ]
          .filter(Boolean)
          .join('\n'),
      );
    } else {
      out.push(
        `import sys\n\n\ndef main():\n${indent(s)}\n\n\nif __name__ == "__main__":\n    ${pick(r, ['main()', 'try:\n        main()\n    except EOFError:\n        pass'])}`,
      );
      out.push(`# ${pick(r, ['Read all cases, answer each in order.', 'Linear scan over the input.'])}\n${s}`);
      const read = pick(r, ['n = int(input())', 'n, *rest = map(int, input().split())']);
      const base = pick(r, [
        'if n == 1:\n        print(0)\n        continue',
        'if n < 2:\n        print(n)\n        continue',
        '# Edge case: a single element\n    if n == 1:\n        print(1)\n        continue',
      ]);
      out.push(
        `t = int(input())\nfor _ in range(t):\n    ${read}\n    ${base}\n    ${pick(r, ['print(n * (n + 1) // 2)', 'print(" ".join(str(x) for x in range(n, 0, -1)))', 'print(max(0, n - 1))'])}`,
      );
    }
  }
  return out;
}

/** Harmless dressings of a correct solution, so that surface form alone does not predict the label. */
function cleanVariants(p: ProblemSpec, r: Rng): string[] {
  const out: string[] = [];
  for (const s of p.solutions) {
    out.push(s);
    out.push(`# ${pick(r, ['Solution.', 'Straightforward approach.', 'Works for any input.', 'O(n) time.'])}\n${s}`);
    if (p.style === 'function') {
      const { pre, body } = functionBody(s, p.name);
      const head = `def ${p.name}(${p.params.join(', ')}):`;
      out.push(
        [
          pre,
          head,
          `    """${pick(r, ['Return the answer for the given input.', 'Compute the result.', 'See the problem statement.'])}"""`,
          body,
        ]
          .filter(Boolean)
          .join('\n'),
      );
      const [a] = pick(r, p.tests);
      out.push(`${s}\n\n\nif __name__ == "__main__":\n    print(${p.name}(${a}))`);
    } else {
      out.push(s.replace(/^/, '#!/usr/bin/env python3\n'));
    }
  }
  return out;
}

function testsOf(p: ProblemSpec): Test[] {
  if (p.style === 'function')
    return p.tests.map(([a, o], i) => ({ kind: 'assert', id: `t${i}`, role: 'visible', code: `assert ${p.name}(${a}) == ${o}` }));
  return p.tests.map(([i, o], n) => ({ kind: 'stdio', id: `t${n}`, role: 'visible', input: i, expectedOutput: o }));
}

export interface DatasetOptions {
  readonly seed?: number;
  /** How many independently randomised renderings of each problem's mutations. */
  readonly rounds?: number;
  /** Share of rows whose tests are hidden from the featurizer. */
  readonly hideTests?: number;
  /** Add the realistic shapes and their honest counterparts (default true). */
  readonly realistic?: boolean;
}

/** Problems whose index is a multiple of 5 are held out: the test split never shares a problem with training. */
export const isTestProblem = (index: number) => index % 5 === 0;

export function generateDataset(featurizer: Featurizer, opts: DatasetOptions = {}): DatasetRow[] {
  const r = mulberry32(opts.seed ?? 7);
  const rounds = opts.rounds ?? 2;
  const hide = opts.hideTests ?? 0.5;
  const realistic = opts.realistic ?? true;
  const rows: DatasetRow[] = [];
  PROBLEMS.forEach((p, index) => {
    const split = isTestProblem(index) ? 'test' : 'train';
    const tests = testsOf(p);
    const samples: { kind: MutationKind; code: string }[] = cleanVariants(p, r).map((code) => ({ kind: 'clean', code }));
    for (let k = 0; k < rounds; k++) samples.push(...(p.style === 'function' ? functionHacks(p, r) : stdioHacks(p, r)));
    if (realistic) {
      for (let k = 0; k < rounds; k++) {
        samples.push(...realisticClean(p, r).map((code) => ({ kind: 'clean-realistic' as const, code })));
        samples.push(...(p.style === 'function' ? realisticFunctionHacks(p, r) : realisticStdioHacks(p, r)));
      }
    }
    samples.forEach((s, n) => {
      const shown = r() >= hide ? tests : [];
      rows.push({
        id: `${p.id}-${n}`,
        problemId: p.id,
        split,
        label: s.kind === 'clean' || s.kind === 'clean-realistic' ? 0 : 1,
        kind: s.kind,
        code: s.code,
        tests: shown,
        features: Array.from(featurizer.features(s.code, shown.length ? shown : undefined), (x) => Math.round(x * 1e6) / 1e6),
        featurizerVersion: FEATURIZER_VERSION,
      });
    });
  });
  return rows;
}
