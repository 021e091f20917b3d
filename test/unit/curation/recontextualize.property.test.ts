import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import type { Candidate, Problem, Test } from '../../../contract/domain';
import {
  BASE_USER_TEMPLATE,
  BUILTIN_VARIANTS,
  fillTemplate,
  loadVariants,
  PromptCache,
  recontextualize,
  renderShownTests,
  type PromptVariant,
  type VariantMapping,
} from '../../../server/src/curation';

const variants = loadVariants();
const names = BUILTIN_VARIANTS.map((v) => v.name);

const testArb: fc.Arbitrary<Test> = fc.record({
  kind: fc.constant('assert' as const),
  id: fc.string({ minLength: 1, maxLength: 4 }),
  role: fc.constantFrom('visible' as const, 'incorrect' as const, 'heldout' as const),
  code: fc.string({ maxLength: 40 }).map((s) => `assert f(${JSON.stringify(s)}) == 1`),
});

const problemArb: fc.Arbitrary<Problem> = fc.record({
  id: fc.string({ minLength: 1, maxLength: 8 }),
  // statements may hold braces that look like placeholders; they must come through verbatim
  statement: fc.oneof(fc.string({ maxLength: 80 }), fc.constant('Return {tests} as {statement} {{x}}')),
  style: fc.constant('function' as const),
  entryPoint: fc.constant('f'),
  tests: fc.array(testArb, { maxLength: 5 }),
});

const candidateArb = (problemId: string): fc.Arbitrary<Candidate> =>
  fc
    .record({
      id: fc.constant('c'),
      problemId: fc.constant(problemId),
      completion: fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 200 })),
      code: fc.constant(''),
      promptVariant: fc.option(fc.constantFrom(...names), { nil: undefined }),
    })
    .map((c) => (c.promptVariant === undefined ? (({ promptVariant: _, ...rest }) => rest)(c) : c) as Candidate);

const mappingArb: fc.Arbitrary<VariantMapping> = fc.oneof(
  fc.constant({ pairs: new Map<string, string>() }),
  fc.tuple(fc.constantFrom(...names), fc.constantFrom(...names)).map(([a, b]) => ({ pairs: new Map([[a, b]]) })),
  fc.constantFrom(...names).map((all) => ({ pairs: new Map<string, string>(), all })),
);

describe('curation: recontextualization (property)', () => {
  it('never changes the completion, and changes exactly the system message and the suffix', () => {
    fc.assert(
      fc.property(
        problemArb.chain((p) => fc.tuple(fc.constant(p), candidateArb(p.id), mappingArb)),
        ([problem, candidate, mapping]) => {
          const before = candidate.completion;
          const r = recontextualize(problem, candidate, mapping, new PromptCache(variants));
          assert.equal(r.completion, before);
          assert.equal(candidate.completion, before, 'the candidate itself is untouched');

          const gen = candidate.promptVariant ?? 'neutral';
          assert.equal(r.generationVariant, gen);
          const expectedTraining = mapping.pairs.get(gen) ?? mapping.all ?? gen;
          assert.equal(r.trainingVariant, expectedTraining);

          const v: PromptVariant = variants.get(expectedTraining)!;
          const values = { statement: problem.statement, tests: renderShownTests(problem), entry_point: 'f' };
          const base = fillTemplate(BASE_USER_TEMPLATE, values);
          const system = r.prompt.find((m) => m.role === 'system');
          const user = r.prompt.find((m) => m.role === 'user')!;
          assert.equal(r.prompt.length, v.system === undefined ? 1 : 2);
          assert.equal(system?.content, v.system);
          // the user message is the shared base, untouched, plus exactly the training variant's suffix
          assert.equal(user.content, base + (v.suffix === undefined ? '' : '\n\n' + v.suffix));
          assert.ok(user.content.startsWith(problem.statement), 'the statement is never rewritten');
          for (const t of problem.tests)
            if (t.role === 'heldout' && t.kind === 'assert' && !base.includes(t.code)) assert.ok(!user.content.includes(t.code));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('re-pairing to another variant and back gives the generation prompt again', () => {
    fc.assert(
      fc.property(problemArb, fc.constantFrom(...names), fc.constantFrom(...names), (problem, a, b) => {
        const cache = new PromptCache(variants);
        const c: Candidate = { id: 'c', problemId: problem.id, completion: 'x', code: 'x', promptVariant: a };
        const there = recontextualize(problem, c, { pairs: new Map([[a, b]]) }, cache);
        const back = recontextualize(problem, { ...c, promptVariant: b }, { pairs: new Map([[b, a]]) }, cache);
        const same = recontextualize(problem, c, { pairs: new Map() }, cache);
        assert.deepEqual(back.prompt, same.prompt);
        assert.equal(there.trainingVariant, b);
      }),
      { numRuns: 100 },
    );
  });
});
