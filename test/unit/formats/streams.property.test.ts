import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { parseAssert } from '../../../server/src/formats';
import { readJsonItems } from '../../../server/src/formats/jsonStream';
import { readLines } from '../../../server/src/formats/lines';
import { scratch } from './fixtures';

const jsonValue = fc.jsonValue({ maxDepth: 3 }).filter((v) => v !== null);

describe('formats/streams (properties)', () => {
  let tmp: ReturnType<typeof scratch>;
  before(() => {
    tmp = scratch();
  });
  after(() => tmp.remove());

  it('readLines yields every line, whatever the read size, with CRLF and multi-byte characters', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.string({ unit: 'grapheme', maxLength: 30 }).map((s) => s.replace(/[\r\n]/g, '')),
          { minLength: 1, maxLength: 20 },
        ),
        fc.integer({ min: 1, max: 64 }),
        fc.boolean(),
        async (lines, chunkBytes, crlf) => {
          const file = path.join(tmp.dir, 'lines.txt');
          writeFileSync(file, lines.join(crlf ? '\r\n' : '\n'));
          const got: string[] = [];
          for await (const ev of readLines(file, { chunkBytes })) {
            assert.equal(ev.kind, 'line');
            if (ev.kind === 'line') got.push(ev.text);
          }
          // an empty last line leaves no trace in the file
          const want = lines[lines.length - 1] === '' ? lines.slice(0, -1) : lines;
          assert.deepEqual(got, want.length ? want : []);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('readLines skips lines over the cap and keeps the others, at any read size', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 1, max: 16 }),
        async (lengths, chunkBytes) => {
          const file = path.join(tmp.dir, 'capped.txt');
          const lines = lengths.map((n, i) => String.fromCharCode(97 + (i % 26)).repeat(n));
          writeFileSync(file, lines.join('\n') + '\n');
          const events = [];
          for await (const ev of readLines(file, { chunkBytes, maxLineBytes: 20 })) events.push(ev);
          assert.equal(events.length, lines.length);
          events.forEach((ev, i) => {
            assert.equal(ev.line, i + 1);
            if (lengths[i]! > 20)
              assert.deepEqual(
                [ev.kind, ev.kind === 'bad' && ev.message],
                ['bad', `line is ${lengths[i]} bytes, over the 20-byte limit; skipped`],
              );
            else assert.deepEqual(ev, { kind: 'line', line: i + 1, text: lines[i] });
          });
        },
      ),
      { numRuns: 60 },
    );
  });

  it('readJsonItems yields the items of a top-level array and of an Inspect log, at any read size', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(jsonValue, { maxLength: 8 }),
        jsonValue,
        fc.integer({ min: 1, max: 48 }),
        fc.boolean(),
        fc.integer({ min: 0, max: 2 }),
        async (items, extra, chunkBytes, asLog, indent) => {
          const file = path.join(tmp.dir, 'doc.json');
          const doc = asLog ? { version: 2, eval: { task: 't', model: 'm' }, samples: items, reductions: [extra] } : items;
          writeFileSync(file, JSON.stringify(doc, null, indent));
          const got: unknown[] = [];
          let skeleton: unknown;
          for await (const ev of readJsonItems(file, { chunkBytes })) {
            if (ev.kind === 'skeleton') skeleton = ev.value;
            else if (ev.kind === 'item') got.push(JSON.parse(ev.text));
            else assert.fail(ev.message);
          }
          // Compare with what JSON itself can carry (-0 is written as 0).
          assert.deepEqual(got, JSON.parse(JSON.stringify(items)));
          if (asLog) assert.deepEqual(skeleton, { version: 2, eval: { task: 't', model: 'm' } });
        },
      ),
      { numRuns: 80 },
    );
  });

  it('parseAssert reads generated `assert f(args) == expected` back into its parts', () => {
    const literal = fc.oneof(
      fc.integer().map(String),
      fc.string({ maxLength: 8 }).map((s) => JSON.stringify(s)),
      fc.array(fc.integer({ min: -9, max: 99 }), { maxLength: 4 }).map((a) => `[${a.join(', ')}]`),
      fc.constantFrom('None', 'True', '(1, "a,b")', '{"k": [1, 2]}', '"x == y"', "'it''s'"),
    );
    fc.assert(
      fc.property(fc.constantFrom('f', 'solve_it', 'max_Sum'), fc.array(literal, { maxLength: 4 }), literal, (name, args, expected) => {
        const p = parseAssert(`assert ${name}(${args.join(', ')}) == ${expected}`);
        assert.ok(p);
        assert.equal(p.callee, name);
        assert.deepEqual(p.argList, args);
        assert.equal(p.expected, expected);
        assert.equal(p.comparison, '==');
      }),
      { numRuns: 300 },
    );
  });
});
