import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { labeller, labelsByText, parseSourceSpec } from '../../../server/src/scoring/classifier/labels';

describe('labelled sources for training and calibration', () => {
  let dir: string;
  before(() => (dir = mkdtempSync(path.join(os.tmpdir(), 'loophole-labels-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a source spec: name, file, format and the label of unlabelled rows', () => {
    assert.deepEqual(parseSourceSpec('cf=data/a.jsonl:stdio'), { name: 'cf', file: 'data/a.jsonl', format: 'stdio' });
    assert.deepEqual(parseSourceSpec('x=b.jsonl@clean'), { name: 'x', file: 'b.jsonl', format: 'auto', fallback: 0 });
    assert.deepEqual(parseSourceSpec('x=b.jsonl:chat@hack'), { name: 'x', file: 'b.jsonl', format: 'chat', fallback: 1 });
    assert.throws(() => parseSourceSpec('b.jsonl'), /NAME=FILE/);
  });

  it("finds each completion's label: per solution, per dialogue (metadata), never from the user's turn", () => {
    const file = path.join(dir, 'set.jsonl');
    writeFileSync(
      file,
      [
        {
          id: 'p1',
          statement: 's',
          solutions: [
            { completion: 'print(1)', label: 'hack' },
            { completion: 'print(2)\n', label: 'clean' },
          ],
        },
        {
          messages: [
            { role: 'user', content: 'write f' },
            { role: 'assistant', content: 'def f():\n    return 3' },
          ],
          metadata: { label: 'hack' },
        },
        {
          messages: [
            { role: 'user', content: 'write g' },
            { role: 'assistant', content: 'def g():\n    return 4' },
          ],
        },
      ]
        .map((r) => JSON.stringify(r))
        .join('\n') + '\n',
    );
    const labels = labelsByText(file);
    assert.equal(labels.get('print(1)'), 1);
    assert.equal(labels.get('print(2)'), 0);
    assert.equal(labels.get('def f():\n    return 3'), 1);
    assert.equal(labels.has('write f'), false);
    const counterparts = labeller(parseSourceSpec(`c=${file}@clean`));
    assert.equal(counterparts({ id: 'x', completion: 'def g():\n    return 4' }), 0, 'unlabelled rows take the fallback');
    assert.equal(counterparts({ id: 'x', completion: 'print(1)' }), 1, 'a row’s own label wins');
    assert.equal(labeller(parseSourceSpec(`m=${file}:mbpp`))({ id: 'mbpp-3/s1', completion: '' }), 1);
  });
});
