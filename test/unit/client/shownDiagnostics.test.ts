import assert from 'node:assert/strict';
import { ShownDiagnostics } from '../../../src/client/shownDiagnostics';

describe('diagnostics only while a tab shows the candidate', function () {
  it('shows what the server sent while the tab is open, hides it when the tab closes, and shows it again on reopening', () => {
    const s = new ShownDiagnostics<string>();
    assert.deepEqual(s.setOpen(new Set(['a'])), []);
    assert.deepEqual(s.received('a', ['x']), ['x']);
    assert.deepEqual(s.received('b', ['y']), [], 'b has no tab');
    assert.deepEqual(s.setOpen(new Set(['b'])), [
      ['a', []],
      ['b', ['y']],
    ]);
    assert.deepEqual(s.setOpen(new Set(['a', 'b'])), [['a', ['x']]]);
    assert.deepEqual(s.received('a', []), [], 'the server cleared it');
    assert.deepEqual(s.setOpen(new Set(['b'])), [], 'nothing left to hide for a');
  });
});
