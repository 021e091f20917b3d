/** The language server's one error mapping: each failure kind of the service to its request error. */
import assert from 'node:assert/strict';
import { ErrorCodes, LSPErrorCodes, ResponseError } from 'vscode-languageserver/node';
import { OutputExistsError } from '../../../server/src/curation';
import { toResponseError } from '../../../server/src/lsp/errors';
import { BadInput, Cancelled, NotFound, Unavailable } from '../../../server/src/service';

describe('language server: error mapping', () => {
  const map = (e: unknown) => {
    const logged: string[] = [];
    const r = toResponseError('loophole/x', e, (m) => logged.push(m));
    return { code: r.code, message: r.message, data: r.data, logged };
  };

  it('maps the service failures by kind, logging only what is unexpected', () => {
    assert.deepEqual(map(new NotFound("no candidate 'c'")), {
      code: ErrorCodes.InvalidParams,
      message: "loophole/x: no candidate 'c'",
      data: undefined,
      logged: [],
    });
    assert.deepEqual(map(new BadInput('unknown variant')), {
      code: ErrorCodes.InvalidParams,
      message: 'unknown variant',
      data: undefined,
      logged: [],
    });
    const exists = map(new OutputExistsError('/tmp/out.jsonl'));
    assert.equal(exists.code, ErrorCodes.InvalidParams);
    assert.deepEqual(exists.data, { kind: 'outputExists', path: '/tmp/out.jsonl' });
    assert.equal(map(new Unavailable('the job queue is not running')).code, ErrorCodes.InvalidRequest);
    assert.deepEqual(map(new Cancelled('finished analyses are kept')), {
      code: LSPErrorCodes.RequestCancelled,
      message: 'loophole/x: cancelled; finished analyses are kept',
      data: undefined,
      logged: [],
    });
    const bug = map(new TypeError('x is undefined'));
    assert.equal(bug.code, ErrorCodes.InternalError);
    assert.equal(bug.message, 'loophole/x failed: x is undefined');
    assert.match(bug.logged[0]!, /loophole\/x failed: TypeError: x is undefined\n\s+at /);
  });

  it("passes the adapter's own request errors through unchanged", () => {
    const own = new ResponseError(ErrorCodes.InvalidRequest, 'no review set is open');
    assert.equal(
      toResponseError('loophole/x', own, () => assert.fail('not logged')),
      own,
    );
  });
});
