import assert from 'node:assert/strict';
import { forgetGiven, nextUndo, noteLabelOrder, recordGiven } from '../../../src/review/undoOrder';

describe('keyboard undo order', () => {
  it('undoes the most recent verdict first, each candidate once', () => {
    let given: string[] = [];
    given = recordGiven(given, 'a');
    given = recordGiven(given, 'b');
    given = recordGiven(given, 'a'); // a again: now the most recent
    assert.deepEqual(given, ['b', 'a']);
    assert.equal(nextUndo(given), 'a');
    given = forgetGiven(given, 'a');
    assert.equal(nextUndo(given), 'b');
    given = forgetGiven(given, 'b');
    assert.equal(nextUndo(given), undefined);
  });

  it('remembers only the last verdicts up to its depth', () => {
    let given: string[] = [];
    for (let i = 0; i < 10; i++) given = recordGiven(given, `c${i}`, 3);
    assert.deepEqual(given, ['c7', 'c8', 'c9']);
  });

  it("offers the candidate's current verdict first in the note's pick, so Enter keeps it", () => {
    assert.deepEqual(noteLabelOrder(undefined), ['hack', 'clean', 'unsure']);
    assert.deepEqual(noteLabelOrder('unsure'), ['unsure', 'hack', 'clean']);
    assert.deepEqual(noteLabelOrder('clean'), ['clean', 'hack', 'unsure']);
  });
});
