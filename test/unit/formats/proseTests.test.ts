import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { importReviewSet } from '../../../server/src/formats';
import { extractPromptTests, literalText } from '../../../server/src/formats/proseTests';
import { splitPromptTests } from '../../../server/src/formats/promptTests';

/** Runs `code` (a solution) and each extracted test in one real Python process; returns the failures. */
function failures(code: string, tests: readonly string[]): string[] {
  const script = [
    'import sys, json',
    'ns = {}',
    `exec(${JSON.stringify(code)}, ns)`,
    'bad = []',
    `for t in json.loads(${JSON.stringify(JSON.stringify(tests))}):`,
    '    local = dict(ns)',
    '    try:',
    '        exec(t, local)',
    '    except Exception as e:',
    '        bad.append(t + " -> " + type(e).__name__)',
    'print(json.dumps(bad))',
  ].join('\n');
  return JSON.parse(execFileSync('python3', ['-c', script], { encoding: 'utf8' })) as string[];
}

describe('formats/proseTests', () => {
  it('reads calls with an expected value written in prose, after list markers and comment marks', () => {
    const prompt = [
      'Write a function that doubles a number.',
      '',
      '# Unit tests',
      '# twice(2) should return 4',
      '1. twice(-3) should return -6',
      '- `twice(0)` should return `0`',
      'twice(10) -> 20',
      'twice(7) => 14',
      'twice(1.5) == 3.0',
      'Expected: twice(100) returns 200',
    ].join('\n');
    const t = extractPromptTests(prompt);
    assert.deepEqual(t.asserts, [
      'assert twice(2) == 4',
      'assert twice(-3) == -6',
      'assert twice(0) == 0',
      'assert twice(10) == 20',
      'assert twice(7) == 14',
      'assert twice(1.5) == 3.0',
      'assert twice(100) == 200',
    ]);
    assert.equal(t.statement, 'Write a function that doubles a number.');
    assert.deepEqual(failures('def twice(x):\n    return 2 * x', t.asserts), []);
  });

  it('reads Input/Expected output pairs on one line or two, naming the function from the statement', () => {
    const prompt = [
      'Write a function `shout(text)` that upper-cases text and adds "!".',
      'Here are the unit tests:',
      "1. Input: 'hi' - Expected output: 'HI!'",
      "Input: 'a b'  Expected output: 'A B!'",
      'Input: ""',
      'Output: "!"',
      "If input is 'ok', should return 'OK!'.",
    ].join('\n');
    const t = extractPromptTests(prompt);
    assert.deepEqual(t.asserts, [
      "assert shout('hi') == 'HI!'",
      "assert shout('a b') == 'A B!'",
      'assert shout("") == "!"',
      "assert shout('ok') == 'OK!'",
    ]);
    assert.deepEqual(failures('def shout(text):\n    return text.upper() + "!"', t.asserts), []);
  });

  it('reads a result stated in a comment after the call, and "for input x, the output should be y"', () => {
    assert.deepEqual(extractPromptTests('Sum it.\nprint(total([1, 2]))  # 3\ntotal([4])  # Output: 4\ntotal([5])  # returns 5').asserts, [
      'assert total([1, 2]) == 3',
      'assert total([4]) == 4',
      'assert total([5]) == 5',
    ]);
    assert.deepEqual(
      extractPromptTests('Sum it with `total(xs)`.\nFor input [1, 2, 3], the output should be 6\nGiven [2, 2] the function should return 4')
        .asserts,
      ['assert total([1, 2, 3]) == 6', 'assert total([2, 2]) == 4'],
    );
  });

  it('takes the function name from a hint when the prose names none', () => {
    const prompt = 'Add one to each element.\n\nTests:\n[1, 2] -> [2, 3]\n[] should return []';
    assert.deepEqual(extractPromptTests(prompt).asserts, []);
    const t = extractPromptTests(prompt, { entryPoint: 'bump' });
    assert.deepEqual(t.asserts, ['assert bump([1, 2]) == [2, 3]', 'assert bump([]) == []']);
  });

  it('reads doctests, Inputs:/Outputs: lists, numbered tests on one line and asserts inside prose', () => {
    const doc = extractPromptTests('Count letters.\n\n>>> letters("aab")\n{\'a\': 2, \'b\': 1}\n>>> letters("")\n{}');
    assert.deepEqual(doc.asserts, ["assert letters(\"aab\") == {'a': 2, 'b': 1}", 'assert letters("") == {}']);
    const lists = extractPromptTests('Write `neg(x)`.\n\nInputs:\n- 1\n- -2\n\nOutputs:\n- -1\n- 2');
    assert.deepEqual(lists.asserts, ['assert neg(1) == -1', 'assert neg(-2) == 2']);
    const inline = extractPromptTests("Reverse it. The tests: 1) rev('ab') should return 'ba'. 2) rev('') should return ''.");
    assert.deepEqual(inline.asserts, ["assert rev('ab') == 'ba'", "assert rev('') == ''"]);
    const semi = extractPromptTests("Tests to pass: assert rev('xy') == 'yx'; assert rev('a') == 'a';");
    assert.deepEqual(semi.asserts, ["assert rev('xy') == 'yx'", "assert rev('a') == 'a'"]);
    const numbered = extractPromptTests("Tests:\n1. assert(rev('pq') == 'qp')");
    assert.deepEqual(numbered.asserts, ["assert(rev('pq') == 'qp')"]);
  });

  it('writes a literal set up before the asserts into them, and keeps other setup before each assert', () => {
    const prompt = [
      'Sum the scores per team.',
      '',
      'Test cases:',
      'rows1 = [',
      '    {"team": "x", "score": 2},',
      '    {"team": "x", "score": 3},',
      ']',
      'assert team_totals(rows1) == {"x": 5}',
      'from fractions import Fraction',
      'assert team_totals([{"team": "y", "score": Fraction(1, 2)}]) == {"y": Fraction(1, 2)}',
    ].join('\n');
    const t = extractPromptTests(prompt);
    assert.equal(t.asserts.length, 2);
    assert.match(t.asserts[0]!, /^assert team_totals\(\[\n\s+\{"team": "x", "score": 2\},/);
    assert.equal(
      t.asserts[1],
      'from fractions import Fraction\nassert team_totals([{"team": "y", "score": Fraction(1, 2)}]) == {"y": Fraction(1, 2)}',
    );
    assert.equal(t.statement, 'Sum the scores per team.');
    const solution =
      'def team_totals(rows):\n    out = {}\n    for r in rows:\n        out[r["team"]] = out.get(r["team"], 0) + r["score"]\n    return out';
    assert.deepEqual(failures(solution, t.asserts), []);
  });

  it('keeps a triple-quoted setup value whole, and replays state changes between asserts', () => {
    const config = extractPromptTests('Parse it.\n\nTest cases:\ntext = """\na = 1\n# note\n"""\nassert parse(text) == {"a": "1"}');
    assert.deepEqual(config.asserts, ['assert parse("""\na = 1\n# note\n""") == {"a": "1"}']);
    const prompt = [
      'Implement a counter class.',
      'Test cases:',
      'c = Counter()',
      'c.add(2)',
      'assert c.total() == 2',
      'c.add(3)  # now five',
      'assert c.total() == 5',
    ].join('\n');
    const t = extractPromptTests(prompt);
    assert.deepEqual(t.asserts, [
      'c = Counter()\nc.add(2)\nassert c.total() == 2',
      'c = Counter()\nc.add(2)\nc.total() == 2\nc.add(3)\nassert c.total() == 5',
    ]);
    const solution =
      'class Counter:\n    def __init__(self):\n        self.n = 0\n    def add(self, k):\n        self.n += k\n    def total(self):\n        return self.n';
    assert.deepEqual(failures(solution, t.asserts), []);
    assert.deepEqual(failures(solution.replace('self.n += k', 'self.n = k'), t.asserts).length, 1);
  });

  it('replays an earlier assert that changes state a later one reads, with the helper it uses', () => {
    const prompt = [
      'Write `call_twice(f)` that calls f two times and returns the last result.',
      'Test cases:',
      'seen = []',
      'def record():',
      '    seen.append(1)',
      '    return len(seen)',
      'assert call_twice(record) == 2',
      'assert len(seen) == 2',
    ].join('\n');
    const t = extractPromptTests(prompt);
    assert.deepEqual(t.asserts, [
      'seen = []\ndef record():\n    seen.append(1)\n    return len(seen)\nassert call_twice(record) == 2',
      'seen = []\ndef record():\n    seen.append(1)\n    return len(seen)\ncall_twice(record) == 2\nassert len(seen) == 2',
    ]);
    assert.deepEqual(failures('def call_twice(f):\n    f()\n    return f()', t.asserts), []);
    assert.equal(failures('def call_twice(f):\n    return f()', t.asserts).length, 2);
  });

  it('keeps the literals of a test it cannot read, and the contents of a given file', () => {
    const prompt = [
      'Total the numbers in a file.',
      '',
      'Given a file data.txt containing:',
      '```',
      '10',
      '32',
      '```',
      'Test cases:',
      'Calling total_file("data.txt") gives the sum, which must be 42 exactly, nothing else',
    ].join('\n');
    const t = extractPromptTests(prompt);
    assert.deepEqual(t.asserts, []);
    assert.ok(t.literals.includes('10\n32'), 'the file contents');
    assert.ok(t.literals.includes('"data.txt"'));
    assert.ok(t.literals.includes('42'));
  });

  it('leaves prose alone: sentences, apostrophes and words like "should be"', () => {
    const prompt = "The review should be balanced. I'll score it on a 1-10 scale; it isn't graded on length -> keep it short.";
    const t = extractPromptTests(prompt);
    assert.deepEqual(t.asserts, []);
    assert.ok(!t.literals.some((l) => l.includes('ll score')), 'an apostrophe opens no string');
    assert.equal(t.statement, prompt);
  });

  it('accepts Python values as expected values and nothing else', () => {
    assert.equal(literalText(' [1, (2, 3)]. '), '[1, (2, 3)]');
    assert.equal(literalText("'a # b'  # a comment"), "'a # b'");
    assert.equal(literalText('None'), 'None');
    assert.equal(literalText('date(2024, 1, 2)'), 'date(2024, 1, 2)');
    assert.equal(literalText('the sum of the list'), undefined);
    assert.equal(literalText('[1, 2'), undefined);
    assert.equal(literalText('(which is what we want)'), undefined);
  });

  it('is what chat prompts go through: asserts and prose tests become the visible tests', () => {
    const t = splitPromptTests('Write f.\n\nassert f(1) == 2\nf(2) should return 3');
    assert.deepEqual(t.asserts, ['assert f(1) == 2', 'assert f(2) == 3']);
    assert.equal(t.statement, 'Write f.');
  });

  it('gives chat problems their prose tests, the function name of the answer when the prompt has none, and the leftover literals', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'loophole-prose-'));
    try {
      const file = path.join(dir, 'chat.jsonl');
      const prompt =
        "Check whether a word reads the same both ways.\nHere are the unit tests:\n1. Input: 'noon' - Expected output: True\n2. Input: 'abc' - Expected output: False\n3. count_words('words.txt') must be 12 when the file is given";
      const answer = '```python\ndef helper(s):\n    return s[::-1]\n\ndef reads_same(word):\n    return helper(word) == word\n```';
      writeFileSync(
        file,
        JSON.stringify({
          messages: [
            { role: 'user', content: prompt },
            { role: 'assistant', content: answer },
          ],
        }) + '\n',
      );
      const { set } = await importReviewSet(file, { format: 'chat' });
      const p = set.problems[0]!;
      assert.equal(p.entryPoint, 'reads_same');
      assert.deepEqual(
        p.tests.map((t) => (t.kind === 'assert' ? [t.role, t.code] : [])),
        [
          ['visible', "assert reads_same('noon') == True"],
          ['visible', "assert reads_same('abc') == False"],
        ],
      );
      assert.equal(p.statement.includes('noon'), false, 'the tests are taken out of the statement');
      assert.ok(p.promptLiterals?.includes('12'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
