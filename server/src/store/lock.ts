/**
 * One `analyze` at a time per store: a lock file beside the database, holding the owner's pid and start
 * time. A second run is refused with who holds the lock; a lock left by a process that no longer exists
 * is taken over.
 */
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';

export class StoreBusyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreBusyError';
  }
}

const held = new Set<string>();

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the analyze lock of the store at `dbPath`; returns its release. Throws `StoreBusyError` when
 *  another analysis (in this process or another) holds it. */
export function lockAnalysis(dbPath: string): () => void {
  if (dbPath === ':memory:') return () => {}; // a store in memory belongs to one caller
  const file = path.join(path.dirname(dbPath), 'analyze.lock');
  if (held.has(file))
    throw new StoreBusyError(
      `an analysis of this review set is already running in this process (lock ${file}); wait for it to finish or cancel it`,
    );
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o644);
      writeSync(fd, JSON.stringify({ pid: process.pid, since: new Date().toISOString() }));
      closeSync(fd);
      held.add(file);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        held.delete(file);
        rmSync(file, { force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      let owner: { pid?: number; since?: string } = {};
      try {
        owner = JSON.parse(readFileSync(file, 'utf8')) as typeof owner;
      } catch {
        /* half-written or unreadable: judged by its pid below */
      }
      if (typeof owner.pid === 'number' && owner.pid !== process.pid && alive(owner.pid)) {
        throw new StoreBusyError(
          `another analysis of this review set is running (process ${owner.pid}, since ${owner.since ?? 'unknown'}); wait for it to finish or cancel it. If no such process is running, delete ${file}`,
        );
      }
      rmSync(file, { force: true }); // left behind by a process that is gone
    }
  }
  throw new StoreBusyError(`could not take the analysis lock ${file}`);
}
