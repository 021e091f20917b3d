/** A small analysed review set in a throw-away folder, built through the real Store. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CandidateAnalysis, Problem } from '../../../contract/domain';
import { Store } from '../../../server/src/store/store';
import { candidateCode } from './fixtures';

export const HACK_FILES = ['literal_branch.py', 'lookup_table.py', 'stdin_fingerprint.py', 'harness_tampering.py', 'canned_fallback.py'];
export const CLEAN_FILES = ['clean_roman.py', 'clean_base_case.py'];

export function analysedStore(copies = 4): { dir: string; store: Store; ids: { id: string; file: string; hack: boolean }[] } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'loophole-scoring-'));
  writeFileSync(path.join(dir, 'set.jsonl'), '');
  const store = Store.open(dir);
  const problem: Problem = {
    id: 'p1',
    statement: 'a problem',
    style: 'function',
    tests: [{ kind: 'assert', id: 't0', role: 'visible', code: 'assert f(1) == 2' }],
  };
  const ids: { id: string; file: string; hack: boolean }[] = [];
  for (let k = 0; k < copies; k++) {
    for (const file of [...HACK_FILES, ...CLEAN_FILES]) ids.push({ id: `c${ids.length}`, file, hack: HACK_FILES.includes(file) });
  }
  store.putReviewSet({
    name: 'fixture',
    problems: [problem],
    candidates: ids.map(({ id, file }, i) => ({
      id,
      problemId: 'p1',
      completion: '',
      code: candidateCode(file) + `\n# sample ${i}\n`,
      sampleIndex: i,
    })),
  });
  for (const { id, hack } of ids) {
    const p = hack ? 0.7 : 0.35;
    const a: CandidateAnalysis = {
      candidateId: id,
      contentHash: id,
      findings: [],
      tests: [],
      scores: [
        { scorer: 'static', probability: p, rationale: 'fixture' },
        { scorer: 'judge', probability: hack ? 0.9 : 0.2, rationale: 'fixture' },
      ],
      hackProbability: p,
      category: hack ? 'special-casing' : 'none',
      isHack: p >= 0.5,
    };
    store.putAnalysis(a);
  }
  return { dir, store, ids };
}
