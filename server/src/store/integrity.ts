/**
 * Verdicts cannot be rewritten: they are the reviewers' work and exist nowhere else.
 *
 * Three layers:
 * - Schema triggers (any connection): no UPDATE or DELETE of `verdicts` / `verdict_chain`, and no INSERT
 *   that reuses an existing `seq` (what `INSERT OR REPLACE` does: its implicit delete fires no DELETE
 *   trigger unless `recursive_triggers` is on, but a BEFORE INSERT trigger sees the collision).
 * - The store's own connection: an SQLite authorizer allows only INSERT and reads on those tables, no
 *   DROP or ALTER of them or of their triggers, and no `PRAGMA writable_schema` / `recursive_triggers`
 *   changes; `recursive_triggers` is on, so a REPLACE would also meet the DELETE trigger.
 * - A hash chain (`verdict_chain`): each verdict's hash covers its fields and the previous hash, so an
 *   edit made by any other means (another SQLite client, a hex editor) shows in `verifyVerdictChain`.
 */
import { constants, type DatabaseSyncInstance } from '@photostructure/sqlite';
import { createHash } from 'node:crypto';

const PROTECTED = new Set(['verdicts', 'verdict_chain']);
const PROTECTED_TRIGGERS = /^(verdicts|verdict_chain)_no_/;

/** Installs the authorizer and `recursive_triggers` on the store's connection (after migrations). */
export function guardVerdicts(db: DatabaseSyncInstance): void {
  db.exec('PRAGMA recursive_triggers = ON');
  const c = constants;
  db.setAuthorizer((action, p1, p2) => {
    switch (action) {
      case c.SQLITE_UPDATE:
      case c.SQLITE_DELETE:
      case c.SQLITE_DROP_TABLE:
      case c.SQLITE_ALTER_TABLE:
        return p1 !== null && PROTECTED.has(p1.toLowerCase()) ? c.SQLITE_DENY : c.SQLITE_OK;
      case c.SQLITE_DROP_TRIGGER:
      case c.SQLITE_DROP_TEMP_TRIGGER:
        return (p1 !== null && PROTECTED_TRIGGERS.test(p1)) || (p2 !== null && PROTECTED.has(p2.toLowerCase()))
          ? c.SQLITE_DENY
          : c.SQLITE_OK;
      case c.SQLITE_CREATE_TRIGGER:
      case c.SQLITE_CREATE_TEMP_TRIGGER:
        // A new trigger on a protected table could rewrite rows as they are inserted.
        return p2 !== null && PROTECTED.has(p2.toLowerCase()) ? c.SQLITE_DENY : c.SQLITE_OK;
      case c.SQLITE_PRAGMA: {
        const name = (p1 ?? '').toLowerCase();
        if ((name === 'writable_schema' || name === 'recursive_triggers') && p2 !== null) return c.SQLITE_DENY;
        return c.SQLITE_OK;
      }
      default:
        return c.SQLITE_OK;
    }
  });
}

interface VerdictRow {
  seq: number;
  candidate_id: string;
  action: string;
  label: string | null;
  reviewer: string;
  at: string;
  note: string | null;
}

function link(prev: string, r: VerdictRow): string {
  return createHash('sha256')
    .update(prev)
    .update('\n')
    .update(JSON.stringify([r.seq, r.candidate_id, r.action, r.label, r.reviewer, r.at, r.note]))
    .digest('hex');
}

/** Appends the chain entry of the verdict `seq` (just inserted, same transaction). */
export function chainVerdict(db: DatabaseSyncInstance, seq: number): void {
  const row = db
    .prepare('SELECT seq, candidate_id, action, label, reviewer, at, note FROM verdicts WHERE seq = ?')
    .get(seq) as unknown as VerdictRow;
  const prev = (db.prepare('SELECT hash FROM verdict_chain ORDER BY seq DESC LIMIT 1').get() as { hash?: string } | undefined)?.hash ?? '';
  db.prepare('INSERT INTO verdict_chain (seq, hash) VALUES (?, ?)').run(seq, link(prev, row));
}

/** Chains the verdicts that predate the chain (a store migrated from before it), oldest first. */
export function sealUnchained(db: DatabaseSyncInstance): void {
  const rows = db
    .prepare('SELECT v.seq FROM verdicts v LEFT JOIN verdict_chain c ON c.seq = v.seq WHERE c.seq IS NULL ORDER BY v.seq')
    .all() as { seq: number }[];
  for (const r of rows) chainVerdict(db, Number(r.seq));
}

export interface ChainReport {
  readonly ok: boolean;
  readonly verdicts: number;
  /** What does not match, oldest first (at most 20). */
  readonly problems: readonly string[];
}

/** Recomputes the chain over every verdict and says where it breaks. */
export function verifyVerdictChain(db: DatabaseSyncInstance): ChainReport {
  const verdicts = db
    .prepare('SELECT seq, candidate_id, action, label, reviewer, at, note FROM verdicts ORDER BY seq')
    .all() as unknown as VerdictRow[];
  const chain = new Map(
    (db.prepare('SELECT seq, hash FROM verdict_chain').all() as { seq: number; hash: string }[]).map((r) => [Number(r.seq), r.hash]),
  );
  const problems: string[] = [];
  let prev = '';
  for (const v of verdicts) {
    const seq = Number(v.seq);
    const stored = chain.get(seq);
    chain.delete(seq);
    const expected = link(prev, { ...v, seq });
    if (stored === undefined) problems.push(`verdict #${seq} (${v.candidate_id}) was added outside Loophole: it is not in the chain`);
    else if (stored !== expected)
      problems.push(`verdict #${seq} (${v.candidate_id}) does not match its hash: it, or one before it, was changed outside Loophole`);
    prev = stored ?? expected;
  }
  for (const seq of chain.keys()) problems.push(`verdict #${seq} was deleted outside Loophole: the chain has it, the table does not`);
  return { ok: problems.length === 0, verdicts: verdicts.length, problems: problems.slice(0, 20) };
}
