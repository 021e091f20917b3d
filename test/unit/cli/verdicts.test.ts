import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openReviewSet } from '../../../server/src/pipeline/analyze';
import { Store } from '../../../server/src/store/store';
import { codeHash } from '../../../server/src/verdicts/transfer';

const CLI = path.resolve(__dirname, '../../../server/src/cli/main.ts');
const FIXTURE = path.resolve(__dirname, '../../fixtures/pipeline/set.loophole.jsonl');

function loophole(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, ['--require', require.resolve('tsx/cjs'), CLI, ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('loophole verdicts: export, import, merge, label files', function () {
  this.timeout(120_000);
  let dir: string;

  /** A reviewer's copy of the set with its store and the given verdicts. */
  async function reviewer(name: string, verdicts: (s: Store) => void): Promise<string> {
    const d = path.join(dir, name);
    mkdirSync(d);
    cpSync(FIXTURE, path.join(d, 'set.loophole.jsonl'));
    const { store } = await openReviewSet(path.join(d, 'set.loophole.jsonl'));
    verdicts(store);
    store.close();
    return d;
  }

  function history(d: string) {
    const s = Store.open(d);
    try {
      return [...s.iterateVerdictsWithOrigin()];
    } finally {
      s.close();
    }
  }

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'loophole-verdicts-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('exports JSONL with reviewer, time, note, content hash and origin; merges another store keeping provenance, twice changing nothing', async () => {
    const alice = await reviewer('alice', (s) => {
      s.addVerdict({
        candidateId: 'double/c1',
        label: 'hack',
        reviewer: 'alice',
        at: '2026-01-02T10:00:00.000Z',
        note: 'returns 10 for 5',
      });
      s.addVerdict({ candidateId: 'double/c0', label: 'clean', reviewer: 'alice', at: '2026-01-02T10:01:00.000Z' });
      s.retractVerdict('double/c0', 'alice');
    });
    const bob = await reviewer('bob', (s) => {
      s.addVerdict({ candidateId: 'double/c2', label: 'unsure', reviewer: 'bob', at: '2026-01-01T09:00:00.000Z' });
    });

    const exp = loophole(['verdicts', 'export', 'alice/set.loophole.jsonl', '--out', 'alice.jsonl'], dir);
    assert.equal(exp.code, 0, exp.stderr);
    const lines = readFileSync(path.join(dir, 'alice.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.equal(lines[0].format, 'loophole-verdicts');
    assert.equal(lines.length, 4, 'a header and three records (set, set, retract)');
    const hack = lines.find((l) => l.candidateId === 'double/c1');
    const s = Store.open(alice);
    const code = s.candidate('double/c1')!.code;
    s.close();
    assert.deepEqual(
      {
        reviewer: hack.reviewer,
        at: hack.at,
        note: hack.note,
        label: hack.label,
        action: hack.action,
        problemId: hack.problemId,
        contentHash: hack.contentHash,
      },
      {
        reviewer: 'alice',
        at: '2026-01-02T10:00:00.000Z',
        note: 'returns 10 for 5',
        label: 'hack',
        action: 'set',
        problemId: 'double',
        contentHash: codeHash(code),
      },
    );
    assert.deepEqual(
      lines.slice(1).map((l) => l.action),
      ['set', 'set', 'retract'],
    );

    const merge = loophole(['verdicts', 'merge', 'bob', 'alice'], dir);
    assert.equal(merge.code, 0, merge.stderr);
    assert.match(merge.stderr, /added 1 verdict record\(s\); 0 already present; 0 skipped/);
    const h = history(bob);
    assert.deepEqual(
      h.map((r) => [r.candidateId, r.reviewer, r.label, r.origin ?? 'here']),
      [
        ['double/c2', 'bob', 'unsure', 'here'],
        ['double/c1', 'alice', 'hack', path.join(alice, '.loophole', 'loophole.db')],
      ],
    );
    assert.equal(h[1]!.contentHash, codeHash(code));
    assert.equal(h[1]!.note, 'returns 10 for 5');
    assert.match(loophole(['verdicts', 'merge', 'bob', 'alice'], dir).stderr, /added 0 verdict record\(s\); 1 already present/);

    // A verdict travels on: carol imports bob's export and still sees alice's store as its origin.
    const carol = await reviewer('carol', () => undefined);
    assert.equal(loophole(['verdicts', 'export', 'bob', '--out', 'bob.jsonl'], dir).code, 0);
    assert.equal(loophole(['verdicts', 'import', 'carol', 'bob.jsonl'], dir).code, 0);
    assert.deepEqual(
      history(carol)
        .map((r) => [r.reviewer, r.origin])
        .sort(),
      [
        ['alice', path.join(alice, '.loophole', 'loophole.db')],
        ['bob', path.resolve(dir, 'bob')],
      ],
    );
  });

  it('imports a label file as verdicts by the file, skipping unknown candidates', async () => {
    const d = await reviewer('r', () => undefined);
    writeFileSync(
      path.join(dir, 'labels.json'),
      JSON.stringify({
        'double/c1': { label: 'hack', style: 'literal-branch', lines: [2], note: 'keyed on 5' },
        'double/c0': { label: 'clean', note: '' },
        'nope/c9': { label: 'clean' },
      }),
    );
    const r = loophole(['verdicts', 'import', 'r', 'labels.json'], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /added 2 .* 1 skipped/);
    assert.match(r.stderr, /no such candidate in this review set/);
    const h = history(d);
    assert.deepEqual(h.map((x) => [x.candidateId, x.label, x.reviewer, x.note ?? '']).sort(), [
      ['double/c0', 'clean', 'labels:labels.json', ''],
      ['double/c1', 'hack', 'labels:labels.json', 'keyed on 5'],
    ]);
    assert.ok(h.every((x) => x.origin === path.join(dir, 'labels.json')));
  });

  it('refuses a bad verdict file whole, naming the line, and skips verdicts given on other code unless asked', async () => {
    const d = await reviewer('r', () => undefined);
    const good = { candidateId: 'double/c1', label: 'hack', reviewer: 'dan', at: '2026-01-03T00:00:00Z' };
    writeFileSync(path.join(dir, 'bad.jsonl'), `${JSON.stringify(good)}\n${JSON.stringify({ ...good, label: 'maybe' })}\n`);
    const bad = loophole(['verdicts', 'import', 'r', 'bad.jsonl'], dir);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /bad\.jsonl:2: 'label' must be one of hack, clean, unsure, got "maybe"/);
    assert.equal(history(d).length, 0, 'nothing stored');

    writeFileSync(path.join(dir, 'changed.jsonl'), JSON.stringify({ ...good, contentHash: codeHash('other code') }) + '\n');
    assert.match(loophole(['verdicts', 'import', 'r', 'changed.jsonl'], dir).stderr, /1 skipped[\s\S]*code differs/);
    assert.equal(history(d).length, 0);
    assert.match(loophole(['verdicts', 'import', 'r', 'changed.jsonl', '--allow-changed'], dir).stderr, /added 1/);
    assert.equal(history(d)[0]!.reviewer, 'dan');
  });

  it('export --out replaces an earlier export whole, and refuses a folder or a missing folder clearly', async () => {
    await reviewer('erin', (s) => {
      s.addVerdict({ candidateId: 'double/c1', label: 'hack', reviewer: 'erin', at: '2026-01-02T10:00:00.000Z' });
    });
    writeFileSync(path.join(dir, 'erin.jsonl'), 'an earlier export\n');
    assert.equal(loophole(['verdicts', 'export', 'erin', '--out', 'erin.jsonl'], dir).code, 0);
    const lines = readFileSync(path.join(dir, 'erin.jsonl'), 'utf8').trim().split('\n');
    assert.equal(lines.length, 2, 'the header and the one verdict, nothing of the earlier file');
    // a target that is a folder, or in a folder that does not exist: a clear error, nothing touched
    mkdirSync(path.join(dir, 'out', 'erin.jsonl'), { recursive: true });
    writeFileSync(path.join(dir, 'out', 'erin.jsonl', 'kept.txt'), 'kept\n');
    const folder = loophole(['verdicts', 'export', 'erin', '--out', 'out/erin.jsonl'], dir);
    assert.equal(folder.code, 2);
    assert.match(folder.stderr, /--out out\/erin\.jsonl is a folder; give the path of the file to write/);
    assert.deepEqual(readdirSync(path.join(dir, 'out')), ['erin.jsonl']);
    assert.equal(readFileSync(path.join(dir, 'out', 'erin.jsonl', 'kept.txt'), 'utf8'), 'kept\n');
    const missing = loophole(['verdicts', 'export', 'erin', '--out', 'nowhere/erin.jsonl'], dir);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /the folder nowhere does not exist/);
  });
});
