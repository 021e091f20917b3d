/**
 * A store written by an earlier release opens with this code: every migration runs, and nothing the
 * release stored is lost or changed. The fixture (`test/fixtures/store/release-0.1.0/`, made by
 * `makeReleaseStore.ts` with release 0.1.0) is copied to a temporary folder; the committed files are
 * never opened in place.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { DatabaseSync } from '@photostructure/sqlite';
import { isStale } from '../../../server/src/analysis/version';
import { RELEASE } from '../../../server/src/core/release';
import { JobStore } from '../../../server/src/jobs/jobStore';
import { fingerprint, unchangedSince } from '../../../server/src/lsp/reopen';
import { MIGRATIONS, SCHEMA_VERSION } from '../../../server/src/store/schema';
import { Store } from '../../../server/src/store/store';

const FIXTURE = path.resolve(__dirname, '../../fixtures/store/release-0.1.0');
const FIXTURE_SCHEMA = 3;
/** Every table release 0.1.0 wrote; each must come through the upgrade row for row. */
const RELEASE_TABLES = [
  'meta',
  'problems',
  'candidates',
  'analyses',
  'scores',
  'verdicts',
  'verdict_chain',
  'verdict_origins',
  'current_verdicts',
  'picks',
  'jobs',
  'job_logs',
  'job_metrics',
  'job_artifacts',
];

interface StampFile {
  version: number;
  format: string;
  files: [string, number, number][];
  issues: { file: string; line: number; message: string }[];
}
type CacheFile = Record<string, { value: unknown; promptTokens: number; completionTokens: number; at: string }>;

const fixtureStamp = JSON.parse(readFileSync(path.join(FIXTURE, 'store', 'import-stamp.json'), 'utf8')) as StampFile;
const fixtureCache = JSON.parse(readFileSync(path.join(FIXTURE, 'store', 'judge-cache.json'), 'utf8')) as CacheFile;

/** The fixture as a data folder: the data file (with the mtime its stamp recorded) and `.loophole/`. */
function copyFixture(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'loophole-upgrade-'));
  const data = path.join(dir, 'set.loophole.jsonl');
  copyFileSync(path.join(FIXTURE, 'set.loophole.jsonl'), data);
  const mtimeS = fixtureStamp.files[0]![2] / 1000;
  utimesSync(data, mtimeS, mtimeS);
  mkdirSync(path.join(dir, '.loophole'));
  for (const f of readdirSync(path.join(FIXTURE, 'store'))) copyFileSync(path.join(FIXTURE, 'store', f), path.join(dir, '.loophole', f));
  return dir;
}

/** Every row of `tables`, read through a plain connection (exec only, so that it closes for real). */
function dumpTables(dbFile: string, tables: readonly string[]): Record<string, unknown[]> {
  const db = new DatabaseSync(dbFile, { readOnly: true });
  try {
    const out: Record<string, unknown[]> = {};
    for (const t of tables) out[t] = db.prepare(`SELECT * FROM ${t} ORDER BY rowid`).all();
    return out;
  } finally {
    db.close();
  }
}

/** Tables, columns, indexes and triggers, independent of how the DDL was spelled. */
function shape(db: Store['db']): unknown {
  const objects = db.prepare("SELECT type, name, tbl_name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name").all() as {
    type: string;
    name: string;
    tbl_name: string;
  }[];
  return objects.map((o) =>
    o.type === 'table'
      ? { ...o, columns: db.prepare(`PRAGMA table_info(${o.name})`).all() }
      : o.type === 'index'
        ? { ...o, columns: db.prepare(`PRAGMA index_info(${o.name})`).all() }
        : o,
  );
}

const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('store upgrade from release 0.1.0', () => {
  let dir: string;
  let dbFile: string;
  beforeEach(() => {
    dir = copyFixture();
    dbFile = path.join(dir, '.loophole', 'loophole.db');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('every schema version has its migration step', () => {
    assert.equal(MIGRATIONS.length, SCHEMA_VERSION);
  });

  it('is the schema this test expects', () => {
    const db = new DatabaseSync(dbFile, { readOnly: true });
    try {
      assert.equal(Number((db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version), FIXTURE_SCHEMA);
    } finally {
      db.close();
    }
  });

  it('runs every migration and keeps every row of every table the release wrote', () => {
    const before = dumpTables(dbFile, RELEASE_TABLES);
    assert.ok(before['verdicts']!.length > 0 && before['analyses']!.length > 0 && before['jobs']!.length > 0, 'the fixture holds data');
    const s = Store.openFile(dbFile);
    try {
      assert.equal(Number((s.db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version), SCHEMA_VERSION);
      for (const t of RELEASE_TABLES) {
        const rows = s.db.prepare(`SELECT * FROM ${t} ORDER BY rowid`).all();
        if (t === 'meta') {
          // The upgrade adds its provenance; the release's own keys are unchanged.
          assert.deepEqual(
            rows.filter((r) => (before['meta'] as { key: string }[]).some((b) => b.key === (r as { key: string }).key)),
            before['meta'],
          );
        } else assert.deepEqual(rows, before[t], `${t}: every row as the release wrote it`);
      }
    } finally {
      s.close();
    }
  });

  it('has the same tables, columns, indexes and triggers as a store created by this code', () => {
    const fresh = Store.openFile(':memory:');
    const s = Store.openFile(dbFile);
    try {
      assert.deepEqual(shape(s.db), shape(fresh.db));
    } finally {
      s.close();
      fresh.close();
    }
  });

  it('keeps the verdicts, their hash chain and their history readable through the store', () => {
    const s = Store.openFile(dbFile);
    try {
      const chain = s.verifyVerdicts();
      assert.deepEqual(chain, { ok: true, verdicts: 8, problems: [] });
      assert.deepEqual(
        s.verdictHistory('max-line/c0').map((r) => [r.action, r.label, r.reviewer]),
        [
          ['set', 'hack', 'ana'],
          ['retract', 'hack', 'ana'],
          ['set', 'clean', 'ana'],
        ],
        'an undo stays in the history',
      );
      assert.deepEqual(s.currentVerdict('max-line/c1'), {
        candidateId: 'max-line/c1',
        label: 'hack',
        reviewer: 'ben',
        at: '2026-01-02T11:00:00.000Z',
        note: 'branches on the shown input',
      });
      assert.equal(s.currentVerdict('triple/c1')?.note, 'returns 6 for the shown input only');
      assert.deepEqual([...s.currentVerdicts()].map(([id, v]) => [id, v.label]).sort(), [
        ['max-line/c0', 'clean'],
        ['max-line/c1', 'hack'],
        ['triple/c0', 'clean'],
        ['triple/c1', 'hack'],
      ]);
      const imported = [...s.iterateVerdictsWithOrigin()].filter((r) => r.origin);
      assert.deepEqual(
        imported.map((r) => [r.candidateId, r.reviewer, r.origin, r.contentHash]),
        [['triple/c0', 'cleo', 'verdicts.jsonl', 'feedc0de']],
      );
      assert.equal([...s.iterateVerdictRecords()].length, 8);
      assert.equal(s.pick('triple'), 'triple/c0');

      // The chain goes on from the release's last link.
      s.addVerdict({ candidateId: 'triple/c1', label: 'unsure', reviewer: 'dan', at: '2026-02-01T00:00:00.000Z' });
      assert.deepEqual(s.verifyVerdicts(), { ok: true, verdicts: 9, problems: [] });
    } finally {
      s.close();
    }
  });

  it('keeps the problems, candidates and analyses readable through the store', () => {
    const s = Store.openFile(dbFile);
    try {
      assert.equal(s.problemCount(), 2);
      assert.equal(s.candidateCount(), 4);
      const analyses = [...s.iterateAnalyses()];
      assert.equal(analyses.length, 4);
      for (const a of analyses) {
        assert.ok(a.contentHash && a.tests.length > 0 && a.scores.length > 0, `${a.candidateId}: a full analysis`);
        assert.equal(s.analysisHash(a.candidateId), a.contentHash);
      }
      assert.equal(s.analysis('triple/c1')?.isHack, true);
      assert.equal(s.analysis('triple/c0')?.isHack, false);
      const page = s.summaries({ sort: 'score' });
      assert.equal(page.total, 4);
      assert.deepEqual(
        page.items.map((c) => [c.id, c.isHack, c.verdict]),
        [
          ['max-line/c1', true, 'hack'],
          ['triple/c1', true, 'hack'],
          ['max-line/c0', false, 'clean'],
          ['triple/c0', false, 'clean'],
        ],
      );
      // Kept as the release made them; flagged for re-analysis once the analyzer has moved on since.
      for (const c of page.items) assert.equal(c.stale === true, isStale(s.analysis(c.id)), `${c.id}: stale exactly when older`);
      const problems = s.problemSummaries({ sort: 'id' }).items;
      assert.deepEqual(
        problems.map((p) => [p.id, p.candidates, p.hacks, p.reviewed]),
        [
          ['triple', 2, 1, 2],
          ['max-line', 2, 1, 2],
        ],
      );
      assert.ok(JSON.parse(s.meta('sandbox')!).isolation, 'how the release ran the candidates is kept');
    } finally {
      s.close();
    }
  });

  it('keeps the jobs, their logs, metrics and artifacts readable through the job store', () => {
    const s = Store.openFile(dbFile);
    try {
      const jobs = new JobStore(s.db);
      assert.deepEqual(
        jobs
          .list()
          .map((j) => [j.id, j.kind, j.status.state])
          .sort(),
        [
          ['chain-fixture', 'chain', 'cancelled'],
          ['eval-fixture', 'eval', 'succeeded'],
          ['train-fixture', 'train', 'failed'],
        ],
      );
      const train = jobs.get('train-fixture')!;
      assert.equal(train.parent, 'chain-fixture');
      assert.equal(train.device, 'cpu');
      assert.deepEqual(train.progress, { done: 2, total: 8, message: 'step 2/8' });
      assert.ok(train.status.state === 'failed' && train.status.error.kind === 'nan_loss' && train.status.resumable);
      assert.deepEqual(
        jobs.logs(train.id).map((l) => [l.source, l.level, l.message]),
        [
          ['worker', 'info', 'loaded 4 rows'],
          ['stderr', 'warn', 'slow tokenizer'],
        ],
      );
      assert.deepEqual(jobs.metrics(train.id), [
        { step: 1, loss: 1.25, lr: 0.0001, tokensPerS: 512 },
        { step: 2, loss: null, lr: 0.0001, tokensPerS: 498 },
      ]);
      assert.deepEqual(jobs.artifacts(train.id), [{ kind: 'checkpoint', path: 'checkpoints/step-2', step: 2 }]);
      const ev = jobs.get('eval-fixture')!;
      assert.equal(ev.attempt, 2);
      assert.deepEqual(ev.config, { heldOut: 2, resume: true });
      assert.ok(ev.status.state === 'succeeded');
      assert.deepEqual(ev.status.result, { hackRate: 0.5 });
      assert.deepEqual(
        jobs.list({ parent: 'chain-fixture' }).map((j) => j.id),
        ['train-fixture'],
      );
      // And new jobs go into the same tables.
      jobs.create('eval', 'after the upgrade', {}, { id: 'eval-new' });
      assert.equal(jobs.list().length, 4);
    } finally {
      s.close();
    }
  });

  it('imports the judge cache and the import stamp into the store and keeps the files renamed', () => {
    const s = Store.open(dir);
    try {
      const cache = s.judgeCache();
      assert.equal(cache.size, Object.keys(fixtureCache).length);
      for (const [key, reply] of Object.entries(fixtureCache)) assert.deepEqual(cache.get(key), reply);
      const { version, ...stamp } = fixtureStamp;
      assert.equal(version, 1);
      assert.deepEqual(s.importStamp(), stamp);
      assert.deepEqual(
        s.sideFiles.imported.map((f) => path.basename(f)),
        ['judge-cache.json.imported', 'import-stamp.json.imported'],
      );
    } finally {
      s.close();
    }
    const store = path.join(dir, '.loophole');
    assert.ok(!existsSync(path.join(store, 'judge-cache.json')) && !existsSync(path.join(store, 'import-stamp.json')));
    // Renamed, byte for byte: never deleted.
    assert.equal(sha(path.join(store, 'judge-cache.json.imported')), sha(path.join(FIXTURE, 'store', 'judge-cache.json')));
    assert.equal(sha(path.join(store, 'import-stamp.json.imported')), sha(path.join(FIXTURE, 'store', 'import-stamp.json')));
    // The unchanged data re-opens from the imported stamp, with the release's import issues.
    assert.deepEqual(unchangedSince(fingerprint(dir), dir, 'auto'), fixtureStamp.issues);
    assert.equal(unchangedSince(fingerprint(dir), dir, 'loophole'), undefined, 'another format imports again');
  });

  it('records which release migrated it', () => {
    const s = Store.openFile(dbFile);
    try {
      const p = s.provenance();
      assert.equal(p.createdBy, undefined, 'created before provenance was kept');
      assert.equal(p.migratedBy?.release, RELEASE);
      assert.equal(p.migratedBy?.from, FIXTURE_SCHEMA);
      assert.equal(p.migratedBy?.to, SCHEMA_VERSION);
    } finally {
      s.close();
    }
  });

  it('opens a second time without changing anything', () => {
    const first = Store.open(dir);
    first.close();
    const tables = [...RELEASE_TABLES, 'judge_cache', 'import_stamp'];
    const after = dumpTables(dbFile, tables);
    const files = readdirSync(path.join(dir, '.loophole'))
      .filter((f) => !/-(wal|shm)$/.test(f))
      .sort();
    const again = Store.open(dir);
    try {
      assert.deepEqual(again.sideFiles, { imported: [], unreadable: [], skippedEntries: 0 }, 'nothing left to import');
      assert.deepEqual(again.verifyVerdicts(), { ok: true, verdicts: 8, problems: [] });
    } finally {
      again.close();
    }
    assert.deepEqual(dumpTables(dbFile, tables), after, 'the same rows, provenance included');
    assert.deepEqual(
      readdirSync(path.join(dir, '.loophole'))
        .filter((f) => !/-(wal|shm)$/.test(f))
        .sort(),
      files,
    );
  });

  it('upgrades once when several processes open it at the same moment', async () => {
    // Each child loads the store, says "ready", and opens it when the parent says "go" to all at once.
    const script = `
      const { Store } = require(${JSON.stringify(path.resolve(__dirname, '../../../server/src/store/store.ts'))});
      process.stdout.write('ready\\n');
      process.stdin.once('data', () => {
        const s = Store.open(${JSON.stringify(dir)});
        const chain = s.verifyVerdicts();
        process.stdout.write(JSON.stringify({ ok: chain.ok, verdicts: chain.verdicts, replies: s.judgeCache().size }) + '\\n');
        s.close();
        process.exit(0);
      });`;
    const children = [0, 1, 2].map(() =>
      spawn(process.execPath, ['--require', 'tsx/cjs', '-e', script], { stdio: ['pipe', 'pipe', 'inherit'] }),
    );
    const lines = children.map((c) => {
      const rl = createInterface({ input: c.stdout! });
      const it = rl[Symbol.asyncIterator]();
      return async () => (await it.next()).value as string;
    });
    assert.deepEqual(await Promise.all(lines.map((next) => next())), ['ready', 'ready', 'ready']);
    for (const c of children) c.stdin!.write('go\n');
    const results = (await Promise.all(lines.map((next) => next()))).map((l) => JSON.parse(l) as unknown);
    await Promise.all(children.map((c) => (c.exitCode !== null ? Promise.resolve() : once(c, 'exit'))));
    for (const r of results) assert.deepEqual(r, { ok: true, verdicts: 8, replies: 1 });
    const s = Store.open(dir);
    try {
      assert.deepEqual(s.verifyVerdicts(), { ok: true, verdicts: 8, problems: [] }, 'no verdict chained twice');
      assert.equal(s.judgeCache().size, 1);
      assert.equal(s.provenance().migratedBy?.from, FIXTURE_SCHEMA);
    } finally {
      s.close();
    }
    assert.deepEqual(
      readdirSync(path.join(dir, '.loophole'))
        .filter((f) => f.includes('.json'))
        .sort(),
      ['import-stamp.json.imported', 'judge-cache.json.imported'],
    );
  });

  it('is refused, untouched, when its schema is newer than this code knows', () => {
    const raw = new DatabaseSync(dbFile);
    raw.exec(`PRAGMA user_version = ${SCHEMA_VERSION + 1}; PRAGMA journal_mode = DELETE`);
    raw.close();
    const listing = readdirSync(path.join(dir, '.loophole')).sort();
    const before = listing.map((f) => sha(path.join(dir, '.loophole', f)));
    assert.throws(
      () => Store.open(dir),
      (e: Error) =>
        e.message.includes(dbFile) &&
        e.message.includes(`written by a newer Loophole (schema ${SCHEMA_VERSION + 1}, this one knows ${SCHEMA_VERSION})`) &&
        e.message.includes('left untouched'),
    );
    assert.deepEqual(readdirSync(path.join(dir, '.loophole')).sort(), listing, 'no file added, renamed or removed');
    assert.deepEqual(
      listing.map((f) => sha(path.join(dir, '.loophole', f))),
      before,
      'every file byte for byte',
    );
  });
});
