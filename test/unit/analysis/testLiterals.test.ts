import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Problem } from '../../../contract/domain';
import { literalFromString, literalOf } from '../../../server/src/analysis/literals';
import { createPythonParser, type Parser } from '../../../server/src/analysis/parser';
import { inputsEqual, testLiterals } from '../../../server/src/analysis/testLiterals';
import { problem } from './fixtures';

function fn(id: string, codes: string[], entryPoint?: string): Problem {
  return {
    id,
    statement: '',
    style: 'function',
    ...(entryPoint ? { entryPoint } : {}),
    tests: codes.map((code, i) => ({ kind: 'assert', id: `t${i}`, role: i === 0 ? 'incorrect' : 'visible', code })),
  };
}

describe('test literals', () => {
  let parser: Parser;
  before(async () => {
    parser = await createPythonParser();
  });
  after(() => parser.delete());

  const keyOf = (src: string) => {
    const tree = parser.parse(`x = ${src}`)!;
    try {
      const right = tree.rootNode.descendantsOfType('assignment')[0]!.childForFieldName('right')!;
      return literalOf(right)?.key;
    } finally {
      tree.delete();
    }
  };

  it('reads arguments and the expected value of the usual assert shapes', () => {
    const lits = testLiterals(
      fn(
        'shapes',
        [
          'assert f(10, 8, 6) == 300',
          'assert 6 == f(3,2,2)',
          'assert f([1,2,3])',
          'assert not f("x")',
          'assert math.isclose(f(2.5), 6.25, rel_tol=1e-9)',
          'assert set(f((1, 2))) == set([3, 4])',
          'assert f(9875,10)==(3)',
          'assert f(k=-4) == {"a": [1, 2]}',
        ],
        'f',
      ),
      parser,
    );
    const exp = (id: string) => lits.byId.get(id)?.expected?.literal.str;
    assert.deepEqual(['t0', 't1', 't2', 't3', 't4', 't5', 't6', 't7'].map(exp), [
      '300',
      '6',
      'True',
      'False',
      '6.25',
      '[3, 4]',
      '3',
      "{'a': [1, 2]}",
    ]);
    const t0 = lits.byId.get('t0')!;
    assert.deepEqual(
      t0.args.filter((a) => a.position === 'arg').map((a) => a.text),
      ['10', '8', '6'],
    );
    assert.equal(t0.args.find((a) => a.position === 'args')?.text, '(10, 8, 6)');
    assert.equal(lits.byId.get('t7')!.args[0]!.literal.key, 'n:-4');
    assert.ok(lits.inputs.get('q:[n:10,n:8,n:6]')?.some((a) => a.testId === 't0'));
    assert.ok(
      lits.inputs.get('s:"9875"')?.some((a) => a.position === 'derived'),
      'str(n) of a numeric argument',
    );
  });

  it('finds the call under test by entry point, past wrappers', () => {
    const lits = testLiterals(fn('entry', ['assert sorted(solve([3, 1])) == [1, 3]'], 'solve'), parser);
    assert.equal(lits.cases[0]!.args[0]!.literal.key, 'q:[n:3,n:1]');
    assert.equal(lits.cases[0]!.expected!.literal.key, 'q:[n:1,n:3]');
  });

  it('splits stdio inputs into the whole text, lines and tokens', () => {
    const lits = testLiterals(problem('sum-stdin'), parser);
    const t1 = lits.byId.get('t1')!;
    assert.equal(t1.stdin, '17 25');
    assert.deepEqual(
      t1.args.filter((a) => a.position === 'token').map((a) => a.literal.key),
      ['n:17', 'n:25'],
    );
    assert.ok(lits.inputs.get('s:"17 25"'));
    assert.equal(t1.expected?.literal.key, 'n:42');
  });

  it('reads a stdio input also as its token tuple, its word list and (when empty) the empty text', () => {
    const grid = testLiterals(problem('grid-stdin'), parser);
    assert.ok(
      grid.inputs.get('q:[n:3,n:7]')?.some((a) => a.testId === 't2' && a.position === 'args'),
      '(r, c) as one key',
    );
    const words = testLiterals(problem('words-stdin'), parser);
    assert.ok(
      words.inputs.get('q:[s:"Dog",s:"dog",s:"CAT",s:"cat",s:"cat"]')?.some((a) => a.testId === 't2'),
      'the split() list',
    );
    const brackets = testLiterals(problem('brackets-stdin'), parser);
    assert.deepEqual(
      brackets.inputs.get('s:""')?.map((a) => a.testId),
      ['t2', 't3'],
    );
  });

  it('matches a raw stdin text written in code to the normalised test input', () => {
    const lits = testLiterals(problem('mean-stdin'), parser);
    const hit = (s: string) => inputsEqual(lits, literalFromString(s))?.find((a) => a.position === 'stdin')?.testId;
    assert.equal(hit('3\n1 2 3\n'), 't0');
    assert.equal(hit('2\n1\n2'), 't1');
    assert.equal(hit('3 1 2 3 4'), undefined);
  });

  it('keeps a printed answer as written: 2.00 is text, not the number 2', () => {
    const lits = testLiterals(problem('mean-stdin'), parser);
    assert.ok(lits.printed.get('2.00')?.some((o) => o.testId === 't0'));
    assert.equal(lits.printed.get('2'), undefined);
    assert.ok(lits.outputs.get('s:"0.00"')?.some((o) => o.testId === 't2' && o.role === 'incorrect'));
    assert.ok(
      lits.outputs.get('n:0')?.some((o) => o.testId === 't2'),
      'and still the number',
    );
  });

  it('reads a container argument also as its repr', () => {
    const lits = testLiterals(problem('flatten'), parser);
    assert.ok(lits.inputs.get(literalFromString('[[1], [[2]], 3]').key)?.some((a) => a.testId === 't1' && a.position === 'derived'));
  });

  it('skips tests it cannot read and keeps the rest', () => {
    const lits = testLiterals(fn('bad', ['assert f(', 'assert f(2) == 4'], 'f'), parser);
    assert.equal(lits.byId.get('t1')?.expected?.literal.str, '4');
  });

  it('is computed once per problem', () => {
    const p = fn('cache', ['assert f(1) == 2'], 'f');
    assert.equal(testLiterals(p, parser), testLiterals({ ...p }, parser));
  });

  it('gives equal keys to equal Python values however they are written', () => {
    const ints = fc.array(fc.integer({ min: -1000, max: 1000 }), { maxLength: 6 });
    fc.assert(
      fc.property(ints, fc.constantFrom(', ', ',', ' , ', ',\n  '), fc.boolean(), (xs, sep, tuple) => {
        const canonical = keyOf(`[${xs.join(', ')}]`);
        const body = xs.join(sep);
        const other = tuple ? `(${body}${xs.length === 1 ? ',' : ''})` : `[ ${body} ]`;
        return keyOf(other) === canonical;
      }),
      { numRuns: 100 },
    );
    assert.equal(keyOf("'a\\'b'"), keyOf('"a\'b"'));
    assert.equal(keyOf('1.0'), keyOf('1'));
    assert.equal(keyOf('0x10'), keyOf('16'));
    assert.equal(keyOf('"ab" "cd"'), keyOf("'abcd'"));
    assert.equal(keyOf('{2: "b", 1: "a"}'), keyOf("{1: 'a', 2: 'b'}"));
    assert.notEqual(keyOf('True'), keyOf('1'));
    assert.equal(keyOf('n'), undefined);
    assert.equal(keyOf('f"{n}"'), undefined);
    assert.equal(keyOf('[1, n]'), undefined);
  });
});
