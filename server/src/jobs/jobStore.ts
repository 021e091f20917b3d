/**
 * Persistent job records in the review set's SQLite file (tables `jobs`, `job_logs`, `job_metrics`,
 * `job_artifacts`, created by the store's versioned migrations in `store/schema.ts`). Every write is
 * durable when it returns (the store runs `synchronous = FULL`), so a job's state, log and metrics
 * survive a crash of the server; a job found `running` by the next server is marked `interrupted`
 * (`recoverInterrupted`).
 *
 * Several processes may share the file (the language server and a `loophole jobs cancel` from a
 * terminal): cancellation is a flag in the row, which the process running the job reads at each
 * worker heartbeat.
 */
import { readFileSync } from 'node:fs';
import type { DatabaseSyncInstance } from '@photostructure/sqlite';
import { randomUUID } from 'node:crypto';
import type { JobKind, JobRecord, JobStatus, LogLine, MetricPoint, ArtifactRecord } from '../../../contract/jobs';

interface Row {
  [key: string]: unknown;
}

const now = () => new Date().toISOString();

export class JobStore {
  /** `db`: the connection of an open store (`Store.open`), whose migrations created the job tables. */
  constructor(readonly db: DatabaseSyncInstance) {
    if (!db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'jobs'").get()) {
      throw new Error('jobs: this database has no job tables; open it as a Loophole store (Store.open) first, which creates them');
    }
  }

  /** Prepared statements by their SQL: jobs log and report metrics step by step, so each is prepared once. */
  private readonly statements = new Map<string, ReturnType<DatabaseSyncInstance['prepare']>>();

  private statement(sql: string): ReturnType<DatabaseSyncInstance['prepare']> {
    let st = this.statements.get(sql);
    if (!st) this.statements.set(sql, (st = this.db.prepare(sql)));
    return st;
  }

  create(kind: JobKind, name: string, config: unknown, opts: { device?: string; parent?: string; id?: string } = {}): JobRecord {
    const id = opts.id ?? `${kind}-${new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14)}-${randomUUID().slice(0, 6)}`;
    const at = now();
    const status: JobStatus = { state: 'queued' };
    this.statement(
      `INSERT INTO jobs (id, kind, name, device, config, state, status, parent, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(id, kind, name, opts.device ?? null, JSON.stringify(config), status.state, JSON.stringify(status), opts.parent ?? null, at, at);
    return this.get(id)!;
  }

  get(id: string): JobRecord | undefined {
    const row = this.statement('SELECT * FROM jobs WHERE id = ?').get(id) as Row | undefined;
    return row ? toRecord(row) : undefined;
  }

  list(opts: { state?: JobStatus['state']; parent?: string; limit?: number } = {}): JobRecord[] {
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (opts.state) where.push('state = ?'), args.push(opts.state);
    if (opts.parent) where.push('parent = ?'), args.push(opts.parent);
    const sql = `SELECT * FROM jobs ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, rowid DESC LIMIT ?`;
    return (this.statement(sql).all(...args, opts.limit ?? 1000) as Row[]).map(toRecord);
  }

  setStatus(id: string, status: JobStatus): void {
    this.statement('UPDATE jobs SET state = ?, status = ?, updated_at = ? WHERE id = ?').run(
      status.state,
      JSON.stringify(status),
      now(),
      id,
    );
  }

  /** Moves a finished job back to `queued` for another attempt, with a new config (e.g. `resume: true`). */
  requeue(id: string, config: unknown): void {
    this.statement(
      `UPDATE jobs SET state = 'queued', status = ?, config = ?, attempt = attempt + 1, cancel_requested = 0, updated_at = ? WHERE id = ?`,
    ).run(JSON.stringify({ state: 'queued' } satisfies JobStatus), JSON.stringify(config), now(), id);
  }

  setDevice(id: string, device: string | undefined): void {
    this.statement('UPDATE jobs SET device = ? WHERE id = ?').run(device ?? null, id);
  }

  setProgress(id: string, p: { done: number; total: number; message?: string }): void {
    this.statement('UPDATE jobs SET progress = ? WHERE id = ?').run(JSON.stringify(p), id);
  }

  requestCancel(id: string): void {
    this.statement('UPDATE jobs SET cancel_requested = 1, updated_at = ? WHERE id = ?').run(now(), id);
  }

  cancelRequested(id: string): boolean {
    const row = this.statement('SELECT cancel_requested AS c FROM jobs WHERE id = ?').get(id) as Row | undefined;
    return Number(row?.c ?? 0) === 1;
  }

  log(id: string, source: LogLine['source'], level: LogLine['level'], message: string): LogLine {
    const at = now();
    const r = this.statement('INSERT INTO job_logs (job_id, at, source, level, message) VALUES (?, ?, ?, ?, ?)').run(
      id,
      at,
      source,
      level,
      message,
    );
    return { seq: Number(r.lastInsertRowid), at, source, level, message };
  }

  logs(id: string, afterSeq = 0, limit = 10_000): LogLine[] {
    return (
      this.statement('SELECT seq, at, source, level, message FROM job_logs WHERE job_id = ? AND seq > ? ORDER BY seq LIMIT ?').all(
        id,
        afterSeq,
        limit,
      ) as Row[]
    ).map((r) => ({
      seq: Number(r.seq),
      at: String(r.at),
      source: r.source as LogLine['source'],
      level: r.level as LogLine['level'],
      message: String(r.message),
    }));
  }

  /** A step re-run after a resume replaces the earlier value for that step. */
  metric(id: string, m: MetricPoint): void {
    this.statement('INSERT OR REPLACE INTO job_metrics (job_id, step, loss, lr, tokens_per_s, at) VALUES (?, ?, ?, ?, ?, ?)').run(
      id,
      m.step,
      m.loss,
      m.lr,
      m.tokensPerS,
      now(),
    );
  }

  metrics(id: string): MetricPoint[] {
    return (this.statement('SELECT step, loss, lr, tokens_per_s FROM job_metrics WHERE job_id = ? ORDER BY step').all(id) as Row[]).map(
      (r) => ({
        step: Number(r.step),
        loss: r.loss === null ? null : Number(r.loss),
        lr: Number(r.lr),
        tokensPerS: Number(r.tokens_per_s),
      }),
    );
  }

  artifact(id: string, a: ArtifactRecord): void {
    this.statement('INSERT OR REPLACE INTO job_artifacts (job_id, kind, path, step, at) VALUES (?, ?, ?, ?, ?)').run(
      id,
      a.kind,
      a.path,
      a.step ?? null,
      now(),
    );
  }

  artifacts(id: string): ArtifactRecord[] {
    return (this.statement('SELECT kind, path, step FROM job_artifacts WHERE job_id = ? ORDER BY at, rowid').all(id) as Row[]).map((r) => ({
      kind: String(r.kind),
      path: String(r.path),
      ...(r.step !== null ? { step: Number(r.step) } : {}),
    }));
  }

  /** Jobs left `running` by a process that is gone become `interrupted`; returns them. A job whose
   *  owner still lives (a language server, while a CLI opens the same store) is left alone. */
  recoverInterrupted(reason = 'the server stopped while the job was running', alive: (pid: number) => boolean = processAlive): JobRecord[] {
    const stale = this.list({ state: 'running' }).filter(
      (j) => j.status.state !== 'running' || j.status.owner === undefined || !alive(j.status.owner),
    );
    for (const j of stale) {
      // The dead server's worker may outlive it for a step or two (it stops when its stdin closes);
      // a resumed run must not share the checkpoint folder with it, so end it now.
      if (j.status.state === 'running' && j.status.pid !== undefined) stopOrphanWorker(j.status.pid);
      this.setStatus(j.id, {
        state: 'interrupted',
        reason,
        endedAt: now(),
        resumable: j.kind === 'train' || j.kind === 'generate' || j.kind === 'eval',
      });
      this.log(j.id, 'server', 'warn', `interrupted: ${reason}`);
    }
    return stale.map((j) => this.get(j.id)!);
  }
}

/** SIGKILL for a still-running worker of a dead server, but only when the pid is still a Loophole
 *  worker (pids are reused); its checkpoints are written to a temporary folder and renamed, so
 *  killing it never leaves half a checkpoint. */
function stopOrphanWorker(pid: number): void {
  try {
    if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('loophole_worker')) return;
    process.kill(pid, 'SIGKILL');
  } catch {
    // gone already, or not ours to read: nothing to stop
  }
}

function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function toRecord(r: Row): JobRecord {
  return {
    id: String(r.id),
    kind: r.kind as JobKind,
    name: String(r.name),
    ...(r.device !== null ? { device: String(r.device) } : {}),
    config: JSON.parse(String(r.config)) as unknown,
    status: JSON.parse(String(r.status)) as JobStatus,
    ...(r.parent !== null ? { parent: String(r.parent) } : {}),
    attempt: Number(r.attempt),
    cancelRequested: Number(r.cancel_requested) === 1,
    ...(r.progress !== null && r.progress !== undefined
      ? { progress: JSON.parse(String(r.progress)) as NonNullable<JobRecord['progress']> }
      : {}),
    createdAt: String(r.created_at),
    updatedAt: String(r.updated_at),
  };
}
