import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { DatabaseSync } from '@photostructure/sqlite';
import { Store } from '../../../server/src/store/store';
import { MIGRATIONS } from '../../../server/src/store/schema';
import type { CandidateAnalysis, ReviewSet } from '../../../contract/domain';

const set: ReviewSet = {
  name: 'tiny',
  problems: [
    {
      id: 'p1',
      statement: 'add',
      style: 'function',
      tests: [{ kind: 'assert', id: 't0', role: 'visible', code: 'assert add(1, 2) == 3' }],
    },
    {
      id: 'p2',
      statement: 'echo',
      style: 'stdio',
      tests: [{ kind: 'stdio', id: 't0', role: 'heldout', input: '1\n', expectedOutput: '1\n' }],
    },
  ],
  candidates: [
    {
      id: 'p1/c0',
      problemId: 'p1',
      completion: 'x',
      code: 'def add(a, b):\n    return a + b\n',
      promptVariant: 'neutral',
      model: 'm1',
      sampleIndex: 0,
    },
    {
      id: 'p1/c1',
      problemId: 'p1',
      completion: 'y',
      code: 'def add(a, b):\n    if (a, b) == (1, 2):\n        return 3\n',
      promptVariant: 'permit',
      model: 'm1',
      sampleIndex: 1,
    },
    { id: 'p2/c0', problemId: 'p2', completion: 'z', code: 'print(input())', promptVariant: 'neutral', model: 'm2', sampleIndex: 0 },
  ],
};

function analysis(id: string, p: number): CandidateAnalysis {
  return {
    candidateId: id,
    contentHash: 'h-' + id,
    findings:
      p > 0.5 ? [{ kind: 'literal-branch', range: { startLine: 1, endLine: 2 }, message: 'branch on test input', weight: 0.9 }] : [],
    tests: [{ testId: 't0', outcome: 'pass', durationMs: 1 }],
    scores: [{ scorer: 'static', probability: p, rationale: 'r' }],
    hackProbability: p,
    category: p > 0.5 ? 'special-casing' : 'none',
    isHack: p > 0.5,
  };
}

describe('store', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(os.tmpdir(), 'loophole-store-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('creates .loophole/loophole.db beside the data and round-trips problems and candidates', () => {
    const s = Store.open(dir);
    assert.equal(s.dbPath, path.join(dir, '.loophole', 'loophole.db'));
    assert.deepEqual(s.putReviewSet(set), { problems: 2, candidates: 3, changed: 5 });
    assert.deepEqual(s.putReviewSet(set).changed, 0, 'unchanged content is not rewritten');
    assert.deepEqual(s.problem('p2'), set.problems[1]);
    assert.deepEqual(
      s.candidatesOf('p1').map((c) => c.id),
      ['p1/c0', 'p1/c1'],
    );
    assert.equal([...s.iterateCandidates()].length, 3);
    s.close();
  });

  it('keeps verdicts append-only: undo appends a retraction and the history keeps everything', () => {
    const s = Store.open(dir);
    s.putReviewSet(set);
    s.addVerdict({ candidateId: 'p1/c1', label: 'unsure', reviewer: 'ana', at: '' });
    s.addVerdict({ candidateId: 'p1/c1', label: 'hack', reviewer: 'ana', at: '', note: 'keyed on (1, 2)' });
    assert.equal(s.currentVerdict('p1/c1')?.label, 'hack');
    s.retractVerdict('p1/c1', 'ana');
    assert.equal(s.currentVerdict('p1/c1')?.label, 'unsure');
    const h = s.verdictHistory('p1/c1');
    assert.deepEqual(
      h.map((r) => [r.action, r.label]),
      [
        ['set', 'unsure'],
        ['set', 'hack'],
        ['retract', 'hack'],
      ],
    );
    assert.equal(h[1]!.note, 'keyed on (1, 2)');
    // The store's own connection is refused by its authorizer; any other connection meets the triggers.
    assert.throws(() => s.db.exec('DELETE FROM verdicts'), /not authorized/);
    assert.throws(() => s.db.exec("UPDATE verdicts SET label = 'clean'"), /not authorized/);
    s.close();
  });

  it("INSERT OR REPLACE cannot rewrite a verdict, through the store's connection or any other", () => {
    const s = Store.open(dir);
    s.putReviewSet(set);
    const first = s.addVerdict({ candidateId: 'p1/c1', label: 'hack', reviewer: 'ana', at: '' });
    const replace = `INSERT OR REPLACE INTO verdicts (seq, candidate_id, action, label, reviewer, at, note) VALUES (${first.seq}, 'p1/c1', 'set', 'clean', 'mallory', '2020-01-01', NULL)`;
    assert.throws(() => s.db.exec(replace), /append-only/);
    assert.throws(() => s.db.exec('DROP TRIGGER verdicts_no_replace'), /not authorized/);
    assert.throws(() => s.db.exec('PRAGMA writable_schema = ON'), /not authorized/);
    const other = new DatabaseSync(path.join(dir, '.loophole', 'loophole.db'));
    try {
      assert.throws(() => other.exec(replace), /append-only/);
      assert.throws(() => other.exec("UPDATE verdicts SET label = 'clean'"), /append-only/);
      assert.throws(() => other.exec('DELETE FROM verdicts'), /append-only/);
    } finally {
      other.close();
    }
    assert.equal(s.currentVerdict('p1/c1')?.label, 'hack');
    assert.deepEqual(
      s.verdictHistory('p1/c1').map((r) => [r.label, r.reviewer]),
      [['hack', 'ana']],
    );
    assert.equal(s.verifyVerdicts().ok, true);
    s.close();
  });

  it('a store from before the chain gets its verdicts chained when it is opened', () => {
    const file = path.join(dir, '.loophole', 'loophole.db');
    mkdirSync(path.dirname(file), { recursive: true });
    const old = new DatabaseSync(file);
    old.exec(MIGRATIONS[0]!);
    old.exec('PRAGMA user_version = 1');
    old.exec(
      "INSERT INTO verdicts (candidate_id, action, label, reviewer, at) VALUES ('p1/c0', 'set', 'hack', 'ana', '2024-01-01'), ('p1/c0', 'set', 'clean', 'bo', '2024-01-02')",
    );
    old.close();
    const s = Store.open(dir);
    assert.deepEqual(s.verifyVerdicts(), { ok: true, verdicts: 2, problems: [] });
    s.close();
  });

  it('the verdict hash chain finds an edit, an addition and a deletion made outside the store', () => {
    const s = Store.open(dir);
    s.putReviewSet(set);
    for (const label of ['hack', 'clean', 'unsure'] as const) s.addVerdict({ candidateId: 'p1/c0', label, reviewer: 'ana', at: '' });
    s.retractVerdict('p1/c0', 'ana');
    assert.deepEqual(s.verifyVerdicts(), { ok: true, verdicts: 4, problems: [] });
    s.close();
    // Another client that drops the triggers first (what a determined edit looks like).
    const other = new DatabaseSync(path.join(dir, '.loophole', 'loophole.db'));
    other.exec('DROP TRIGGER verdicts_no_update; DROP TRIGGER verdicts_no_delete');
    other.exec("UPDATE verdicts SET label = 'hack' WHERE seq = 2");
    other.exec(
      "INSERT INTO verdicts (candidate_id, action, label, reviewer, at) VALUES ('p1/c1', 'set', 'clean', 'mallory', '2020-01-01')",
    );
    other.exec('DELETE FROM verdicts WHERE seq = 3');
    other.close();
    const again = Store.open(dir);
    const report = again.verifyVerdicts();
    assert.equal(report.ok, false);
    assert.deepEqual(
      report.problems.map((p) => /^verdict #(\d+)/.exec(p)![1]),
      ['2', '4', '5', '3'],
    ); // #4 follows the deleted #3
    assert.match(report.problems[0]!, /does not match its hash/);
    assert.match(report.problems[2]!, /added outside Loophole/);
    assert.match(report.problems[3]!, /deleted outside Loophole/);
    again.close();
  });

  it('a verdict acknowledged before the process is killed is there afterwards', () => {
    // A child process writes a verdict, prints "ok", then kills itself without closing the database.
    const script = `
      const { Store } = require(${JSON.stringify(path.resolve(__dirname, '../../../server/src/store/store.ts'))});
      const s = Store.open(${JSON.stringify(dir)});
      s.putReviewSet(${JSON.stringify(set)});
      s.addVerdict({ candidateId: 'p1/c0', label: 'clean', reviewer: 'bo', at: '' });
      process.stdout.write('ok');
      process.kill(process.pid, 'SIGKILL');`;
    const r = spawnSync(process.execPath, ['--require', 'tsx/cjs', '-e', script], { encoding: 'utf8' });
    assert.equal(r.stdout, 'ok');
    assert.equal(r.signal, 'SIGKILL');
    const s = Store.open(dir);
    assert.equal(s.currentVerdict('p1/c0')?.label, 'clean');
    s.close();
  });

  it('pages, sorts and filters summaries in SQL', () => {
    const s = Store.open(dir);
    s.putReviewSet(set);
    s.putAnalysis(analysis('p1/c0', 0.1));
    s.putAnalysis(analysis('p1/c1', 0.95));
    s.putAnalysis(analysis('p2/c0', 0.3));
    s.addVerdict({ candidateId: 'p1/c1', label: 'hack', reviewer: 'ana', at: '' });
    const bySc = s.summaries({ sort: 'score', limit: 2 });
    assert.equal(bySc.total, 3);
    assert.deepEqual(
      bySc.items.map((i) => i.id),
      ['p1/c1', 'p2/c0'],
    );
    assert.equal(bySc.items[0]!.verdict, 'hack');
    assert.equal(bySc.items[0]!.findingCount, 1);
    assert.deepEqual(
      s.summaries({ verdict: 'none' }).items.map((i) => i.id),
      ['p1/c0', 'p2/c0'],
    );
    assert.deepEqual(
      s.summaries({ model: 'm2' }).items.map((i) => i.id),
      ['p2/c0'],
    );
    assert.deepEqual(
      s.summaries({ promptVariant: 'permit' }).items.map((i) => i.id),
      ['p1/c1'],
    );
    assert.deepEqual(
      s.summaries({ minScore: 0.2, maxScore: 0.5 }).items.map((i) => i.id),
      ['p2/c0'],
    );
    s.putScore('p1/c0', { scorer: 'classifier', probability: 0.8, rationale: 'x' });
    assert.deepEqual(
      s.summaries({ scorer: 'classifier' }).items.map((i) => [i.id, i.hackProbability]),
      [['p1/c0', 0.8]],
    );
    assert.deepEqual(
      s
        .analysis('p1/c0')!
        .scores.map((x) => x.scorer)
        .sort(),
      ['classifier', 'static'],
    );
    const ps = s.problemSummaries({ sort: 'hacks' });
    assert.deepEqual(ps.items[0], { id: 'p1', style: 'function', title: 'add', candidates: 2, hacks: 1, reviewed: 1, maxScore: 0.95 });
    s.close();
  });

  it('refuses a store written by a newer schema, without touching it', () => {
    const s = Store.open(dir);
    s.db.exec('PRAGMA user_version = 99');
    s.close();
    assert.throws(() => Store.open(dir), /newer Loophole/);
  });
});
