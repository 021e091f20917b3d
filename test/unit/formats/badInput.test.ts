import { strict as assert } from 'node:assert';
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';
import { importReviewSet } from '../../../server/src/formats';
import { fixture, scratch } from './fixtures';

const MBPP_ROW = JSON.stringify({
  problem: 'Write `inc(x)`.',
  correct_code: 'def inc(x):\n    return x + 1',
  incorrect_code: 'def inc(x):\n    return 3',
  correct_test_list: ['assert inc(1) == 2', 'assert inc(2) == 3'],
  incorrect_test: 'assert inc(1) == 3',
});

describe('formats/bad input', () => {
  let tmp: ReturnType<typeof scratch>;
  beforeEach(() => {
    tmp = scratch();
  });
  afterEach(() => tmp.remove());

  it('reports each bad loophole line with file, line and field, and loads the rest', async () => {
    const { set, issues } = await importReviewSet(fixture('bad.loophole.jsonl'));
    const file = path.relative(process.cwd(), fixture('bad.loophole.jsonl'));
    assert.deepEqual(
      issues.map((i) => `${i.file}:${i.line}: ${i.message}`),
      [
        `${file}:2: malformed JSON: ${issues[0]!.message.slice('malformed JSON: '.length)}`,
        `${file}:3: candidate.problemId: required string is missing`,
        `${file}:4: problem.tests[0].role: must be one of visible, incorrect, heldout (got "secret")`,
        `${file}:6: candidate.sampleIndex: expected integer, got string`,
        `${file}:8: duplicate candidate id "p2/c1" (first at ${file}:7); skipped`,
        `${file}:9: candidate "ghost/c0": problem "ghost" is not in the input; skipped`,
        `${file}:10: record: must be one of header, problem, candidate (got "verdict")`,
      ],
    );
    assert.deepEqual(
      set.problems.map((p) => p.id),
      ['p2'],
    );
    assert.deepEqual(
      set.candidates.map((c) => c.id),
      ['p2/c1', 'p2/c2'],
    );
  });

  it('reports malformed JSON and rows missing required fields in the other formats', async () => {
    const file = path.join(tmp.dir, 'rows.jsonl');
    writeFileSync(
      file,
      [MBPP_ROW, '{"problem": "x", "correct_test_list": [', JSON.stringify({ problem: 'no tests' }), '[1, 2]', MBPP_ROW].join('\n'),
    );
    const { set, issues } = await importReviewSet(file);
    assert.deepEqual(
      issues.map((i) => i.line),
      [2, 3, 4],
    );
    assert.match(issues[0]!.message, /^malformed JSON: /);
    assert.match(issues[1]!.message, /no tests/);
    assert.equal(issues[2]!.message, 'expected a JSON object');
    assert.deepEqual(
      set.problems.map((p) => p.id),
      ['mbpp-1', 'mbpp-5'],
    );
  });

  it('names the file and the formats there are for an unknown format', async () => {
    const { set, issues, formats } = await importReviewSet(fixture('unknown.jsonl'));
    assert.equal(set.problems.length, 0);
    assert.deepEqual(formats, {});
    assert.equal(issues.length, 1);
    assert.match(issues[0]!.file, /unknown\.jsonl$/);
    assert.match(
      issues[0]!.message,
      /unknown format: the first record has keys foo, bar; expected one of loophole, mbpp, chat, inspect, stdio/,
    );
  });

  it("passes over a folder's non-review JSON (a label file) without an issue, and still reports it when opened by name", async () => {
    const dir = path.join(tmp.dir, 'set');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'rows.jsonl'), MBPP_ROW + '\n');
    writeFileSync(path.join(dir, 'labels.json'), JSON.stringify({ 'mbpp-1/c0': { label: 'clean', lines: [] } }, null, 2));
    const folder = await importReviewSet(dir);
    assert.deepEqual(folder.issues, []);
    assert.equal(folder.skipped.length, 1);
    assert.match(folder.skipped[0]!.file, /labels\.json$/);
    assert.match(folder.skipped[0]!.reason, /^not a review set: the first record has keys mbpp-1\/c0$/);
    assert.deepEqual(
      folder.set.problems.map((p) => p.id),
      ['mbpp-1'],
    );
    const alone = await importReviewSet(path.join(dir, 'labels.json'));
    assert.deepEqual(alone.skipped, []);
    assert.equal(alone.issues.length, 1);
    assert.match(alone.issues[0]!.message, /^unknown format/);
  });

  it('throws only for a missing path or an unknown format asked for by name', async () => {
    await assert.rejects(importReviewSet(path.join(tmp.dir, 'nope.jsonl')), /no such file or folder: .*nope\.jsonl/);
    await assert.rejects(
      importReviewSet(fixture('mbpp.jsonl'), { format: 'csv' as never }),
      /unknown format "csv"; the formats are: auto, loophole, mbpp, chat, inspect, stdio/,
    );
  });

  it('reports non-UTF-8 bytes as `file:line: not valid UTF-8` and keeps the other lines', async () => {
    const file = path.join(tmp.dir, 'latin1.jsonl');
    writeFileSync(
      file,
      Buffer.concat([
        Buffer.from(MBPP_ROW + '\n'),
        Buffer.from('{"problem": "caf'),
        Buffer.from([0xe9, 0xff]),
        Buffer.from('"}\n'),
        Buffer.from(MBPP_ROW + '\n'),
      ]),
    );
    const { set, issues } = await importReviewSet(file);
    assert.deepEqual(
      issues.map((i) => `${i.line}: ${i.message}`),
      ['2: not valid UTF-8'],
    );
    assert.equal(set.problems.length, 2);
  });

  it('reports an empty file, and a file of blank lines', async () => {
    const blank = path.join(tmp.dir, 'blank.jsonl');
    writeFileSync(blank, '\n\n  \n');
    for (const file of [fixture('empty.jsonl'), blank]) {
      const { set, issues } = await importReviewSet(file);
      assert.equal(set.problems.length, 0);
      assert.deepEqual(
        issues.map((i) => [i.line, i.message]),
        [[1, 'empty file: no records']],
      );
    }
    const emptyJson = path.join(tmp.dir, 'empty.json');
    writeFileSync(emptyJson, '');
    assert.deepEqual(
      (await importReviewSet(emptyJson)).issues.map((i) => i.message),
      ['empty file: no records'],
    );
  });

  it('skips a 50 MB line, reporting its size, and reads the lines after it', async () => {
    const file = path.join(tmp.dir, 'huge.jsonl');
    const out = createWriteStream(file);
    out.write(MBPP_ROW + '\n');
    out.write('{"problem": "');
    const block = 'x'.repeat(1024 * 1024);
    for (let i = 0; i < 50; i++) if (!out.write(block)) await once(out, 'drain');
    out.write('"}\n' + MBPP_ROW + '\n');
    out.end();
    await once(out, 'finish');
    const { set, issues } = await importReviewSet(file);
    assert.equal(issues.length, 1);
    assert.equal(issues[0]!.line, 2);
    assert.match(issues[0]!.message, /^line is 5242881\d bytes, over the 16777216-byte limit; skipped$/);
    assert.deepEqual(
      set.problems.map((p) => p.id),
      ['mbpp-1', 'mbpp-3'],
    );
  });

  it('reads a folder recursively, skipping .loophole/ and node_modules/, with formats per file', async () => {
    mkdirSync(path.join(tmp.dir, 'sub'));
    mkdirSync(path.join(tmp.dir, '.loophole'));
    mkdirSync(path.join(tmp.dir, 'node_modules'));
    writeFileSync(path.join(tmp.dir, 'a.jsonl'), MBPP_ROW + '\n');
    writeFileSync(path.join(tmp.dir, 'sub', 'b.jsonl'), MBPP_ROW.replace('inc(x)', 'incr(x)') + '\n' + MBPP_ROW + '\n');
    writeFileSync(path.join(tmp.dir, 'sub', 'notes.txt'), 'not an input');
    writeFileSync(path.join(tmp.dir, '.loophole', 'c.jsonl'), '{broken');
    writeFileSync(path.join(tmp.dir, 'node_modules', 'd.jsonl'), '{broken');
    const { set, issues, formats } = await importReviewSet(tmp.dir);
    assert.deepEqual(issues, []);
    assert.deepEqual(
      Object.keys(formats).map((f) => path.basename(f)),
      ['a.jsonl', 'b.jsonl'],
    );
    // a different row under the same derived id is renamed; the same row twice is one problem
    assert.deepEqual(
      set.problems.map((p) => p.id),
      ['mbpp-1', 'b:mbpp-1', 'mbpp-2'],
    );
    assert.equal(set.candidates.length, 6);
    assert.equal(new Set(set.candidates.map((c) => c.id)).size, 6);
    assert.equal(set.name, path.basename(tmp.dir));
  });

  it('a candidate whose problem is in another file of the folder still finds it', async () => {
    writeFileSync(
      path.join(tmp.dir, '1-candidates.jsonl'),
      JSON.stringify({ record: 'candidate', id: 'p/c0', problemId: 'p', completion: 'def f():\n    return 1' }) + '\n',
    );
    writeFileSync(
      path.join(tmp.dir, '2-problems.jsonl'),
      JSON.stringify({
        record: 'problem',
        id: 'p',
        style: 'function',
        statement: 's',
        tests: [{ id: 't0', role: 'visible', kind: 'assert', code: 'assert f() == 1' }],
      }) + '\n',
    );
    const { set, issues } = await importReviewSet(tmp.dir);
    assert.deepEqual(issues, []);
    assert.equal(set.candidates[0]!.code, 'def f():\n    return 1');
  });

  it('reports progress up to the total and stops when aborted', async () => {
    const file = path.join(tmp.dir, 'rows.jsonl');
    writeFileSync(file, (MBPP_ROW + '\n').repeat(200));
    const seen: [number, number][] = [];
    await importReviewSet(file, { onProgress: (read, total) => seen.push([read, total]) });
    const size = (MBPP_ROW.length + 1) * 200;
    assert.ok(seen.length > 0);
    assert.deepEqual(seen[seen.length - 1], [size, size]);
    assert.ok(seen.every(([r, t], i) => t === size && r <= t && (i === 0 || r >= seen[i - 1]![0])));
    const ac = new AbortController();
    ac.abort(new Error('stop'));
    await assert.rejects(importReviewSet(file, { signal: ac.signal }), /stop/);
  });
});
