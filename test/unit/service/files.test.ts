import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import {
  candidateFilePath,
  ensureCandidateFile,
  parseCandidateFileUri,
  problemTitle,
  safeName,
  unsafeName,
} from '../../../server/src/service/files';

describe('candidate files', function () {
  it('spells any id reversibly with file-name-safe characters', function () {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 30 }), (id) => {
        const s = safeName(id);
        assert.match(s, /^[A-Za-z0-9_+-]*$/);
        assert.equal(unsafeName(s), id);
      }),
    );
    assert.equal(unsafeName('a+2'), undefined);
    assert.equal(unsafeName('a.b'), undefined);
  });

  it('titles a problem by the first line of its statement, never like a test file', function () {
    assert.equal(problemTitle('\n  Write count_vowels(s), please.\nMore.', 'p1'), 'write-count-vowels-s-please');
    assert.equal(problemTitle('Test whether n is prime', 'p'), 'problem-test-whether-n-is-prime');
    assert.equal(problemTitle('', 'chat-2271413b9022'), 'chat-2271413b9022');
    assert.equal(problemTitle(undefined, '!!!'), 'problem');
    assert.ok(problemTitle('x '.repeat(100), 'p').length <= 40);
  });

  it('resolves a written file back to its problem and candidate, and keeps it read-only and in step with the store', function () {
    const dir = mkdtempSync(path.join(tmpdir(), 'loophole-files-'));
    try {
      const file = candidateFilePath(dir, 'cf/1A', 'cf/1A--x/c.0', 'Theatre Square');
      assert.equal(path.basename(file), `theatre-square--${safeName('cf/1A--x/c.0')}.loophole.py`);
      const uri = ensureCandidateFile(file, 'print(1)\n');
      assert.equal(statSync(file).mode & 0o222, 0);
      assert.deepEqual(parseCandidateFileUri(uri, dir), { problemId: 'cf/1A', candidateId: 'cf/1A--x/c.0' });
      assert.equal(
        readFileSync(path.join(dir, '.loophole', 'candidates', '.gitignore'), 'utf8')
          .trim()
          .split('\n')
          .pop(),
        '*',
      );
      chmodSync(file, 0o644);
      writeFileSync(file, 'edited by hand\n');
      ensureCandidateFile(file, 'print(1)\n');
      assert.equal(readFileSync(file, 'utf8'), 'print(1)\n', 'the store wins');
      assert.equal(parseCandidateFileUri(pathToFileURL(path.join(dir, 'other.py')).href, dir), undefined);
      assert.equal(parseCandidateFileUri('loophole:/a/b.py', dir), undefined);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
