/** The command line's one error mapping: each failure kind of the service to a message and exit code. */
import assert from 'node:assert/strict';
import { defineCommand, UsageError } from '../../../server/src/cli/command';
import { reportFailure } from '../../../server/src/cli/errors';
import { CurationError } from '../../../server/src/curation';
import { WorkerFailure } from '../../../server/src/jobs/worker';
import { BadInput, Cancelled, NotFound } from '../../../server/src/service';

function report(e: unknown, cancelled = false): { code: number; text: string } {
  let text = '';
  const code = reportFailure('cmd', e, cancelled, { write: (s: string) => (text += s) });
  return { code, text };
}

describe('CLI: error mapping', () => {
  it('bad usage and bad input exit 2 with the message; cancellation 130; the rest 1', () => {
    assert.deepEqual(report(new UsageError('--out FILE is required')), { code: 2, text: 'loophole cmd: --out FILE is required\n' });
    assert.deepEqual(report(new BadInput('set: not analysed yet')), { code: 2, text: 'loophole cmd: set: not analysed yet\n' });
    assert.deepEqual(report(new NotFound("no scores from 'x'")), { code: 2, text: "loophole cmd: no scores from 'x'\n" });
    assert.deepEqual(report(new CurationError('unknown variant')), { code: 2, text: 'loophole cmd: unknown variant\n' });
    assert.deepEqual(report(new WorkerFailure('bad_input', 'no such model', 'pass a folder')), {
      code: 2,
      text: 'loophole cmd: no such model\n  pass a folder\n',
    });
    assert.deepEqual(report(new Cancelled()), { code: 130, text: 'loophole cmd: cancelled; finished work is stored\n' });
    assert.equal(report(new TypeError('any'), true).code, 130, 'whatever fails after Ctrl-C is a cancellation');
    assert.deepEqual(report(new WorkerFailure('crashed', 'the worker died', 'see its log')), {
      code: 1,
      text: 'loophole cmd: the worker died\n  see its log\n',
    });
    const bug = report(new TypeError('x is undefined'));
    assert.equal(bug.code, 1);
    assert.match(bug.text, /^loophole cmd: TypeError: x is undefined\n\s+at /);
  });

  it("a command's run rejects with a UsageError for the service's input failures, whoever calls it", async () => {
    const cmd = defineCommand({
      name: 'x',
      summary: '',
      usage: '',
      run: async () => {
        throw new BadInput('bad');
      },
    });
    await assert.rejects(cmd.run([], undefined as never), (e: Error) => e instanceof UsageError && e.message === 'bad');
  });
});
