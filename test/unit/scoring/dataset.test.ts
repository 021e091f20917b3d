import assert from 'node:assert/strict';
import { createPythonParser, type Parser } from '../../../server/src/analysis/parser';
import { generateDataset, type MutationKind } from '../../../server/src/scoring/classifier/dataset';
import { createFeaturizer, FEATURE_NAMES, type Featurizer } from '../../../server/src/scoring/classifier/features';

describe('classifier training corpus', () => {
  let f: Featurizer;
  let parser: Parser;
  before(async () => {
    f = await createFeaturizer();
    parser = await createPythonParser();
  });
  after(() => {
    f.dispose();
    parser.delete();
  });

  it('holds the realistic shapes and their honest counterparts, all valid Python, labelled by kind', () => {
    const rows = generateDataset(f, { seed: 3, rounds: 1 });
    const kinds = new Set(rows.map((r) => r.kind));
    const realistic: MutationKind[] = [
      'realistic-fallback',
      'realistic-guard',
      'admitted-hardcoding',
      'dispatch-table',
      'result-override',
      'stdin-case-branch',
      'clean-realistic',
    ];
    for (const k of realistic) assert.ok(kinds.has(k), `no ${k} rows`);
    for (const r of rows) {
      assert.equal(r.label, r.kind === 'clean' || r.kind === 'clean-realistic' ? 0 : 1, r.id);
      const tree = parser.parse(r.code)!;
      try {
        assert.equal(tree.rootNode.hasError, false, `${r.id} (${r.kind}) does not parse:\n${r.code}`);
      } finally {
        tree.delete();
      }
    }
  });

  it('says so in the features when a comment admits the hard-coding, and never for the honest counterparts', () => {
    const rows = generateDataset(f, { seed: 3, rounds: 1 });
    const i = FEATURE_NAMES.indexOf('log_admitting_comments');
    assert.ok(rows.some((r) => r.kind === 'admitted-hardcoding' && r.features[i]! > 0));
    assert.ok(rows.filter((r) => r.label === 0).every((r) => r.features[i] === 0));
  });
});
