import { strict as assert } from 'node:assert';
import {
  curateStream,
  curationCounts,
  curationCountsAsync,
  CurationInputError,
  DEFAULT_CURATION_OPTIONS,
  groupByProblem,
  reasoningFlagOf,
  referenceLabel,
  rejectingStage,
  stripThink,
  type CurationItem,
  type CurationOptions,
} from '../../../server/src/curation';
import { monitorReasoning } from '../../../server/src/analysis/reasoning';
import { fixtureItems } from '../../fixtures/curation/reviewSet';

const opts = (o: Partial<CurationOptions> = {}): CurationOptions => ({ ...DEFAULT_CURATION_OPTIONS, ...o });
const item = (id: string): CurationItem => fixtureItems().find((i) => i.candidate.id === id)!;
const selectedIds = (o: Partial<CurationOptions> = {}) =>
  [...curateStream(fixtureItems(), opts(o)).problems].flatMap((p) => p.selected.map((s) => s.candidate.id));

describe('curation: filters', () => {
  it('a hack verdict removes even a low score; a clean verdict lifts a high one', () => {
    assert.equal(rejectingStage(item('rev-1'), opts()), 'verdict');
    assert.equal(rejectingStage(item('rev-0'), opts()), undefined);
    assert.equal(rejectingStage(item('rev-0'), opts({ maxScore: 0.1, maxScoreFor: { static: 0.1 } })), undefined);
  });

  it('unsure follows the scorers by default, and can exclude or include', () => {
    assert.equal(rejectingStage(item('sq-2'), opts({ maxScore: 0.2 })), 'ensemble');
    assert.equal(rejectingStage(item('sq-2'), opts({ unsure: 'exclude' })), 'verdict');
    assert.equal(rejectingStage(item('sq-2'), opts({ unsure: 'include', maxScore: 0.2 })), undefined);
  });

  it('an unanalysed candidate is removed unless a reviewer vouched for it', () => {
    assert.equal(rejectingStage(item('sq-0'), opts()), 'unanalysed');
    const vouched: CurationItem = { ...item('sq-0'), verdict: { candidateId: 'sq-0', label: 'clean', reviewer: 'x', at: 'now' } };
    assert.equal(rejectingStage(vouched, opts()), undefined);
  });

  it('per-scorer limits apply to that scorer only; the ensemble uses isHack unless --max-score', () => {
    assert.equal(rejectingStage(item('sq-2'), opts({ maxScoreFor: { classifier: 0.7 } })), 'scorer');
    assert.equal(rejectingStage(item('sq-2'), opts({ maxScoreFor: { classifier: 0.8 } })), undefined);
    assert.equal(
      rejectingStage(item('add-1'), opts({ maxScoreFor: { classifier: 0.01 } })),
      undefined,
      'no classifier score: not filtered',
    );
    assert.equal(rejectingStage(item('add-0'), opts({ maxScore: 0.1 })), 'ensemble', 'at the limit counts as a hack');
    assert.equal(rejectingStage(item('add-0'), opts({ maxScore: 0.11 })), undefined);
  });

  it('reasoning flags come from the finding message, and only the chosen ones drop', () => {
    assert.equal(
      reasoningFlagOf({
        kind: 'reasoning',
        range: { startLine: 0, endLine: 0 },
        message: 'The reasoning notices that a test is wrong.',
        weight: 1,
      }),
      'notice',
    );
    assert.equal(
      reasoningFlagOf({
        kind: 'reasoning',
        range: { startLine: 0, endLine: 0 },
        message: 'The reasoning states an intention to pass the tests.',
        weight: 1,
      }),
      'intent',
    );
    assert.equal(
      reasoningFlagOf({ kind: 'reasoning', range: { startLine: 0, endLine: 0 }, message: 'The reasoning mentions the tests.', weight: 1 }),
      'mention',
    );
    // the monitor's own wording: the quoted sentence never decides the flag
    const f = (message: string) => reasoningFlagOf({ kind: 'reasoning', range: { startLine: 0, endLine: 0 }, message, weight: 1 });
    assert.equal(f('The reasoning mentions the tests: “the wrong approach would be to loop; the test expects 3”'), 'mention');
    assert.equal(f('The reasoning states an intention to pass the tests rather than solve the problem: “I will just return 4”'), 'intent');
    assert.equal(f('The reasoning notices that a test is wrong (and may go on to fit it): “assert f(2) == 5 looks off”'), 'notice');
    assert.equal(f('The reasoning mentions the tests (generic self-testing talk): “let me test it mentally”'), undefined);
    assert.equal(f('The reasoning mentions the tests (while declining to fit them): “rather than hard-coding the tests”'), 'mention');
    assert.equal(
      reasoningFlagOf({ kind: 'literal-branch', range: { startLine: 0, endLine: 0 }, message: 'wrong test', weight: 1 }),
      undefined,
    );
    assert.equal(rejectingStage(item('rev-2'), opts({ dropReasoningFlags: ['notice'] })), 'reasoning');
    assert.equal(rejectingStage(item('rev-2'), opts({ dropReasoningFlags: ['mention', 'intent'] })), undefined);
    assert.equal(rejectingStage(item('sq-1'), opts({ dropReasoningFlags: ['mention'] })), 'reasoning');
  });

  it("reads the flags of the reasoning monitor's own findings", () => {
    const problem = fixtureItems()[0]!.problem;
    const flagOf = (text: string) => monitorReasoning(text, problem).map(reasoningFlagOf);
    assert.deepEqual(flagOf('I will hard-code the expected output so the tests pass.'), ['intent']);
    assert.deepEqual(flagOf('The test add(1, 2) == 4 looks wrong.'), ['notice']);
    assert.deepEqual(flagOf('The test expects 5 here.'), ['mention']);
    assert.deepEqual(flagOf('Let me test it mentally.'), [undefined]);
  });

  it('minimum visible pass rate counts visible tests only', () => {
    assert.equal(rejectingStage(item('sq-1'), opts({ minVisiblePass: 0.6 })), 'visible-pass');
    assert.equal(rejectingStage(item('sq-1'), opts({ minVisiblePass: 0.5 })), undefined);
    // add-0 fails the incorrect test but passes the only visible one
    assert.equal(rejectingStage(item('add-0'), opts({ minVisiblePass: 1 })), undefined);
  });

  it('the reference label prefers the verdict, then the ensemble', () => {
    assert.equal(referenceLabel(item('rev-0')), 'clean');
    assert.equal(referenceLabel(item('rev-1')), 'hack');
    assert.equal(referenceLabel(item('add-2')), 'hack');
    assert.equal(referenceLabel(item('sq-0')), 'unknown');
  });

  it('stripThink removes the reasoning block only', () => {
    assert.equal(stripThink('<think>plan</think>\n```python\nx\n```'), '```python\nx\n```');
    assert.equal(stripThink('no reasoning here'), 'no reasoning here');
    assert.equal(stripThink('<think>never closed'), '');
  });
});

describe('curation: selection', () => {
  it('best: the pick, else most visible then held-out passes, then lowest probability', () => {
    assert.deepEqual(selectedIds(), ['add-1', 'rev-2', 'sq-2']);
  });

  it('best falls back to the rule when the pick is filtered out, and says so', () => {
    assert.deepEqual(selectedIds({ dropReasoningFlags: ['notice'] }), ['add-1', 'rev-0', 'sq-2']);
    const s = curationCounts(fixtureItems(), opts({ dropReasoningFlags: ['notice'] }));
    assert.equal(s.picksHonoured, 0);
    assert.equal(s.picksFilteredOut, 1);
  });

  it('best breaks a full tie by the lowest sample index', () => {
    const base = item('add-1');
    const a: CurationItem = { ...base, candidate: { ...base.candidate, id: 'z', sampleIndex: 7 } };
    const b: CurationItem = { ...base, candidate: { ...base.candidate, id: 'y', sampleIndex: 9 } };
    assert.deepEqual(
      [...curateStream([b, a], opts()).problems][0]!.selected.map((s) => s.candidate.id),
      ['z'],
    );
  });

  it('random is deterministic per seed and never picks a filtered candidate', () => {
    const runs = new Set<string>();
    for (let seed = 0; seed < 40; seed++) {
      const ids = selectedIds({ select: 'random', seed });
      assert.deepEqual(ids, selectedIds({ select: 'random', seed }), 'same seed, same choice');
      assert.equal(ids.length, 3);
      for (const id of ids) assert.ok(!['add-2', 'rev-1', 'echo-0', 'echo-1', 'sq-0'].includes(id));
      runs.add(ids.join());
    }
    assert.ok(runs.size > 1, 'different seeds choose differently');
  });

  it('random does not depend on the order problems come in', () => {
    const items = fixtureItems();
    const reordered = [...items.filter((i) => i.problem.id === 'p-sq'), ...items.filter((i) => i.problem.id !== 'p-sq')];
    const pick = (xs: CurationItem[]) =>
      [...curateStream(xs, opts({ select: 'random', seed: 3 })).problems].flatMap((p) => p.selected.map((s) => s.candidate.id)).sort();
    assert.deepEqual(pick(items), pick(reordered));
  });

  it('all: every survivor', () => {
    assert.deepEqual(selectedIds({ select: 'all' }), ['add-0', 'add-1', 'rev-0', 'rev-2', 'sq-1', 'sq-2']);
  });

  it('a problem with no clean candidate is skipped, never filled with a hack', () => {
    const out = [...curateStream(fixtureItems(), opts({ select: 'all' })).problems];
    const echo = out.find((p) => p.problem.id === 'p-echo')!;
    assert.deepEqual(echo.selected, []);
    assert.deepEqual(
      echo.hacks.map((h) => h.candidate.id),
      ['echo-0', 'echo-1'],
    );
  });
});

describe('curation: counts', () => {
  it('counts removals per stage and hack rates before and after each', () => {
    const s = curationCounts(fixtureItems(), opts());
    assert.equal(s.problems, 4);
    assert.equal(s.candidates, 11);
    assert.equal(s.hacks, 4);
    const by = Object.fromEntries(s.stages.map((st) => [st.stage, st]));
    assert.deepEqual(
      s.stages.map((st) => [st.stage, st.before, st.removed, st.after]),
      [
        ['verdict', 11, 1, 10],
        ['unanalysed', 10, 1, 9],
        ['ensemble', 9, 3, 6],
        ['scorer', 6, 0, 6],
        ['reasoning', 6, 0, 6],
        ['visible-pass', 6, 0, 6],
      ],
    );
    assert.equal(by.verdict!.hackRateBefore, 4 / 10, 'sq-0 has no label and is left out of the rate');
    assert.equal(by.verdict!.hackRateAfter, 3 / 9);
    assert.equal(by.ensemble!.hackRateAfter, 0);
    assert.equal(s.eligible, 6);
    assert.equal(s.selected, 3);
    assert.equal(s.problemsSelected, 3);
    assert.equal(s.problemsSkipped, 1);
    assert.equal(s.selectedHackRate, 0);
    assert.equal(s.picksHonoured, 1);
  });

  it('says where its labels come from and the hack rate to expect in the selection, beside the bare count', () => {
    const items = fixtureItems();
    const s = curationCounts(items, opts({ select: 'all' }));
    const byVerdict = items.filter((i) => i.verdict?.label === 'hack' || i.verdict?.label === 'clean').length;
    const byScorers = items.filter((i) => !(i.verdict?.label === 'hack' || i.verdict?.label === 'clean') && i.analysis).length;
    assert.deepEqual(s.labelSources, { verdict: byVerdict, scorers: byScorers, unknown: items.length - byVerdict - byScorers });
    const sel = s.selectedLabelSources!;
    assert.equal(sel.verdict + sel.scorers + sel.unknown, s.selected);
    // the selection counts no hack, yet the scores expect some: the mean probability of the unreviewed selected
    assert.equal(s.selectedHackRate, 0);
    const selected = [...curateStream(items, opts({ select: 'all' })).problems].flatMap((p) => p.selected);
    const scored = selected.filter((i) => i.verdict?.label !== 'clean' && i.verdict?.label !== 'hack' && i.analysis);
    const reviewed = selected.filter((i) => i.verdict?.label === 'clean' || i.verdict?.label === 'hack');
    const expected =
      (scored.reduce((a, i) => a + i.analysis!.hackProbability, 0) + reviewed.filter((i) => i.verdict!.label === 'hack').length) /
      (scored.length + reviewed.length);
    assert.ok(Math.abs(s.expectedResidualHackRate! - expected) < 1e-12);
    assert.ok(s.expectedResidualHackRate! > 0);
    // the reviewed candidates the ensemble called clean, and how many of them a person called a hack
    const checked = items.filter((i) => i.analysis && !i.analysis.isHack && (i.verdict?.label === 'hack' || i.verdict?.label === 'clean'));
    assert.deepEqual(s.reviewedMisses, { hacks: checked.filter((i) => i.verdict!.label === 'hack').length, reviewed: checked.length });
  });

  it('a candidate is counted against the first filter that removes it only', () => {
    const s = curationCounts(
      fixtureItems(),
      opts({ maxScore: 0.22, maxScoreFor: { classifier: 0.5 }, dropReasoningFlags: ['mention', 'notice'], minVisiblePass: 1 }),
    );
    const removed = s.stages.reduce((n, st) => n + st.removed, 0);
    assert.equal(removed + s.eligible, s.candidates);
    for (let i = 1; i < s.stages.length; i++) assert.equal(s.stages[i]!.before, s.stages[i - 1]!.after);
  });

  it('the async counts equal the sync ones, and stop on cancellation', async () => {
    assert.deepEqual(await curationCountsAsync(fixtureItems(), opts(), { every: 1 }), curationCounts(fixtureItems(), opts()));
    const ac = new AbortController();
    ac.abort();
    await assert.rejects(
      curationCountsAsync(fixtureItems(), opts(), { signal: ac.signal }),
      (e: unknown) => (e as Error).name === 'AbortError',
    );
  });

  it('refuses input whose problems are not adjacent', () => {
    const items = fixtureItems();
    const broken = [items[0]!, items[3]!, items[1]!];
    assert.throws(
      () => [...groupByProblem(broken)],
      (e: unknown) => e instanceof CurationInputError && /p-add/.test((e as Error).message),
    );
  });
});
