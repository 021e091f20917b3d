import assert from 'node:assert/strict';
import fc from 'fast-check';
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
