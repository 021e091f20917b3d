import assert from 'node:assert/strict';
import fc from 'fast-check';
import { candidateUri, candidateUriPath, idOfSegment, idSegment, parseCandidateUri, tabLabel } from '../../../server/src/lsp/candidateUris';
import { safeName } from '../../../server/src/lsp/files';

/** What VS Code does to a URI it was given: the path decoded, then each segment encoded again (`/` kept). */
function asVsCodePrintsIt(uri: string): string {
  const [scheme, path] = [uri.slice(0, uri.indexOf(':') + 1), uri.slice(uri.indexOf(':') + 1)];
  return scheme + decodeURIComponent(path).split('/').map(encodeURIComponent).join('/');
}

/** A client that sends the path decoded (spaces, `·` and unicode as they are). */
function decodedPath(uri: string): string {
  const at = uri.indexOf(':') + 1;
  return uri.slice(0, at) + decodeURIComponent(uri.slice(at));
}

/** The file name an editor shows in a tab: the last path segment, decoded. */
function tabTitle(uri: string): string {
  return decodeURIComponent(uri.slice(uri.lastIndexOf('/') + 1));
}

const awkwardIds = [
  'count-vowels',
  'count-vowels/c1',
  'a/b/c',
  '100%',
  '%2F',
  'with space',
  'ünïcødé/ß',
  '题目 1',
  '🙂/🙃',
  'a+b',
  '..',
  '.hidden',
  'x?y#z',
  'tab\there',
  'back\\slash',
  'c1.py',
  'p · c',
];

describe('candidate URIs', function () {
  it('round-trip any problem and candidate id exactly, as built, as VS Code re-encodes it and as a client sends it decoded', function () {
    for (const problemId of awkwardIds) {
      for (const candidateId of awkwardIds) {
        const uri = candidateUri(problemId, candidateId, 'Count the vowels');
        for (const form of [uri, asVsCodePrintsIt(uri), decodedPath(uri)]) {
          assert.deepEqual(parseCandidateUri(form), { problemId, candidateId }, `${problemId} | ${candidateId} as ${form}`);
        }
      }
    }
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }),
        fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }),
        fc.option(fc.string({ unit: 'grapheme', maxLength: 80 }), { nil: undefined }),
        (problemId, candidateId, title) => {
          const uri = candidateUri(problemId, candidateId, title);
          assert.deepEqual(parseCandidateUri(uri), { problemId, candidateId });
          assert.deepEqual(parseCandidateUri(asVsCodePrintsIt(uri)), { problemId, candidateId });
          assert.ok(uri.endsWith('.py'));
        },
      ),
    );
  });

  it('titles the tab by the problem and the candidate, in one short path segment', function () {
    const uri = candidateUri('fn-count-vowels', 'fn-count-vowels/c1', 'Count the vowels in a string');
    assert.equal(tabTitle(uri), 'Count the vowels in a string · c1.py');
    assert.equal(tabTitle(asVsCodePrintsIt(uri)), 'Count the vowels in a string · c1.py');
    // no title: the problem id names the problem
    assert.equal(tabLabel('chat-2271413b9022', 'c0'), 'chat-2271413b9022 · c0');
    // separators, code marks, control characters and query/fragment marks never reach the segment
    const label = tabLabel('p', 'q', 'Read a/b\\c from `stdin`?\nThen #print it');
    assert.doesNotMatch(label, /[/\\`?#\n]/);
    assert.equal(label, 'Read a∕b∕c from stdin Then print it · q');
    // kept short: the title and the candidate are each cut, with an ellipsis
    const long = tabLabel('p', 'candidate-with-a-very-long-identifier-0001', 'Write a function that '.repeat(10));
    const [title, candidate] = long.split(' · ');
    assert.ok(Array.from(title!).length <= 40 && title!.endsWith('…'), title);
    assert.ok(Array.from(candidate!).length <= 24 && candidate!.endsWith('…'), candidate);
    // a cut never splits a character made of two UTF-16 units
    const emoji = tabLabel('p', 'c', '🙂'.repeat(50));
    assert.doesNotMatch(emoji, /[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
    // a candidate id not prefixed by its problem's is shown whole
    assert.equal(tabLabel('two-sum', 'sample-3', 'Two sum'), 'Two sum · sample-3');
    assert.equal(tabLabel('two-sum', 'two-sum', 'Two sum'), 'Two sum · two-sum');
  });

  it('spells ids with letters, digits, _, - and +XX only, and rejects other spellings', function () {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }), (id) => {
        const s = idSegment(id);
        assert.match(s, /^[A-Za-z0-9_+-]+$/);
        assert.equal(idOfSegment(s), id);
      }),
    );
    assert.equal(idSegment('a/b c'), 'a+2Fb+20c');
    assert.equal(idSegment("a.b!~*'()"), 'a+2Eb+21+7E+2A+27+28+29');
    // the same spelling as the candidate files' names
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 30 }), (id) => assert.equal(idSegment(id), safeName(id))));
    // any string of UTF-16 code units, lone surrogates included, is spelled without throwing
    fc.assert(
      fc.property(fc.string({ unit: 'binary', minLength: 1, maxLength: 20 }), (id) => {
        const s = idSegment(id);
        assert.match(s, /^[A-Za-z0-9_+-]+$/);
        const lone = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(id);
        if (!lone) assert.equal(idOfSegment(s), id);
      }),
    );
    assert.equal(idSegment('a\uD800'), 'a+EF+BF+BD');
    for (const bad of ['', 'a+2', 'a+2f', 'a.b', 'a%2Fb', '+FF', '+41']) assert.equal(idOfSegment(bad), undefined, bad);
  });

  it('reads the older loophole:/<problem>/<candidate>.py form only through its decoded path', function () {
    const old = `loophole:/${encodeURIComponent('count-vowels')}/${encodeURIComponent('count-vowels/c1')}.py`;
    assert.equal(parseCandidateUri(old), undefined);
    assert.equal(candidateUriPath(old), 'count-vowels/count-vowels/c1');
    assert.equal(candidateUriPath('loophole:/count-vowels/count-vowels/c1.py'), 'count-vowels/count-vowels/c1');
    assert.equal(candidateUriPath('loophole:/p/%E0%A4.py'), undefined);
    for (const other of ['file:///tmp/a.py', 'untitled:a.py', 'loophole:/p/c/t.txt', 'loophole:/p/c/no separator.py']) {
      assert.equal(parseCandidateUri(other), undefined, other);
    }
  });
});
