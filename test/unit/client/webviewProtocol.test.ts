import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  DEFAULT_FORM,
  isForm,
  isWebviewToHost as isCurationToHost,
  type WebviewToHost as CurationToHost,
} from '../../../contract/webview/curation';
import { isWebviewToHost as isJobToHost } from '../../../contract/webview/jobs';
import { isWebviewToHost, type WebviewToHost } from '../../../contract/webview/review';

describe('review panel messages (webview → extension)', () => {
  it('accepts every well-formed message', () => {
    const ok: WebviewToHost[] = [
      { type: 'webview/ready' },
      { type: 'refresh' },
      { type: 'pick', id: 1, candidateId: 'p/c1' },
      { type: 'pick', id: 2, candidateId: null },
      { type: 'verdict', id: 3, candidateId: 'c', label: 'hack' },
      { type: 'verdict', id: 4, candidateId: 'c', label: 'clean' },
      { type: 'verdict', id: 5, candidateId: 'c', label: 'unsure' },
      { type: 'openCandidate', candidateId: 'c' },
    ];
    for (const m of ok) assert.equal(isWebviewToHost(m), true, JSON.stringify(m));
  });

  it('drops unknown types, missing ids and ill-typed fields', () => {
    const bad: unknown[] = [
      null,
      undefined,
      'webview/ready',
      42,
      [],
      {},
      { type: 'eval', code: 'x' },
      { type: 'pick', candidateId: 'c' },
      { type: 'pick', id: '1', candidateId: 'c' },
      { type: 'pick', id: 1 },
      { type: 'pick', id: 1, candidateId: 7 },
      { type: 'verdict', id: 1, candidateId: 'c', label: 'maybe' },
      { type: 'verdict', id: 1, candidateId: 'c' },
      { type: 'verdict', candidateId: 'c', label: 'hack' },
      { type: 'verdict', id: 1, candidateId: null, label: 'hack' },
      { type: 'openCandidate' },
      { type: 'openCandidate', candidateId: { id: 'c' } },
      { type: 'VERDICT', id: 1, candidateId: 'c', label: 'hack' },
    ];
    for (const m of bad) assert.equal(isWebviewToHost(m), false, JSON.stringify(m));
  });

  it('never throws, whatever arrives (property)', () => {
    fc.assert(
      fc.property(fc.anything(), (m) => {
        const r = isWebviewToHost(m);
        if (r) assert.ok(['webview/ready', 'refresh', 'pick', 'verdict', 'openCandidate'].includes((m as { type: string }).type));
      }),
    );
    fc.assert(
      fc.property(
        fc.record({
          type: fc.constantFrom('pick', 'verdict', 'openCandidate'),
          id: fc.anything(),
          candidateId: fc.anything(),
          label: fc.anything(),
        }),
        (raw) => {
          const m: unknown = raw;
          if (!isWebviewToHost(m)) return;
          if (m.type === 'pick' || m.type === 'verdict') assert.equal(typeof m.id, 'number');
          if (m.type === 'verdict') assert.ok(['hack', 'clean', 'unsure'].includes(m.label));
        },
      ),
    );
  });
});

describe('curation panel messages (webview → extension)', () => {
  const form = DEFAULT_FORM;

  it('accepts the default form and every message kind that carries a valid one', () => {
    assert.equal(isForm(form), true);
    const ok: CurationToHost[] = [
      { type: 'webview/ready' },
      { type: 'counts', id: 1, form },
      { type: 'preview', id: 2, form: { ...form, select: 'random', seed: 2 ** 32 - 1, maxScore: 0.4, maxScoreFor: { judge: 1 } } },
      { type: 'export', form: { ...form, split: 0.2, dropReasoningFlags: ['mention', 'notice'] }, force: false },
      { type: 'export/cancel' },
      { type: 'openFile', path: '/tmp/x.jsonl' },
    ];
    for (const m of ok) assert.equal(isCurationToHost(m), true, JSON.stringify(m));
  });

  it('refuses forms out of range, so the host sends the server nothing it would reject', () => {
    const bad: unknown[] = [
      { ...form, select: 'reward' },
      { ...form, seed: -1 },
      { ...form, seed: 2 ** 32 },
      { ...form, seed: 1.5 },
      { ...form, maxScore: 1.2 },
      { ...form, maxScoreFor: { judge: -0.1 } },
      { ...form, maxScoreFor: [] },
      { ...form, dropReasoningFlags: ['vibes'] },
      { ...form, minVisiblePass: 2 },
      { ...form, mapping: 'neutral=discourage' },
      { ...form, format: 'csv' },
      { ...form, split: 1 },
      { ...form, out: '   ' },
      { ...form, stripReasoning: 'yes' },
    ];
    for (const f of bad) {
      assert.equal(isForm(f), false, JSON.stringify(f));
      assert.equal(isCurationToHost({ type: 'counts', id: 1, form: f }), false, JSON.stringify(f));
    }
    assert.equal(isCurationToHost({ type: 'export', form }), false, 'export without force');
    assert.equal(isCurationToHost({ type: 'counts', form }), false, 'counts without id');
  });
});

describe('job panel messages (webview → extension)', () => {
  it('accepts its six kinds and drops the rest', () => {
    for (const m of [
      { type: 'webview/ready' },
      { type: 'job/cancel' },
      { type: 'job/resume' },
      { type: 'job/refresh' },
      { type: 'job/copy', text: 'pip install peft' },
      { type: 'job/reveal', path: '/runs/adapter' },
    ])
      assert.equal(isJobToHost(m), true, JSON.stringify(m));
    for (const m of [null, {}, { type: 'job/copy' }, { type: 'job/reveal', path: 3 }, { type: 'job/delete' }])
      assert.equal(isJobToHost(m), false, JSON.stringify(m));
  });
});
