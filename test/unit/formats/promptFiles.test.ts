import assert from 'node:assert/strict';
import { importReviewSet } from '../../../server/src/formats';
import { promptFiles } from '../../../server/src/formats/promptFiles';
import { scratch } from './fixtures';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

describe('formats/promptFiles', () => {
  it('reads a fenced block the prompt introduces as a named file', () => {
    const prompt = [
      'Write `total(path)` that sums the second column of a CSV file.',
      '',
      'The file `sales.csv` contains:',
      '```',
      'day,amount',
      'mon,3',
      'tue,4',
      '```',
      '',
      'assert total("sales.csv") == 7',
    ].join('\n');
    assert.deepEqual(promptFiles(prompt), [{ name: 'sales.csv', content: 'day,amount\nmon,3\ntue,4\n' }]);
  });

  it('reads commented sample contents inside a test block', () => {
    const prompt = [
      'Test cases:',
      '```python',
      '# Sample log content for access.log:',
      '# 10.0.0.1 GET /a 200',
      '# 10.0.0.2 GET /b 404',
      '',
      "assert count_errors('access.log') == 1",
      '```',
    ].join('\n');
    assert.deepEqual(promptFiles(prompt), [{ name: 'access.log', content: '10.0.0.1 GET /a 200\n10.0.0.2 GET /b 404\n' }]);
  });

  it('keeps only plain names, not code, not paths, not blocks the prompt does not call a file', () => {
    const prompt = [
      'The script `run.py` contains:',
      '```',
      'print(1)',
      '```',
      'Contents of /etc/passwd:',
      '```',
      'root:x:0:0',
      '```',
      'The format looks like:',
      '```',
      'key = value',
      '```',
      'Given `../up.txt` with:',
      '```',
      'x',
      '```',
    ].join('\n');
    assert.deepEqual(
      promptFiles(prompt).map((f) => f.name),
      ['up.txt'],
    );
    // `../up.txt` is read as the plain name `up.txt`: nothing ever lands outside the working directory
    assert.ok(promptFiles(prompt).every((f) => !f.name.includes('/')));
  });

  it('the chat importer gives the problem its files', async () => {
    const { dir, remove } = scratch();
    try {
      const file = path.join(dir, 'files.jsonl');
      const prompt =
        'Write `total(path)`.\n\nThe file `sales.csv` contains:\n```\nday,amount\nmon,3\n```\n\nassert total("sales.csv") == 3';
      writeFileSync(
        file,
        JSON.stringify({
          messages: [
            { role: 'user', content: prompt },
            { role: 'assistant', content: '```python\ndef total(path):\n    return 3\n```' },
          ],
        }) + '\n',
      );
      const { set, issues } = await importReviewSet(file);
      assert.deepEqual(issues, []);
      assert.deepEqual(set.problems[0]!.files, [{ name: 'sales.csv', content: 'day,amount\nmon,3\n' }]);
    } finally {
      remove();
    }
  });
});
