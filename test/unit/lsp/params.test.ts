import assert from 'node:assert/strict';
import { ErrorCodes, type ResponseError } from 'vscode-languageserver/node';
import { countsParams, exportParams } from '../../../server/src/lsp/curation';
import { submitParams } from '../../../server/src/lsp/jobs';
import * as P from '../../../server/src/lsp/params';

/** The message of the InvalidParams error `read` throws for `params`. */
function refusal(read: (p: unknown) => unknown, params: unknown): string {
  try {
    read(params);
  } catch (e) {
    assert.equal((e as ResponseError<void>).code, ErrorCodes.InvalidParams);
    return (e as Error).message;
  }
  assert.fail(`accepted ${JSON.stringify(params)}`);
}

describe('request params: checked against the contract schemas', () => {
  it('names the request, the field, what was expected and what came', () => {
    assert.equal(refusal(P.openParams, { path: 42 }), "loophole/open: 'path' must be a non-empty string, got number 42");
    assert.equal(refusal(P.openParams, {}), "loophole/open: 'path' must be a non-empty string, got nothing");
    assert.equal(refusal(P.openParams, undefined), 'loophole/open: params must be an object, got nothing');
    assert.equal(refusal(P.openParams, ['a']), 'loophole/open: params must be an object, got an array');
    assert.equal(
      refusal(P.setVerdictParams, { candidateId: 'p/c', label: 'maybe' }),
      `loophole/setVerdict: 'label' must be one of 'hack', 'clean', 'unsure', got "maybe"`,
    );
    assert.equal(
      refusal(P.candidateQuery, { limit: -1 }),
      "loophole/candidates: 'limit' must be an integer in [0, 1000000], got number -1",
    );
    assert.equal(refusal(P.candidateQuery, { minScore: 2 }), "loophole/candidates: 'minScore' must be a number in [0, 1], got number 2");
    assert.equal(
      refusal(P.pickParams, { problemId: 'p', candidateId: 3 }),
      "loophole/pick: 'candidateId' must be a non-empty string or null, got number 3",
    );
  });

  it('names the parent of a nested field and the entries of a list', () => {
    assert.equal(
      refusal(P.nextUnreviewedParams, { direction: 'next', order: { sort: 'size' } }),
      `loophole/nextUnreviewed: order: 'sort' must be one of 'score', 'id', 'problem', 'likely', got "size"`,
    );
    assert.equal(
      refusal(countsParams, { curation: { dropReasoningFlags: ['mention', 'vibes'] } }),
      `loophole/curationCounts: curation: 'dropReasoningFlags' entries must be one of 'mention', 'intent', 'notice', got "vibes"`,
    );
    assert.equal(
      refusal(countsParams, { curation: { maxScoreFor: { judge: 1.5 } } }),
      "loophole/curationCounts: curation maxScoreFor: 'judge' must be a number in [0, 1], got number 1.5",
    );
    assert.equal(
      refusal(exportParams, { format: 'chat', out: 'x.jsonl', split: 1 }),
      "loophole/curationExport: 'split' must be a number in [0, 1), got number 1",
    );
    assert.equal(
      refusal(submitParams, { kind: 'train', device: 'gpu0', config: {} }),
      `loophole/jobSubmit: 'device' must be auto, cpu, cuda or cuda:N, got "gpu0"`,
    );
  });

  it('reads absent params of optional-params requests as empty, drops unknown fields and an empty note', () => {
    assert.deepEqual(P.candidateQuery(undefined), {});
    assert.deepEqual(P.reviewOrderParams(null), {});
    assert.deepEqual(P.candidateQuery({ limit: 5, colour: 'red' }), { limit: 5 });
    assert.deepEqual(P.setVerdictParams({ candidateId: 'p/c', label: 'hack', note: '' }), { candidateId: 'p/c', label: 'hack' });
    assert.deepEqual(P.setVerdictParams({ candidateId: 'p/c', label: 'hack', note: 'why' }), {
      candidateId: 'p/c',
      label: 'hack',
      note: 'why',
    });
    assert.deepEqual(P.pickParams({ problemId: 'p', candidateId: null }), { problemId: 'p', candidateId: null });
    assert.deepEqual(submitParams({ kind: 'eval', config: { model: 'm', nested: { a: 1 } } }), {
      kind: 'eval',
      config: { model: 'm', nested: { a: 1 } },
    });
  });
});
