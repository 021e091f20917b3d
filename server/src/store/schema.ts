/**
 * The store's SQLite schema. Bump `SCHEMA_VERSION` and add a step to `MIGRATIONS` for every change;
 * a database is never rebuilt from scratch, because it holds verdicts that exist nowhere else.
 */
export const SCHEMA_VERSION = 4;

export const MIGRATIONS: readonly string[] = [
  // 0 → 1
  `
  CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

  -- Problems and candidates keep their full JSON; the extra columns exist for paging and filtering.
  CREATE TABLE IF NOT EXISTS problems (
    id TEXT PRIMARY KEY,
    ord INTEGER NOT NULL,
    style TEXT NOT NULL,
    hash TEXT NOT NULL,
    json TEXT NOT NULL
  );
  CREATE TABLE IF NOT EXISTS candidates (
    id TEXT PRIMARY KEY,
    ord INTEGER NOT NULL,
    problem_id TEXT NOT NULL,
    sample_index INTEGER,
    prompt_variant TEXT,
    model TEXT,
    hash TEXT NOT NULL,
    json TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS candidates_problem ON candidates(problem_id, ord);

  -- One row per candidate: the latest analysis. Recomputed freely; never the only copy of anything.
  CREATE TABLE IF NOT EXISTS analyses (
    candidate_id TEXT PRIMARY KEY,
    content_hash TEXT NOT NULL,
    hack_probability REAL NOT NULL,
    category TEXT NOT NULL,
    is_hack INTEGER NOT NULL,
    finding_count INTEGER NOT NULL,
    passed INTEGER NOT NULL,
    failed INTEGER NOT NULL,
    json TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS analyses_score ON analyses(hack_probability);

  -- Each scorer's probability, for filtering and sorting by one scorer.
  CREATE TABLE IF NOT EXISTS scores (
    candidate_id TEXT NOT NULL,
    scorer TEXT NOT NULL,
    probability REAL NOT NULL,
    rationale TEXT NOT NULL,
    PRIMARY KEY (candidate_id, scorer)
  );
  CREATE INDEX IF NOT EXISTS scores_scorer ON scores(scorer, probability);

  -- Verdicts are append-only: an undo is a 'retract' row, never a DELETE.
  CREATE TABLE IF NOT EXISTS verdicts (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    candidate_id TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('set', 'retract')),
    label TEXT CHECK (label IN ('hack', 'clean', 'unsure')),
    reviewer TEXT NOT NULL,
    at TEXT NOT NULL,
    note TEXT
  );
  CREATE INDEX IF NOT EXISTS verdicts_candidate ON verdicts(candidate_id, seq);
  CREATE TRIGGER IF NOT EXISTS verdicts_no_update BEFORE UPDATE ON verdicts
    BEGIN SELECT RAISE(ABORT, 'verdicts are append-only'); END;
  CREATE TRIGGER IF NOT EXISTS verdicts_no_delete BEFORE DELETE ON verdicts
    BEGIN SELECT RAISE(ABORT, 'verdicts are append-only'); END;

  -- The verdict in force per candidate, derived from the history inside the same transaction.
  CREATE TABLE IF NOT EXISTS current_verdicts (
    candidate_id TEXT PRIMARY KEY,
    seq INTEGER NOT NULL,
    label TEXT NOT NULL,
    reviewer TEXT NOT NULL,
    at TEXT NOT NULL,
    note TEXT
  );

  -- A reviewer's "pick as best" per problem, for curation.
  CREATE TABLE IF NOT EXISTS picks (
    problem_id TEXT PRIMARY KEY,
    candidate_id TEXT,
    reviewer TEXT NOT NULL,
    at TEXT NOT NULL
  );
  `,
  // 1 → 2: verdicts cannot be replaced either, and a hash chain over them (see integrity.ts).
  `
  CREATE TRIGGER IF NOT EXISTS verdicts_no_replace BEFORE INSERT ON verdicts
    WHEN NEW.seq IS NOT NULL AND EXISTS (SELECT 1 FROM verdicts WHERE seq = NEW.seq)
    BEGIN SELECT RAISE(ABORT, 'verdicts are append-only'); END;
  CREATE TABLE IF NOT EXISTS verdict_chain (seq INTEGER PRIMARY KEY, hash TEXT NOT NULL);
  CREATE TRIGGER IF NOT EXISTS verdict_chain_no_update BEFORE UPDATE ON verdict_chain
    BEGIN SELECT RAISE(ABORT, 'the verdict chain is append-only'); END;
  CREATE TRIGGER IF NOT EXISTS verdict_chain_no_delete BEFORE DELETE ON verdict_chain
    BEGIN SELECT RAISE(ABORT, 'the verdict chain is append-only'); END;
  CREATE TRIGGER IF NOT EXISTS verdict_chain_no_replace BEFORE INSERT ON verdict_chain
    WHEN EXISTS (SELECT 1 FROM verdict_chain WHERE seq = NEW.seq)
    BEGIN SELECT RAISE(ABORT, 'the verdict chain is append-only'); END;
  `,
  // 2 → 3: where an imported verdict came from (another store, a verdict file, a label file) and the
  // hash of the code it was given on. Verdicts made here have no row.
  `
  CREATE TABLE IF NOT EXISTS verdict_origins (
    seq INTEGER PRIMARY KEY,
    origin TEXT NOT NULL,
    content_hash TEXT
  );
  `,
  // 3 → 4: everything else the store's folder held joins the versioned schema. The job tables were
  // created by the job store itself before (IF NOT EXISTS keeps those rows); the judge's reply cache
  // and the import stamp were JSON files beside the database, imported once when the store is opened
  // (see sideFiles.ts).
  `
  CREATE TABLE IF NOT EXISTS jobs (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    device TEXT,
    config TEXT NOT NULL,
    state TEXT NOT NULL,
    status TEXT NOT NULL,
    parent TEXT,
    attempt INTEGER NOT NULL DEFAULT 1,
    cancel_requested INTEGER NOT NULL DEFAULT 0,
    progress TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS jobs_state ON jobs(state);
  CREATE TABLE IF NOT EXISTS job_logs (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    job_id TEXT NOT NULL,
    at TEXT NOT NULL,
    source TEXT NOT NULL,
    level TEXT NOT NULL,
    message TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS job_logs_job ON job_logs(job_id, seq);
  CREATE TABLE IF NOT EXISTS job_metrics (
    job_id TEXT NOT NULL,
    step INTEGER NOT NULL,
    loss REAL,
    lr REAL,
    tokens_per_s REAL,
    at TEXT NOT NULL,
    PRIMARY KEY (job_id, step)
  );
  CREATE TABLE IF NOT EXISTS job_artifacts (
    job_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    path TEXT NOT NULL,
    step INTEGER,
    at TEXT NOT NULL,
    PRIMARY KEY (job_id, kind, path)
  );

  -- The judge's replies by cache key (endpoint, model, rubric version, mode, content hash: see
  -- scoring/judge/cache.ts). A cache: a row may be replaced, and losing one only costs a call.
  CREATE TABLE IF NOT EXISTS judge_cache (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    prompt_tokens INTEGER NOT NULL,
    completion_tokens INTEGER NOT NULL,
    at TEXT NOT NULL
  );

  -- What the review set was imported from (one row): each data file's path, size and mtime, the format
  -- and the import's issues, so that re-opening unchanged data skips the import.
  CREATE TABLE IF NOT EXISTS import_stamp (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    format TEXT NOT NULL,
    files TEXT NOT NULL,
    issues TEXT NOT NULL,
    at TEXT NOT NULL
  );
  `,
];

/** Keys of the `meta` table written by the store itself (others: `sandbox`, by the analysis). */
export const META_CREATED_BY = 'created-by';
export const META_MIGRATED_BY = 'migrated-by';
