/**
 * The review set's embedded SQLite store: `<data folder>/.loophole/loophole.db`, WAL mode.
 *
 * One store holds the problems and candidates read from the data beside it, the latest analysis of
 * each candidate, every scorer's score, the append-only verdict history and the curation picks, and
 * beside them the jobs (`jobs/jobStore.ts`), the judge's reply cache and the import stamp. Every table
 * is created by the versioned migrations in `schema.ts`.
 * The binding is `@photostructure/sqlite` (N-API, the `node:sqlite` API), which loads unchanged in
 * plain Node, code-server and VS Code's Electron.
 *
 * Durability: `synchronous = FULL`, so a verdict acknowledged by `addVerdict` survives a crash of the
 * process or the machine. Every multi-row write is one transaction, so a crash mid-write leaves the
 * previous state, never half of the new one.
 */
import { DatabaseSync, type DatabaseSyncInstance, type StatementSyncInstance } from '@photostructure/sqlite';
import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readSync } from 'node:fs';
import path from 'node:path';
import { ANALYZER_VERSION } from '../analysis/version';
import { RELEASE } from '../core/release';
import type {
  Candidate,
  CandidateAnalysis,
  HackCategory,
  ImportIssue,
  Problem,
  ProblemStyle,
  ReviewSet,
  Score,
  Verdict,
  VerdictLabel,
} from '../../../contract/domain';
import type { CandidateSummary, ProblemSummary, VerdictRecord } from '../../../contract/lsp';
import { problemTitle } from '../../../contract/title';
import type { CachedReply, JudgeCache } from '../scoring/judge/cache';
import { META_CREATED_BY, META_MIGRATED_BY, MIGRATIONS, SCHEMA_VERSION } from './schema';
import { chainVerdict, guardVerdicts, sealUnchained, verifyVerdictChain, type ChainReport } from './integrity';
import type { ImportStamp } from './importStamp';
import { adoptSideFiles, type SideFileContents, type SideFileReport } from './sideFiles';

export const STORE_DIR = '.loophole';
export const STORE_FILE = 'loophole.db';

export type { ImportStamp } from './importStamp';

/** Which release created the store and which last migrated it (absent: before schema 4). */
export interface StoreProvenance {
  readonly createdBy?: { readonly release: string; readonly schema: number; readonly at: string };
  readonly migratedBy?: { readonly release: string; readonly from: number; readonly to: number; readonly at: string };
}

export interface SummaryQuery {
  problemId?: string;
  offset?: number;
  limit?: number;
  sort?: 'score' | 'id' | 'problem';
  order?: 'asc' | 'desc';
  /** `none`: candidates without a verdict in force. */
  verdict?: VerdictLabel | 'none';
  promptVariant?: string;
  model?: string;
  /** Bounds on the ensemble's probability, or on `scorer`'s when one is named. */
  minScore?: number;
  maxScore?: number;
  /** Sort and bound by this scorer's probability instead of the ensemble's; only candidates it scored. */
  scorer?: string;
  isHack?: boolean;
}

export function contentHash(value: unknown): string {
  return createHash('sha256')
    .update(typeof value === 'string' ? value : JSON.stringify(value))
    .digest('hex')
    .slice(0, 32);
}

interface Row {
  [key: string]: unknown;
}

export class Store {
  private readonly stmts = new Map<string, StatementSyncInstance>();
  /** What the open found beside the database from before schema 4 (see sideFiles.ts). */
  sideFiles: SideFileReport = { imported: [], unreadable: [], skippedEntries: 0 };

  private constructor(
    readonly db: DatabaseSyncInstance,
    readonly dbPath: string,
  ) {}

  /** Opens (creating when needed) the store that belongs to the data in `dataDir`. */
  static open(dataDir: string): Store {
    const dir = path.join(dataDir, STORE_DIR);
    mkdirSync(dir, { recursive: true });
    return Store.openFile(path.join(dir, STORE_FILE));
  }

  static openFile(dbPath: string): Store {
    if (dbPath !== ':memory:') mkdirSync(path.dirname(dbPath), { recursive: true });
    // Before any connection (which could write a journal, a WAL or a migration): a newer store is left
    // untouched. `migrate` checks again, for a version change still in the WAL.
    const newer = dbPath === ':memory:' ? undefined : newerSchema(dbPath);
    if (newer !== undefined) throw new Error(`${dbPath}: cannot open the Loophole store: ${newerMessage(newer)}`);
    const db = new DatabaseSync(dbPath);
    try {
      db.exec('PRAGMA journal_mode = WAL');
      db.exec('PRAGMA synchronous = FULL');
      db.exec('PRAGMA busy_timeout = 5000');
      db.exec('PRAGMA foreign_keys = ON');
      const store = new Store(db, dbPath);
      store.migrate();
      if (dbPath !== ':memory:') store.sideFiles = adoptSideFiles(path.dirname(dbPath), (c) => store.adopt(c));
      return store;
    } catch (err) {
      db.close();
      throw new Error(`${dbPath}: cannot open the Loophole store: ${(err as Error).message}`);
    }
  }

  /**
   * Closes the connection. The binding finalises cached statements only when they are collected, so
   * SQLite's own checkpoint at close may not run yet: the WAL is folded into the database file first
   * (passive: it never waits on another process), so that the file alone holds everything written.
   */
  close(): void {
    if (!this.db.isOpen) return;
    try {
      if (this.dbPath !== ':memory:' && !this.db.isTransaction) this.db.exec('PRAGMA wal_checkpoint(PASSIVE)');
    } finally {
      this.db.close();
    }
  }

  private migrate(): void {
    const version = userVersion(this.db);
    if (version > SCHEMA_VERSION) throw new Error(newerMessage(version));
    for (let v = version; v < SCHEMA_VERSION; v++) {
      this.tx(() => {
        // Another process opening the same store may have taken this step since the version was read.
        if (userVersion(this.db) !== v) return;
        this.db.exec(MIGRATIONS[v]!);
        // Verdicts from before the chain are chained once, when it is created.
        if (v === 1) sealUnchained(this.db);
        this.db.exec(`PRAGMA user_version = ${v + 1}`);
        if (v + 1 < SCHEMA_VERSION) return;
        // The last step says which release brought the store here, in the same transaction.
        const at = new Date().toISOString();
        if (version === 0) this.setMeta(META_CREATED_BY, JSON.stringify({ release: RELEASE, schema: SCHEMA_VERSION, at }));
        else this.setMeta(META_MIGRATED_BY, JSON.stringify({ release: RELEASE, from: version, to: SCHEMA_VERSION, at }));
      });
    }
    guardVerdicts(this.db);
  }

  /** Writes what the side files of an older store held into their tables (one transaction). */
  private adopt(c: SideFileContents): void {
    this.tx(() => {
      if (c.judgeReplies?.length) {
        const put = this.stmt(
          'INSERT OR IGNORE INTO judge_cache (key, value, prompt_tokens, completion_tokens, at) VALUES (?, ?, ?, ?, ?)',
        );
        for (const r of c.judgeReplies) put.run(r.key, JSON.stringify(r.value), r.promptTokens, r.completionTokens, r.at);
      }
      if (c.stamp) {
        this.stmt('INSERT OR IGNORE INTO import_stamp (id, format, files, issues, at) VALUES (1, ?, ?, ?, ?)').run(
          c.stamp.format,
          JSON.stringify(c.stamp.files),
          JSON.stringify(c.stamp.issues),
          new Date().toISOString(),
        );
      }
    });
  }

  /** Which release created the store (schema 4 on) and which last migrated it. */
  provenance(): StoreProvenance {
    const read = (key: string): unknown => {
      try {
        return JSON.parse(this.meta(key) ?? 'null') as unknown;
      } catch {
        return null;
      }
    };
    const created = read(META_CREATED_BY);
    const migrated = read(META_MIGRATED_BY);
    return {
      ...(created ? { createdBy: created as NonNullable<StoreProvenance['createdBy']> } : {}),
      ...(migrated ? { migratedBy: migrated as NonNullable<StoreProvenance['migratedBy']> } : {}),
    };
  }

  // ---- judge cache and import stamp --------------------------------------------------------

  /** The judge's reply cache, kept in this store (`judge_cache`); each `put` is one row. */
  judgeCache(): JudgeCache {
    const db = this.db;
    const get = this.stmt('SELECT value, prompt_tokens, completion_tokens, at FROM judge_cache WHERE key = ?');
    const put = this.stmt(
      `INSERT INTO judge_cache (key, value, prompt_tokens, completion_tokens, at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT(key) DO UPDATE SET value = excluded.value, prompt_tokens = excluded.prompt_tokens,
         completion_tokens = excluded.completion_tokens, at = excluded.at`,
    );
    const count = this.stmt('SELECT COUNT(*) AS n FROM judge_cache');
    return {
      get(key: string): CachedReply | undefined {
        const row = get.get(key) as Row | undefined;
        if (!row) return undefined;
        return {
          value: JSON.parse(row.value as string) as unknown,
          promptTokens: Number(row.prompt_tokens),
          completionTokens: Number(row.completion_tokens),
          at: row.at as string,
        };
      },
      put(key: string, reply: CachedReply): void {
        const row = [key, JSON.stringify(reply.value), reply.promptTokens, reply.completionTokens, reply.at] as const;
        if (db.isTransaction) {
          put.run(...row);
          return;
        }
        // A cached reply need not survive a power cut (it is asked again), so its commit skips the
        // fsync that verdicts get; in WAL mode that never risks corruption, and the next verdict's
        // commit syncs it too. Synchronous code: nothing else runs on this connection in between.
        db.exec('PRAGMA synchronous = NORMAL');
        try {
          put.run(...row);
        } finally {
          db.exec('PRAGMA synchronous = FULL');
        }
      },
      get size(): number {
        return Number((count.get() as Row).n);
      },
    };
  }

  /** The stamp of the last import (undefined: none recorded, or written before stamps were tables). */
  importStamp(): ImportStamp | undefined {
    const row = this.stmt('SELECT format, files, issues FROM import_stamp WHERE id = 1').get() as Row | undefined;
    if (!row) return undefined;
    return {
      format: row.format as string,
      files: JSON.parse(row.files as string) as [string, number, number][],
      issues: JSON.parse(row.issues as string) as ImportIssue[],
    };
  }

  /** Records what was just imported (after the import is committed). */
  setImportStamp(stamp: ImportStamp): void {
    this.stmt(
      `INSERT INTO import_stamp (id, format, files, issues, at) VALUES (1, ?, ?, ?, ?)
       ON CONFLICT(id) DO UPDATE SET format = excluded.format, files = excluded.files, issues = excluded.issues, at = excluded.at`,
    ).run(stamp.format, JSON.stringify(stamp.files), JSON.stringify(stamp.issues), new Date().toISOString());
  }

  /** A value kept in the store's `meta` table (undefined when unset). */
  meta(key: string): string | undefined {
    return (this.stmt('SELECT value FROM meta WHERE key = ?').get(key) as { value?: string } | undefined)?.value;
  }

  setMeta(key: string, value: string): void {
    this.stmt('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  /** Recomputes the verdict hash chain: `ok` unless a verdict was added, changed or deleted outside
   *  Loophole (see integrity.ts). */
  verifyVerdicts(): ChainReport {
    return verifyVerdictChain(this.db);
  }

  private stmt(sql: string): StatementSyncInstance {
    let s = this.stmts.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.stmts.set(sql, s);
    }
    return s;
  }

  /**
   * Streams the rows of `sql` in keyset-paged batches of `.all()` instead of a native `iterate()`:
   * a native iterator left open across an `await` (or dropped half-way) can outlive its statement in
   * the binding and crash the process. `sql` must select the key columns as `k1`, `k2`… and contain
   * `%AFTER%` where the keyset condition goes, and end in `ORDER BY` those keys.
   */
  private *paged(sql: string, keys: number, params: readonly (string | number)[] = [], batch = 1000): IterableIterator<Row> {
    const first = this.db.prepare(sql.replace('%AFTER%', '1 = 1') + ` LIMIT ${batch}`);
    const cols = Array.from({ length: keys }, (_, i) => `k${i + 1}`);
    const tuple = `(${cols.map(() => '?').join(', ')})`;
    const exprs = sql
      .match(/ORDER BY (.*)$/s)![1]!
      .split(',')
      .map((x) => x.trim());
    const next = this.db.prepare(sql.replace('%AFTER%', `(${exprs.join(', ')}) > ${tuple}`) + ` LIMIT ${batch}`);
    let rows = first.all(...params) as Row[];
    while (rows.length) {
      yield* rows;
      if (rows.length < batch) return;
      const last = rows[rows.length - 1]!;
      rows = next.all(...params, ...cols.map((c) => last[c] as string | number)) as Row[];
    }
  }

  /** Runs `fn` in one transaction (nested calls join the outer one). */
  tx<T>(fn: () => T): T {
    if (this.db.isTransaction) return fn();
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const out = fn();
      this.db.exec('COMMIT');
      return out;
    } catch (err) {
      this.db.exec('ROLLBACK');
      throw err;
    }
  }

  // ---- problems and candidates -------------------------------------------------------------

  /** Inserts or updates every problem and candidate; `changed` counts those whose content changed. */
  putReviewSet(set: ReviewSet): { problems: number; candidates: number; changed: number } {
    let changed = 0;
    this.tx(() => {
      let ord = Number((this.stmt('SELECT COALESCE(MAX(ord), -1) AS m FROM problems').get() as Row).m) + 1;
      const getP = this.stmt('SELECT hash FROM problems WHERE id = ?');
      const putP = this.stmt(
        `INSERT INTO problems (id, ord, style, hash, json) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT(id) DO UPDATE SET style = excluded.style, hash = excluded.hash, json = excluded.json`,
      );
      for (const p of set.problems) {
        const json = JSON.stringify(p);
        const hash = contentHash(json);
        const old = getP.get(p.id) as Row | undefined;
        if (old?.hash === hash) continue;
        putP.run(p.id, ord++, p.style, hash, json);
        changed++;
      }
      let cord = Number((this.stmt('SELECT COALESCE(MAX(ord), -1) AS m FROM candidates').get() as Row).m) + 1;
      const getC = this.stmt('SELECT hash FROM candidates WHERE id = ?');
      const putC = this.stmt(
        `INSERT INTO candidates (id, ord, problem_id, sample_index, prompt_variant, model, hash, json)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(id) DO UPDATE SET problem_id = excluded.problem_id, sample_index = excluded.sample_index,
           prompt_variant = excluded.prompt_variant, model = excluded.model, hash = excluded.hash, json = excluded.json`,
      );
      for (const c of set.candidates) {
        const json = JSON.stringify(c);
        const hash = contentHash(json);
        const old = getC.get(c.id) as Row | undefined;
        if (old?.hash === hash) continue;
        putC.run(c.id, cord++, c.problemId, c.sampleIndex ?? null, c.promptVariant ?? null, c.model ?? null, hash, json);
        changed++;
      }
    });
    return { problems: set.problems.length, candidates: set.candidates.length, changed };
  }

  problem(id: string): Problem | undefined {
    const row = this.stmt('SELECT json FROM problems WHERE id = ?').get(id) as Row | undefined;
    return row ? (JSON.parse(row.json as string) as Problem) : undefined;
  }

  problems(): Problem[] {
    return (this.stmt('SELECT json FROM problems ORDER BY ord').all() as Row[]).map((r) => JSON.parse(r.json as string) as Problem);
  }

  problemCount(): number {
    return Number((this.stmt('SELECT COUNT(*) AS n FROM problems').get() as Row).n);
  }

  candidate(id: string): Candidate | undefined {
    const row = this.stmt('SELECT json FROM candidates WHERE id = ?').get(id) as Row | undefined;
    return row ? (JSON.parse(row.json as string) as Candidate) : undefined;
  }

  candidatesOf(problemId: string): Candidate[] {
    return (this.stmt('SELECT json FROM candidates WHERE problem_id = ? ORDER BY ord').all(problemId) as Row[]).map(
      (r) => JSON.parse(r.json as string) as Candidate,
    );
  }

  candidateCount(): number {
    return Number((this.stmt('SELECT COUNT(*) AS n FROM candidates').get() as Row).n);
  }

  /** Streams every candidate in file order, problem by problem; memory stays flat on large sets. */
  *iterateCandidates(): IterableIterator<Candidate> {
    for (const row of this.paged('SELECT json, problem_id AS k1, ord AS k2 FROM candidates WHERE %AFTER% ORDER BY problem_id, ord', 2)) {
      yield JSON.parse(row.json as string) as Candidate;
    }
  }

  /**
   * Every candidate with its analysis, in problem order then file order: one streaming query, so a
   * pass over a large set (curation, export) costs one JSON parse per row and no query per row.
   */
  *iterateCandidatesWithAnalyses(): IterableIterator<{ candidate: Candidate; analysis?: CandidateAnalysis }> {
    const sql = `SELECT c.json AS c, a.json AS a, p.ord AS k1, c.ord AS k2 FROM candidates c
       JOIN problems p ON p.id = c.problem_id
       LEFT JOIN analyses a ON a.candidate_id = c.id
       WHERE %AFTER% ORDER BY p.ord, c.ord`;
    for (const row of this.paged(sql, 2)) {
      const candidate = JSON.parse(row.c as string) as Candidate;
      yield row.a ? { candidate, analysis: JSON.parse(row.a as string) as CandidateAnalysis } : { candidate };
    }
  }

  /** Every reviewer's "pick as best", by problem. */
  picks(): Map<string, string> {
    const out = new Map<string, string>();
    for (const row of this.stmt('SELECT problem_id, candidate_id FROM picks WHERE candidate_id IS NOT NULL').all() as Row[]) {
      out.set(row.problem_id as string, row.candidate_id as string);
    }
    return out;
  }

  // ---- analyses and scores -----------------------------------------------------------------

  analysis(candidateId: string): CandidateAnalysis | undefined {
    const row = this.stmt('SELECT json FROM analyses WHERE candidate_id = ?').get(candidateId) as Row | undefined;
    return row ? (JSON.parse(row.json as string) as CandidateAnalysis) : undefined;
  }

  /** The content hash of the stored analysis, to skip unchanged work on a re-run. */
  analysisHash(candidateId: string): string | undefined {
    const row = this.stmt('SELECT content_hash FROM analyses WHERE candidate_id = ?').get(candidateId) as Row | undefined;
    return row?.content_hash as string | undefined;
  }

  *iterateAnalyses(): IterableIterator<CandidateAnalysis> {
    for (const row of this.paged('SELECT json, candidate_id AS k1 FROM analyses WHERE %AFTER% ORDER BY candidate_id', 1)) {
      yield JSON.parse(row.json as string) as CandidateAnalysis;
    }
  }

  putAnalysis(a: CandidateAnalysis): void {
    this.tx(() => {
      const passed = a.tests.filter((t) => t.outcome === 'pass').length;
      this.stmt(
        `INSERT INTO analyses (candidate_id, content_hash, hack_probability, category, is_hack, finding_count, passed, failed, json)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(candidate_id) DO UPDATE SET content_hash = excluded.content_hash,
           hack_probability = excluded.hack_probability, category = excluded.category, is_hack = excluded.is_hack,
           finding_count = excluded.finding_count, passed = excluded.passed, failed = excluded.failed, json = excluded.json`,
      ).run(
        a.candidateId,
        a.contentHash,
        a.hackProbability,
        a.category,
        a.isHack ? 1 : 0,
        a.findings.length,
        passed,
        a.tests.length - passed,
        JSON.stringify(a),
      );
      this.stmt('DELETE FROM scores WHERE candidate_id = ?').run(a.candidateId);
      const put = this.stmt('INSERT INTO scores (candidate_id, scorer, probability, rationale) VALUES (?, ?, ?, ?)');
      for (const s of a.scores) put.run(a.candidateId, s.scorer, s.probability, s.rationale);
    });
  }

  /** Adds or replaces one scorer's score, in the scores table and in the stored analysis. */
  putScore(candidateId: string, score: Score): void {
    this.tx(() => {
      this.stmt(
        `INSERT INTO scores (candidate_id, scorer, probability, rationale) VALUES (?, ?, ?, ?)
         ON CONFLICT(candidate_id, scorer) DO UPDATE SET probability = excluded.probability, rationale = excluded.rationale`,
      ).run(candidateId, score.scorer, score.probability, score.rationale);
      const a = this.analysis(candidateId);
      if (a) {
        const scores = [...a.scores.filter((s) => s.scorer !== score.scorer), score];
        this.stmt('UPDATE analyses SET json = ? WHERE candidate_id = ?').run(JSON.stringify({ ...a, scores }), candidateId);
      }
    });
  }

  // ---- verdicts (append-only) --------------------------------------------------------------

  /** Appends a verdict. Durable when this returns. */
  addVerdict(v: Verdict): VerdictRecord {
    return this.tx(() => {
      const at = v.at || new Date().toISOString();
      const info = this.stmt("INSERT INTO verdicts (candidate_id, action, label, reviewer, at, note) VALUES (?, 'set', ?, ?, ?, ?)").run(
        v.candidateId,
        v.label,
        v.reviewer,
        at,
        v.note ?? null,
      );
      const seq = Number(info.lastInsertRowid);
      chainVerdict(this.db, seq);
      this.refreshCurrent(v.candidateId);
      return { ...v, at, seq, action: 'set' as const };
    });
  }

  /**
   * Undo: appends a retraction of the latest verdict in force (by `reviewer`, or by anyone when
   * `reviewer` made none). Returns undefined when there is nothing to undo.
   */
  retractVerdict(candidateId: string, reviewer: string): VerdictRecord | undefined {
    return this.tx(() => {
      const cur = this.currentVerdict(candidateId);
      if (!cur) return undefined;
      const at = new Date().toISOString();
      const info = this.stmt(
        "INSERT INTO verdicts (candidate_id, action, label, reviewer, at, note) VALUES (?, 'retract', ?, ?, ?, NULL)",
      ).run(candidateId, cur.label, reviewer, at);
      chainVerdict(this.db, Number(info.lastInsertRowid));
      this.refreshCurrent(candidateId);
      return { candidateId, label: cur.label, reviewer, at, seq: Number(info.lastInsertRowid), action: 'retract' as const };
    });
  }

  /**
   * Appends verdict records made elsewhere (an export, another reviewer's store, a label file), keeping
   * their reviewer, time and note and recording their origin. A record already present (same candidate,
   * action, label, reviewer, time and note) is skipped, so importing twice changes nothing. All or none.
   */
  importVerdicts(records: readonly (Verdict & { action: 'set' | 'retract'; origin: string; contentHash?: string })[]): {
    added: number;
    duplicates: number;
  } {
    return this.tx(() => {
      let added = 0;
      const touched = new Set<string>();
      const same = this.stmt(
        `SELECT 1 FROM verdicts WHERE candidate_id = ? AND action = ? AND label IS ? AND reviewer = ? AND at = ? AND note IS ?`,
      );
      const ins = this.stmt('INSERT INTO verdicts (candidate_id, action, label, reviewer, at, note) VALUES (?, ?, ?, ?, ?, ?)');
      const origin = this.stmt('INSERT INTO verdict_origins (seq, origin, content_hash) VALUES (?, ?, ?)');
      for (const r of records) {
        const note = r.note ?? null;
        if (same.get(r.candidateId, r.action, r.label, r.reviewer, r.at, note)) continue;
        const info = ins.run(r.candidateId, r.action, r.label, r.reviewer, r.at, note);
        chainVerdict(this.db, Number(info.lastInsertRowid));
        origin.run(Number(info.lastInsertRowid), r.origin, r.contentHash ?? null);
        touched.add(r.candidateId);
        added++;
      }
      for (const id of touched) this.refreshCurrent(id);
      return { added, duplicates: records.length - added };
    });
  }

  /** Every verdict record with its origin (absent: made in this store), oldest first. */
  *iterateVerdictsWithOrigin(): IterableIterator<VerdictRecord & { origin?: string; contentHash?: string }> {
    for (const row of this.paged(
      'SELECT v.*, v.seq AS k1, o.origin AS origin, o.content_hash AS content_hash FROM verdicts v LEFT JOIN verdict_origins o ON o.seq = v.seq WHERE %AFTER% ORDER BY v.seq',
      1,
    )) {
      yield {
        ...toRecord(row),
        ...(row.origin != null ? { origin: row.origin as string } : {}),
        ...(row.content_hash != null ? { contentHash: row.content_hash as string } : {}),
      };
    }
  }

  verdictHistory(candidateId: string): VerdictRecord[] {
    return (this.stmt('SELECT * FROM verdicts WHERE candidate_id = ? ORDER BY seq').all(candidateId) as Row[]).map(toRecord);
  }

  /** Every verdict record of every candidate, oldest first (for agreement between reviewers). */
  *iterateVerdictRecords(): IterableIterator<VerdictRecord> {
    for (const row of this.paged('SELECT *, seq AS k1 FROM verdicts WHERE %AFTER% ORDER BY seq', 1)) yield toRecord(row);
  }

  currentVerdict(candidateId: string): Verdict | undefined {
    const row = this.stmt('SELECT * FROM current_verdicts WHERE candidate_id = ?').get(candidateId) as Row | undefined;
    return row ? toVerdict(row) : undefined;
  }

  currentVerdicts(): Map<string, Verdict> {
    const out = new Map<string, Verdict>();
    for (const row of this.stmt('SELECT * FROM current_verdicts').all() as Row[]) out.set(row.candidate_id as string, toVerdict(row));
    return out;
  }

  /** Replays a candidate's history: each retraction cancels the latest verdict still in force. */
  private refreshCurrent(candidateId: string): void {
    const stack: VerdictRecord[] = [];
    for (const r of this.verdictHistory(candidateId)) {
      if (r.action === 'set') stack.push(r);
      else stack.pop();
    }
    const top = stack[stack.length - 1];
    if (!top) {
      this.stmt('DELETE FROM current_verdicts WHERE candidate_id = ?').run(candidateId);
      return;
    }
    this.stmt(
      `INSERT INTO current_verdicts (candidate_id, seq, label, reviewer, at, note) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT(candidate_id) DO UPDATE SET seq = excluded.seq, label = excluded.label, reviewer = excluded.reviewer,
         at = excluded.at, note = excluded.note`,
    ).run(candidateId, top.seq, top.label, top.reviewer, top.at, top.note ?? null);
  }

  // ---- curation picks ----------------------------------------------------------------------

  setPick(problemId: string, candidateId: string | undefined, reviewer: string): void {
    this.stmt(
      `INSERT INTO picks (problem_id, candidate_id, reviewer, at) VALUES (?, ?, ?, ?)
       ON CONFLICT(problem_id) DO UPDATE SET candidate_id = excluded.candidate_id, reviewer = excluded.reviewer, at = excluded.at`,
    ).run(problemId, candidateId ?? null, reviewer, new Date().toISOString());
  }

  pick(problemId: string): string | undefined {
    const row = this.stmt('SELECT candidate_id FROM picks WHERE problem_id = ?').get(problemId) as Row | undefined;
    return (row?.candidate_id as string | null) ?? undefined;
  }

  // ---- paged summaries for views -----------------------------------------------------------

  summaries(q: SummaryQuery): { total: number; items: CandidateSummary[] } {
    const where: string[] = [];
    const params: (string | number)[] = [];
    const scoreCol = q.scorer ? 's.probability' : 'a.hack_probability';
    let from = `candidates c LEFT JOIN analyses a ON a.candidate_id = c.id
                LEFT JOIN current_verdicts v ON v.candidate_id = c.id`;
    if (q.scorer) {
      from += ' JOIN scores s ON s.candidate_id = c.id AND s.scorer = ?';
      params.push(q.scorer);
    }
    if (q.problemId !== undefined) where.push('c.problem_id = ?'), params.push(q.problemId);
    if (q.promptVariant !== undefined) where.push('c.prompt_variant = ?'), params.push(q.promptVariant);
    if (q.model !== undefined) where.push('c.model = ?'), params.push(q.model);
    if (q.minScore !== undefined) where.push(`${scoreCol} >= ?`), params.push(q.minScore);
    if (q.maxScore !== undefined) where.push(`${scoreCol} <= ?`), params.push(q.maxScore);
    if (q.isHack !== undefined) where.push('a.is_hack = ?'), params.push(q.isHack ? 1 : 0);
    if (q.verdict === 'none') where.push('v.label IS NULL');
    else if (q.verdict !== undefined) where.push('v.label = ?'), params.push(q.verdict);
    const whereSql = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const dir = q.order === 'asc' ? 'ASC' : q.order === 'desc' ? 'DESC' : q.sort === 'score' ? 'DESC' : 'ASC';
    const orderSql =
      q.sort === 'score'
        ? `ORDER BY ${scoreCol} IS NULL, ${scoreCol} ${dir}, c.id`
        : q.sort === 'id'
          ? `ORDER BY c.id ${dir}`
          : `ORDER BY c.problem_id ${dir}, c.ord ${dir}`;
    const total = Number((this.stmt(`SELECT COUNT(*) AS n FROM ${from} ${whereSql}`).get(...params) as Row).n);
    const limit = Math.max(0, Math.min(q.limit ?? 200, 5000));
    const offset = Math.max(0, q.offset ?? 0);
    const rows = this.stmt(
      `SELECT c.id, c.problem_id, c.sample_index, c.prompt_variant, c.model, ${scoreCol} AS score, a.category,
              a.is_hack, a.finding_count, a.passed, a.failed, v.label AS verdict,
              CASE WHEN a.candidate_id IS NULL THEN NULL ELSE COALESCE(json_extract(a.json, '$.analyzerVersion'), 1) END AS analyzer_version
       FROM ${from} ${whereSql} ${orderSql} LIMIT ? OFFSET ?`,
    ).all(...params, limit, offset) as Row[];
    return {
      total,
      items: rows.map((r) => ({
        id: r.id as string,
        problemId: r.problem_id as string,
        ...(r.sample_index !== null ? { sampleIndex: Number(r.sample_index) } : {}),
        ...(r.prompt_variant !== null ? { promptVariant: r.prompt_variant as string } : {}),
        ...(r.model !== null ? { model: r.model as string } : {}),
        ...(r.score !== null ? { hackProbability: Number(r.score) } : {}),
        ...(r.category !== null ? { category: r.category as HackCategory } : {}),
        ...(r.is_hack !== null ? { isHack: Number(r.is_hack) === 1 } : {}),
        ...(r.verdict !== null ? { verdict: r.verdict as VerdictLabel } : {}),
        findingCount: r.finding_count === null ? 0 : Number(r.finding_count),
        ...(r.passed !== null ? { passed: Number(r.passed), failed: Number(r.failed) } : {}),
        ...(r.analyzer_version !== null && Number(r.analyzer_version) < ANALYZER_VERSION ? { stale: true } : {}),
      })),
    };
  }

  problemSummaries(q: { offset?: number; limit?: number; sort?: 'id' | 'hacks' | 'score' } = {}): {
    total: number;
    items: ProblemSummary[];
  } {
    const total = this.problemCount();
    const order =
      q.sort === 'hacks'
        ? 'ORDER BY hacks DESC, p.ord'
        : q.sort === 'score'
          ? 'ORDER BY max_score IS NULL, max_score DESC, p.ord'
          : 'ORDER BY p.ord';
    const rows = this.stmt(
      `SELECT p.id, p.style, substr(json_extract(p.json, '$.statement'), 1, 400) AS statement_head,
              (SELECT COUNT(*) FROM candidates c WHERE c.problem_id = p.id) AS n,
              (SELECT COUNT(*) FROM candidates c JOIN analyses a ON a.candidate_id = c.id WHERE c.problem_id = p.id AND a.is_hack = 1) AS hacks,
              (SELECT COUNT(*) FROM candidates c JOIN current_verdicts v ON v.candidate_id = c.id WHERE c.problem_id = p.id) AS reviewed,
              (SELECT MAX(a.hack_probability) FROM candidates c JOIN analyses a ON a.candidate_id = c.id WHERE c.problem_id = p.id) AS max_score
       FROM problems p ${order} LIMIT ? OFFSET ?`,
    ).all(Math.max(0, Math.min(q.limit ?? 200, 5000)), Math.max(0, q.offset ?? 0)) as Row[];
    return {
      total,
      items: rows.map((r) => ({
        id: r.id as string,
        style: r.style as ProblemStyle,
        title: problemTitle(typeof r.statement_head === 'string' ? r.statement_head : '', r.id as string),
        candidates: Number(r.n),
        hacks: Number(r.hacks),
        reviewed: Number(r.reviewed),
        ...(r.max_score !== null ? { maxScore: Number(r.max_score) } : {}),
      })),
    };
  }
}

function newerMessage(version: number): string {
  return `the store was written by a newer Loophole (schema ${version}, this one knows ${SCHEMA_VERSION}); it was left untouched: open it with that release or a later one`;
}

/** The schema version in the file's header when it is newer than this code's, read without SQLite. */
function newerSchema(dbPath: string): number | undefined {
  let fd: number;
  try {
    fd = openSync(dbPath, 'r');
  } catch {
    return undefined; // not there yet: created by the open
  }
  try {
    const header = Buffer.alloc(100);
    if (readSync(fd, header, 0, 100, 0) < 100 || header.toString('latin1', 0, 16) !== 'SQLite format 3\0') return undefined;
    const version = header.readInt32BE(60); // the header's user_version
    return version > SCHEMA_VERSION ? version : undefined;
  } finally {
    closeSync(fd);
  }
}

function userVersion(db: DatabaseSyncInstance): number {
  return Number((db.prepare('PRAGMA user_version').get() as Row).user_version ?? 0);
}

function toRecord(r: Row): VerdictRecord {
  return {
    seq: Number(r.seq),
    action: r.action as 'set' | 'retract',
    candidateId: r.candidate_id as string,
    label: r.label as VerdictLabel,
    reviewer: r.reviewer as string,
    at: r.at as string,
    ...(r.note !== null && r.note !== undefined ? { note: r.note as string } : {}),
  };
}

function toVerdict(r: Row): Verdict {
  return {
    candidateId: r.candidate_id as string,
    label: r.label as VerdictLabel,
    reviewer: r.reviewer as string,
    at: r.at as string,
    ...(r.note !== null && r.note !== undefined ? { note: r.note as string } : {}),
  };
}
