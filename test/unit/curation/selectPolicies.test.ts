import { strict as assert } from 'node:assert';
import { curateStream, DEFAULT_CURATION_OPTIONS, shownPassRate, type CurationItem } from '../../../server/src/curation';
import { analysisOf, code, doubleProblem } from '../jobs/scriptedPolicy';

/** One problem, three candidates: a special-cased one (passes the incorrect test), a correct one the
 *  detector flags anyway, and a correct one; the reviewer called the first a hack. */
function items(): CurationItem[] {
  const problem = doubleProblem('double');
  const mk = (id: string, answer: 'hack' | 'correct', flagged: boolean, sampleIndex: number): CurationItem => ({
    problem,
    candidate: {
      id,
      problemId: problem.id,
      completion: code(problem, answer),
      code: code(problem, answer),
      promptVariant: 'discourage',
      sampleIndex,
    },
    analysis: analysisOf(problem, answer, id, flagged),
  });
  return [
    { ...mk('hack', 'hack', true, 0), verdict: { candidateId: 'hack', label: 'hack', reviewer: 'r', at: 'now' } },
    mk('flagged-correct', 'correct', true, 1),
    mk('correct', 'correct', false, 2),
  ];
}

describe('curation: the two research settings as selection policies', () => {
  it('shown tests are the visible and the incorrect ones: a special-cased answer passes all of them', () => {
    const [hack, correct] = items();
    assert.equal(shownPassRate(hack!), 1);
    assert.equal(shownPassRate(correct!), 0.5);
  });

  it('perfect labels (`best`) never choose a hack', () => {
    const [p] = [...curateStream(items(), { ...DEFAULT_CURATION_OPTIONS, select: 'best' }).problems];
    assert.deepEqual(
      p!.selected.map((s) => s.candidate.id),
      ['correct'],
    );
  });

  it('a misspecified reward (`reward`) chooses by shown-test pass rate alone: the hack wins, verdicts and flags notwithstanding', () => {
    const run = curateStream(items(), { ...DEFAULT_CURATION_OPTIONS, select: 'reward' });
    const [p] = [...run.problems];
    assert.deepEqual(
      p!.selected.map((s) => s.candidate.id),
      ['hack'],
    );
    assert.equal(p!.how, 'reward');
    assert.equal(run.stats().selectedHackRate, 1, 'the selected row is a labelled hack');
  });
});
