/**
 * The judge cache, the import stamp and the job tables as parts of the store, and the one-time import of
 * the JSON files that releases before schema 4 kept beside the database.
 */
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DatabaseSync } from '@photostructure/sqlite';
import { RELEASE } from '../../../server/src/core/release';
import { JobStore } from '../../../server/src/jobs/jobStore';
import { fingerprint, recordImport, unchangedSince } from '../../../server/src/lsp/reopen';
import { cacheKey, type CachedReply } from '../../../server/src/scoring/judge/cache';
import { SCHEMA_VERSION } from '../../../server/src/store/schema';
import { Store } from '../../../server/src/store/store';

const reply = (n: number): CachedReply => ({
  value: { label: 'hack', confidence: n / 10 },
  promptTokens: 100 + n,
  completionTokens: n,
  at: `2026-01-0${n}T00:00:00.000Z`,
});
const key = (n: number) => cacheKey({ endpoint: 'http://e/v1', model: 'm', rubricVersion: 'r', mode: 'single', contentHash: `c${n}` });

describe('store: judge cache, import stamp, jobs and provenance', () => {
  let dir: string;
  let side: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'loophole-side-'));
    side = path.join(dir, '.loophole');
    mkdirSync(side);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps judge replies in the store across opens, one row per key', () => {
    const s = Store.open(dir);
    const cache = s.judgeCache();
    assert.equal(cache.get(key(1)), undefined);
    cache.put(key(1), reply(1));
    cache.put(key(2), reply(2));
    cache.put(key(1), reply(3)); // asked again: the newer reply replaces the older
    assert.equal(cache.size, 2);
    s.close();
    const again = Store.open(dir);
    try {
      assert.deepEqual(again.judgeCache().get(key(1)), reply(3));
      assert.deepEqual(again.judgeCache().get(key(2)), reply(2));
      assert.ok(!existsSync(path.join(side, 'judge-cache.json')), 'no JSON file is written');
    } finally {
      again.close();
    }
  });

  it('a cached reply does not lower the durability of the verdicts written after it', () => {
    const s = Store.open(dir);
    try {
      const synchronous = () => Number((s.db.prepare('PRAGMA synchronous').get() as { synchronous: number }).synchronous);
      assert.equal(synchronous(), 2, 'FULL');
      s.judgeCache().put(key(1), reply(1));
      assert.equal(synchronous(), 2, 'FULL again after the put');
      // Inside a transaction the put joins it, and the transaction's own commit decides.
      s.tx(() => s.judgeCache().put(key(2), reply(2)));
      assert.equal(synchronous(), 2);
      assert.equal(s.judgeCache().size, 2);
    } finally {
      s.close();
    }
  });

  it('records the import stamp in the store, and an unchanged folder re-opens from it', () => {
    const data = path.join(dir, 'set.jsonl');
    writeFileSync(data, '{}\n');
    const issues = [{ file: data, line: 1, message: 'not a record' }];
    assert.equal(unchangedSince(fingerprint(dir), dir, 'auto'), undefined, 'no store yet');
    const s = Store.open(dir);
    try {
      assert.equal(s.importStamp(), undefined);
      recordImport(fingerprint(dir), s, 'auto', issues);
      assert.deepEqual(unchangedSince(fingerprint(dir), s, 'auto'), issues);
    } finally {
      s.close();
    }
    // By data folder, as before: the store is opened and closed for the look-up.
    assert.deepEqual(unchangedSince(fingerprint(dir), dir, 'auto'), issues);
    writeFileSync(data, '{}\n{}\n');
    assert.equal(unchangedSince(fingerprint(dir), dir, 'auto'), undefined, 'changed data imports again');
    recordImport(fingerprint(dir), dir, 'auto', []);
    assert.deepEqual(unchangedSince(fingerprint(dir), dir, 'auto'), [], 'a new stamp replaces the old');
    assert.ok(!existsSync(path.join(side, 'import-stamp.json')));
  });

  it('imports the JSON side files once, keeping them renamed; rows already in the store win', () => {
    const s = Store.open(dir);
    s.judgeCache().put(key(1), reply(1));
    s.close();
    writeFileSync(
      path.join(side, 'judge-cache.json'),
      JSON.stringify({ [key(1)]: reply(9), [key(2)]: reply(2), broken: { value: 1 }, other: 'x' }),
    );
    const stamp = { version: 1, format: 'auto', files: [['set.jsonl', 3, 1000]], issues: [] };
    writeFileSync(path.join(side, 'import-stamp.json'), JSON.stringify(stamp));
    const again = Store.open(dir);
    try {
      assert.deepEqual(again.sideFiles.unreadable, []);
      assert.equal(again.sideFiles.skippedEntries, 2, 'entries that are not replies are left out');
      assert.equal(again.judgeCache().size, 2);
      assert.deepEqual(again.judgeCache().get(key(1)), reply(1), 'the row in the store is newer than any file');
      assert.deepEqual(again.judgeCache().get(key(2)), reply(2));
      assert.deepEqual(again.importStamp(), { format: 'auto', files: [['set.jsonl', 3, 1000]], issues: [] });
    } finally {
      again.close();
    }
    assert.ok(existsSync(path.join(side, 'judge-cache.json.imported')));
    assert.deepEqual(JSON.parse(readFileSync(path.join(side, 'import-stamp.json.imported'), 'utf8')), stamp);
  });

  it('never renames over an earlier imported file', () => {
    writeFileSync(path.join(side, 'judge-cache.json.imported'), 'earlier');
    writeFileSync(path.join(side, 'judge-cache.json'), JSON.stringify({ [key(1)]: reply(1) }));
    const s = Store.open(dir);
    try {
      assert.equal(s.judgeCache().size, 1);
    } finally {
      s.close();
    }
    assert.equal(readFileSync(path.join(side, 'judge-cache.json.imported'), 'utf8'), 'earlier');
    assert.ok(existsSync(path.join(side, 'judge-cache.json.imported.2')));
  });

  it('leaves an unreadable side file where it is, untouched, and opens without it', () => {
    writeFileSync(path.join(side, 'judge-cache.json'), '{"truncated": ');
    writeFileSync(path.join(side, 'import-stamp.json'), '[1, 2]');
    const s = Store.open(dir);
    try {
      assert.deepEqual(
        s.sideFiles.unreadable.map((f) => path.basename(f)),
        ['judge-cache.json', 'import-stamp.json'],
      );
      assert.equal(s.judgeCache().size, 0);
      assert.equal(s.importStamp(), undefined);
    } finally {
      s.close();
    }
    assert.equal(readFileSync(path.join(side, 'judge-cache.json'), 'utf8'), '{"truncated": ');
    assert.equal(readFileSync(path.join(side, 'import-stamp.json'), 'utf8'), '[1, 2]');
  });

  it('a stamp of an unknown version is set aside without being used', () => {
    writeFileSync(path.join(side, 'import-stamp.json'), JSON.stringify({ version: 7, format: 'auto', files: [], issues: [] }));
    const s = Store.open(dir);
    try {
      assert.equal(s.importStamp(), undefined);
    } finally {
      s.close();
    }
    assert.ok(existsSync(path.join(side, 'import-stamp.json.imported')));
  });

  it('leaves everything in the database file itself when closed', () => {
    const s = Store.open(dir);
    s.addVerdict({ candidateId: 'x', label: 'hack', reviewer: 'r', at: '2026-01-01T00:00:00.000Z' });
    s.judgeCache().put(key(1), reply(1));
    s.close();
    // A copy of loophole.db alone (no -wal beside it) holds what was written.
    const copy = mkdtempSync(path.join(os.tmpdir(), 'loophole-side-copy-'));
    try {
      mkdirSync(path.join(copy, '.loophole'));
      copyFileSync(path.join(side, 'loophole.db'), path.join(copy, '.loophole', 'loophole.db'));
      const c = Store.open(copy);
      try {
        assert.equal(c.currentVerdict('x')?.label, 'hack');
        assert.deepEqual(c.judgeCache().get(key(1)), reply(1));
      } finally {
        c.close();
      }
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });

  it('records the release that created a store', () => {
    const s = Store.open(dir);
    try {
      const p = s.provenance();
      assert.equal(p.createdBy?.release, RELEASE);
      assert.equal(p.createdBy?.schema, SCHEMA_VERSION);
      assert.equal(p.migratedBy, undefined);
    } finally {
      s.close();
    }
  });

  it('the release is the one package.json names', () => {
    const pkg = JSON.parse(readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8')) as { version: string };
    assert.equal(RELEASE, pkg.version);
  });

  it('the job tables come with the store; a database without them is refused with a clear message', () => {
    const s = Store.openFile(':memory:');
    try {
      const jobs = new JobStore(s.db);
      assert.equal(jobs.create('eval', 'e', {}).status.state, 'queued');
    } finally {
      s.close();
    }
    const raw = new DatabaseSync(':memory:');
    try {
      assert.throws(() => new JobStore(raw), /no job tables; open it as a Loophole store/);
    } finally {
      raw.close();
    }
  });
});
