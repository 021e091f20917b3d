import { strict as assert } from 'node:assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  BUILTIN_VARIANTS,
  CurationError,
  describeMapping,
  loadVariants,
  parseMapping,
  parseVariants,
  renderPrompt,
  renderShownTests,
  trainingVariantFor,
  validateVariant,
  variantsFileFor,
  VariantError,
} from '../../../server/src/curation';
import { problems } from '../../fixtures/curation/reviewSet';

const add = problems.find((p) => p.id === 'p-add')!;
const echo = problems.find((p) => p.id === 'p-echo')!;
const sq = problems.find((p) => p.id === 'p-sq')!;

const rejects = (fn: () => unknown, ...parts: RegExp[]) =>
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof VariantError && e instanceof CurationError, `a VariantError, got ${String(e)}`);
    for (const p of parts) assert.match((e as Error).message, p);
    return true;
  });

describe('curation: prompt variants', () => {
  it('the built-ins are valid, distinct, and share the user template', () => {
    for (const v of BUILTIN_VARIANTS) validateVariant(v, 'built-in');
    assert.deepEqual(
      BUILTIN_VARIANTS.map((v) => v.name),
      ['discourage', 'neutral', 'permit'],
    );
    assert.equal(new Set(BUILTIN_VARIANTS.map((v) => v.user)).size, 1);
    assert.match(BUILTIN_VARIANTS[0]!.suffix!, /special-case/);
    assert.match(BUILTIN_VARIANTS[0]!.suffix!, /may be wrong/);
    assert.match(BUILTIN_VARIANTS[2]!.suffix!, /acceptable/);
  });

  it('renders the shown tests (visible and incorrect) and never the held-out ones', () => {
    const shown = renderShownTests(add);
    assert.equal(shown, 'assert add(1, 2) == 4\nassert add(2, 3) == 5');
    const [system, user] = renderPrompt(BUILTIN_VARIANTS[1]!, add);
    assert.equal(system!.role, 'system');
    assert.ok(user!.content.startsWith(add.statement));
    assert.ok(user!.content.includes(shown));
    assert.ok(!user!.content.includes('add(10, 20)'));
  });

  it('renders stdio tests as input and expected output', () => {
    assert.equal(renderShownTests(echo), 'Input:\nhi\n\nExpected output:\nhi hi\n');
  });

  it('fills {entry_point} from the tests when the problem does not name it; {{ }} are literal braces', () => {
    const [v] = parseVariants(
      JSON.stringify({ variants: [{ name: 'ep', user: 'Define {entry_point}: {statement} {{not a placeholder}}' }] }),
      'f.json',
    );
    const [user] = renderPrompt(v!, sq);
    assert.equal(user!.content, `Define sq: ${sq.statement} {not a placeholder}`);
  });

  it('a file variant without user gets the built-in template, and may redefine a built-in', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'variants-'));
    const file = path.join(dir, 'v.json');
    writeFileSync(
      file,
      JSON.stringify({
        variants: [
          { name: 'strict', system: 'Be strict.', suffix: 'No tricks for {entry_point}.' },
          { name: 'neutral', user: '{statement}' },
        ],
      }),
    );
    const all = loadVariants(file);
    assert.deepEqual([...all.keys()], ['discourage', 'neutral', 'permit', 'strict']);
    assert.equal(all.get('neutral')!.user, '{statement}');
    const [, user] = renderPrompt(all.get('strict')!, add);
    assert.ok(user!.content.endsWith('\n\nNo tricks for add.'));
  });

  it('finds .loophole/variants.json beside the data, or the file given', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'variants-'));
    assert.equal(variantsFileFor(dir), undefined);
    assert.equal(variantsFileFor(dir, '/x/y.json'), '/x/y.json');
  });

  it('an unknown placeholder is an error naming the file, the variant and the placeholder', () => {
    rejects(
      () => parseVariants(JSON.stringify({ variants: [{ name: 'odd', suffix: 'Hello {foo}' }] }), 'ws/.loophole/variants.json'),
      /ws\/\.loophole\/variants\.json/,
      /"odd"/,
      /\{foo\}/,
      /suffix/,
    );
  });

  it('a user template without {statement} is an error', () => {
    rejects(
      () => parseVariants(JSON.stringify({ variants: [{ name: 'bare', user: 'Solve: {tests}' }] }), 'v.json'),
      /v\.json/,
      /"bare"/,
      /\{statement\}/,
    );
  });

  it('bad JSON, a missing name, a duplicate, an unknown field, a missing file: each a clear error', () => {
    rejects(() => parseVariants('{', 'v.json'), /v\.json: not valid JSON/);
    rejects(() => parseVariants('{"variants": {}}', 'v.json'), /"variants" array/);
    rejects(() => parseVariants(JSON.stringify({ variants: [{ system: 'x' }] }), 'v.json'), /variant #1/, /name/);
    rejects(() => parseVariants(JSON.stringify({ variants: [{ name: 'a' }, { name: 'a' }] }), 'v.json'), /"a" is defined twice/);
    rejects(() => parseVariants(JSON.stringify({ variants: [{ name: 'a', prefix: 'x' }] }), 'v.json'), /unknown field "prefix"/);
    rejects(() => parseVariants(JSON.stringify({ variants: [{ name: 'a', system: 3 }] }), 'v.json'), /"system" must be a string/);
    rejects(() => loadVariants('/nonexistent/variants.json'), /\/nonexistent\/variants\.json: cannot read/);
  });

  it('mappings: FROM=TO pairs, a bare TO for every variant, unknown names refused', () => {
    const v = loadVariants();
    const m = parseMapping(['discourage=neutral'], v);
    assert.equal(trainingVariantFor('discourage', m), 'neutral');
    assert.equal(trainingVariantFor('permit', m), 'permit', 'identity for unmapped variants');
    assert.equal(describeMapping(m), 'discourage → neutral');
    const all = parseMapping(['permit'], v);
    assert.equal(trainingVariantFor('discourage', all), 'permit');
    assert.equal(trainingVariantFor('something-else', all), 'permit');
    assert.equal(describeMapping(parseMapping([], v)), 'identity');
    rejects(() => parseMapping(['discourage=neutrl'], v), /unknown prompt variant "neutrl"/, /known: discourage, neutral, permit/);
    rejects(() => parseMapping(['a=b=c'], v), /FROM=TO/);
  });
});
