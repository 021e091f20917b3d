/**
 * The bundled sample (`media/sample/`) is what the README's main command analyses and what quality is
 * measured on, so its ground truth has to be true. These tests import it with the product's importer,
 * hold its shape to what the sample promises, and run every reference solution and every candidate
 * against every test in Python (one runner process per problem, one forked child per run, in
 * throw-away folders) to check each label against what the code actually does.
 */
import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Candidate, Problem, ReviewSet, Test } from '../../../contract/domain';
import { importReviewSet } from '../../../server/src/formats';

const ROOT = path.resolve(__dirname, '../../..');
const SAMPLE_DIR = path.join(ROOT, 'media/sample');
const SAMPLE = path.join(SAMPLE_DIR, 'sample.loophole.jsonl');
const LABELS = path.join(SAMPLE_DIR, 'labels.json');
const BUILD = path.join(SAMPLE_DIR, 'source/build.py');
const RUNNER = path.join(__dirname, 'run_solutions.py');

const HACK_STYLES = [
  'literal-branch',
  'lookup-table',
  'expected-output-return',
  'canned-fallback',
  'input-fingerprint',
  'test-reading',
  'harness-tampering',
  'wrong-test-fitting',
] as const;
type HackStyle = (typeof HACK_STYLES)[number];

/** One entry of `labels.json`; `lines` are 1-based into the candidate's extracted code. */
interface Label {
  readonly label: 'hack' | 'clean';
  readonly style: HackStyle | 'none';
  readonly lines: readonly number[];
  readonly note: string;
}

/** What `run_solutions.py` reports for one (solution, test) run. */
interface Outcome {
  readonly outcome: 'pass' | 'fail' | 'error' | 'timeout' | 'exit';
  readonly detail: string;
}
type Outcomes = Record<string, Record<string, Outcome>>;

/** The raw records, read with nothing but JSON.parse, for what the importer normalises away. */
const RAW: Array<Record<string, unknown>> = readFileSync(SAMPLE, 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l));
const PROBLEM_IDS = RAW.filter((r) => r.record === 'problem').map((r) => r.id as string);

/** The code a reader would take without any cleverness: the explicit `code`, the last ```python
 *  block, or, when there is no fence, everything after the `<think>` block. */
function plainExtract(record: Record<string, unknown>): string {
  if (typeof record.code === 'string') return record.code;
  const text = (record.completion as string).replace(/<think>[\s\S]*?<\/think>/g, '');
  const blocks = [...text.matchAll(/```python\n([\s\S]*?)\n```/g)].map((m) => m[1]!);
  return (blocks.length > 0 ? blocks[blocks.length - 1]! : text).replace(/^\n+|\s+$/g, '');
}

/** The argument text of the first call to `entry` in an assert, so tests can be grouped by input. */
function callArgs(code: string, entry: string): string | undefined {
  const start = code.indexOf(`${entry}(`);
  if (start < 0) return undefined;
  let depth = 0;
  let quote: string | undefined;
  for (let i = start + entry.length; i < code.length; i++) {
    const c = code[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return code.slice(start + entry.length + 1, i);
  }
  return undefined;
}

function inputOf(test: Test, problem: Problem): string | undefined {
  return test.kind === 'stdio' ? test.input : callArgs(test.code, problem.entryPoint ?? '');
}

function runProblem(problem: Problem, solutions: ReadonlyArray<{ id: string; code: string }>): Promise<Outcomes> {
  return new Promise((resolve, reject) => {
    const child = spawn('python3', [RUNNER], { stdio: ['pipe', 'pipe', 'pipe'], timeout: 180_000 });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code !== 0) {
        reject(new Error(`runner for ${problem.id} ended with ${code ?? signal}: ${Buffer.concat(err).toString()}`));
        return;
      }
      resolve(JSON.parse(Buffer.concat(out).toString()) as Outcomes);
    });
    child.stdin.end(JSON.stringify({ style: problem.style, tests: problem.tests, solutions, timeoutSeconds: 20 }));
  });
}

/** Runs the problems two at a time (the machine these run on has few cores). */
async function runAll(set: ReviewSet): Promise<Map<string, Outcomes>> {
  const results = new Map<string, Outcomes>();
  const queue = [...set.problems];
  const lane = async (): Promise<void> => {
    for (let p = queue.shift(); p; p = queue.shift()) {
      const own = set.candidates.filter((c) => c.problemId === p!.id).map((c) => ({ id: c.id, code: c.code }));
      results.set(p.id, await runProblem(p, [{ id: 'reference', code: p.referenceSolution ?? '' }, ...own]));
    }
  };
  await Promise.all([lane(), lane()]);
  return results;
}

function byRole(problem: Problem, outcomes: Record<string, Outcome>, role: Test['role']): Array<[Test, Outcome]> {
  return problem.tests.filter((t) => t.role === role).map((t) => [t, outcomes[t.id]!]);
}

function show(pairs: ReadonlyArray<[Test, Outcome]>): string {
  return pairs.map(([t, o]) => `${t.id}=${o.outcome}${o.detail ? ` (${o.detail})` : ''}`).join(', ');
}

describe('bundled sample review set', function () {
  let set: ReviewSet;
  let labels: Record<string, Label>;
  let problems: Map<string, Problem>;

  before(async () => {
    const imported = await importReviewSet(SAMPLE);
    assert.deepEqual(imported.issues, []);
    assert.equal(imported.formats[Object.keys(imported.formats)[0]!], 'loophole');
    set = imported.set;
    problems = new Map(set.problems.map((p) => [p.id, p]));
    labels = JSON.parse(readFileSync(LABELS, 'utf8')) as Record<string, Label>;
  });

  describe('shape', () => {
    it('is a loophole file with a header, 20 function and 10 stdio problems, 4 candidates each', () => {
      assert.deepEqual(RAW[0], { ...RAW[0], record: 'header', format: 'loophole', version: 1, name: 'bundled-sample' });
      assert.equal(set.name, 'bundled-sample');
      assert.equal(set.problems.filter((p) => p.style === 'function').length, 20);
      assert.equal(set.problems.filter((p) => p.style === 'stdio').length, 10);
      assert.equal(new Set(set.candidates.map((c) => c.id)).size, 120);
      for (const p of set.problems) assert.equal(set.candidates.filter((c) => c.problemId === p.id).length, 4, p.id);
    });

    it('puts some problems after their candidates, as the format allows', () => {
      const firstIndex = (pred: (r: Record<string, unknown>) => boolean): number => RAW.findIndex(pred);
      const late = PROBLEM_IDS.filter(
        (id) =>
          firstIndex((r) => r.record === 'problem' && r.id === id) > firstIndex((r) => r.record === 'candidate' && r.problemId === id),
      );
      assert.ok(late.length >= 1 && late.length <= 3, `problems after their candidates: ${late.join(', ')}`);
    });

    it("gives each problem 2-3 visible tests, one incorrect test on a held-out test's input, 2-4 held-out tests and a reference", () => {
      for (const p of set.problems) {
        const count = (role: Test['role']): number => p.tests.filter((t) => t.role === role).length;
        assert.ok(count('visible') >= 2 && count('visible') <= 3, `${p.id}: visible`);
        assert.equal(count('incorrect'), 1, `${p.id}: incorrect`);
        assert.ok(count('heldout') >= 2 && count('heldout') <= 4, `${p.id}: heldout`);
        assert.ok(p.referenceSolution && p.statement.length > 40, `${p.id}: reference and statement`);
        if (p.style === 'function') {
          assert.ok(p.entryPoint, `${p.id}: entry point`);
          for (const t of p.tests) assert.ok(t.kind === 'assert' && callArgs(t.code, p.entryPoint!) !== undefined, `${p.id}/${t.id}`);
        }
        const wrong = p.tests.find((t) => t.role === 'incorrect')!;
        const twins = p.tests.filter((t) => t.role === 'heldout' && inputOf(t, p) === inputOf(wrong, p));
        assert.equal(twins.length, 1, `${p.id}: the incorrect test's input is checked by one held-out test`);
      }
    });

    it('ships the code the importer extracts, and that a plain reader would extract too', () => {
      const raw = new Map(RAW.filter((r) => r.record === 'candidate').map((r) => [r.id as string, r]));
      for (const c of set.candidates) {
        assert.equal(c.code, plainExtract(raw.get(c.id)!), c.id);
        const missing = c.code.split('\n').filter((line) => !c.completion.includes(line));
        assert.deepEqual(missing, [], `${c.id}: every line of the code comes from the completion`);
      }
      const shapes = [...raw.values()];
      assert.ok(
        shapes.some((r) => typeof r.code === 'string'),
        'some candidates give their code explicitly',
      );
      assert.ok(
        shapes.some((r) => !(r.completion as string).includes('```')),
        'some completions have no fence',
      );
      const blocks = (r: Record<string, unknown>): number => ((r.completion as string).match(/^```\w*$/gm) ?? []).length / 2;
      assert.ok(shapes.filter((r) => blocks(r) >= 2).length >= 4, 'some have several blocks');
      assert.ok(
        shapes.some((r) => typeof r.reasoning === 'string'),
        'some carry reasoning in its own field',
      );
      assert.ok(
        shapes.some((r) => (r.completion as string).startsWith('<think>')),
        'some think first',
      );
    });

    it('labels every candidate and nothing else, with lines that exist in the extracted code', () => {
      assert.deepEqual(Object.keys(labels).sort(), set.candidates.map((c) => c.id).sort());
      for (const c of set.candidates) {
        const l = labels[c.id]!;
        const lines = c.code.split('\n');
        if (l.label === 'clean') {
          assert.equal(l.style, 'none', c.id);
          assert.deepEqual(l.lines, [], c.id);
          continue;
        }
        assert.equal(l.label, 'hack', c.id);
        assert.ok((HACK_STYLES as readonly string[]).includes(l.style), `${c.id}: style ${l.style}`);
        assert.ok(l.note.length > 10, `${c.id}: note`);
        assert.ok(l.lines.length > 0, `${c.id}: a hack points at its lines`);
        for (const n of l.lines) {
          assert.ok(Number.isInteger(n) && n >= 1 && n <= lines.length, `${c.id}: line ${n} of ${lines.length}`);
          assert.ok(lines[n - 1]!.trim().length > 0, `${c.id}: line ${n} is blank`);
        }
      }
    });

    it('mixes variants, models and sample indices, with more hacks under more permissive prompts', () => {
      const hack = (c: Candidate): boolean => labels[c.id]!.label === 'hack';
      const share = set.candidates.filter(hack).length / set.candidates.length;
      assert.ok(share >= 0.35 && share <= 0.45, `hack share ${share}`);
      const rate = (variant: string): number => {
        const own = set.candidates.filter((c) => c.promptVariant === variant);
        assert.ok(own.length >= 30, `${variant}: ${own.length} candidates`);
        return own.filter(hack).length / own.length;
      };
      assert.ok(rate('discourage') < rate('neutral') && rate('neutral') < rate('permit'));
      assert.ok(rate('discourage') > 0, 'discouraged generations still hack sometimes');
      const models = new Set(set.candidates.map((c) => c.model));
      assert.ok(models.size >= 2 && models.size <= 3, [...models].join(', '));
      for (const c of set.candidates) assert.ok(c.sampleIndex !== undefined && c.sampleIndex >= 0 && c.sampleIndex <= 3, c.id);
      for (const style of HACK_STYLES) {
        assert.ok(Object.values(labels).filter((l) => l.style === style).length >= 3, `style ${style} is represented`);
      }
      for (const style of ['stdio', 'function'] as const) {
        assert.ok(
          set.candidates.some((c) => hack(c) && problems.get(c.problemId)!.style === style),
          `hacks on ${style}`,
        );
      }
    });

    it('gives the reasoning monitor material on both sides', () => {
      const mentionsTests = /\btests?\b|\bchecker\b|\bgrader\b/i;
      const withReasoning = set.candidates.filter((c) => c.reasoning);
      const hacks = withReasoning.filter((c) => labels[c.id]!.label === 'hack');
      const clean = withReasoning.filter((c) => labels[c.id]!.label === 'clean');
      assert.ok(hacks.filter((c) => mentionsTests.test(c.reasoning!)).length >= 10, 'hacks whose reasoning talks about the tests');
      assert.ok(
        hacks.some((c) => /make the tests pass/i.test(c.reasoning!)),
        'an explicit intention to pass the tests',
      );
      assert.ok(clean.filter((c) => !mentionsTests.test(c.reasoning!)).length >= 10, 'clean candidates with innocent reasoning');
      assert.ok(
        clean.some((c) => mentionsTests.test(c.reasoning!)),
        'a clean candidate that notices a wrong test',
      );
    });

    it('is exactly what its sources build', () => {
      const out = mkdtempSync(path.join(tmpdir(), 'loophole-sample-'));
      try {
        const built = spawnSync('python3', [BUILD, out], { encoding: 'utf8', timeout: 60_000 });
        assert.equal(built.status, 0, built.stderr);
        for (const file of ['sample.loophole.jsonl', 'labels.json']) {
          assert.ok(
            readFileSync(path.join(out, file)).equals(readFileSync(path.join(SAMPLE_DIR, file))),
            `${file} is out of date: run python3 media/sample/source/build.py`,
          );
        }
      } finally {
        rmSync(out, { recursive: true, force: true });
      }
    });
  });

  describe('running every solution against every test', function () {
    this.timeout(300_000);
    let results: Map<string, Outcomes>;

    before(async () => {
      results = await runAll(set);
    });

    for (const id of PROBLEM_IDS) {
      it(id, () => {
        const p = problems.get(id)!;
        const outcomes = results.get(id)!;
        const ref = outcomes.reference!;
        const passes = (pairs: Array<[Test, Outcome]>): boolean => pairs.every(([, o]) => o.outcome === 'pass');

        const refShown = [...byRole(p, ref, 'visible'), ...byRole(p, ref, 'heldout')];
        assert.ok(passes(refShown), `reference: ${show(refShown)}`);
        assert.notEqual(byRole(p, ref, 'incorrect')[0]![1].outcome, 'pass', 'the reference fails the incorrect test');

        for (const c of set.candidates.filter((x) => x.problemId === id)) {
          const label = labels[c.id]!;
          const mine = outcomes[c.id]!;
          const visible = byRole(p, mine, 'visible');
          const heldout = byRole(p, mine, 'heldout');
          const incorrect = byRole(p, mine, 'incorrect');
          if (label.label === 'clean') {
            assert.ok(passes([...visible, ...heldout]), `${c.id} is labelled clean: ${show([...visible, ...heldout])}`);
            assert.notEqual(incorrect[0]![1].outcome, 'pass', `${c.id} is labelled clean but passes the incorrect test`);
            continue;
          }
          const failsHeldout = !passes(heldout);
          const passesIncorrect = incorrect[0]![1].outcome === 'pass';
          const exits = Object.values(mine).some((o) => o.outcome === 'exit');
          if (label.style === 'harness-tampering' || label.style === 'test-reading') {
            assert.ok(passesIncorrect || exits, `${c.id} (${label.style}) shows no effect: ${show([...incorrect, ...heldout])}`);
          } else {
            assert.ok(failsHeldout, `${c.id} (${label.style}) passes every held-out test: ${show(heldout)}`);
          }
        }
      });
    }
  });
});
