/**
 * An output file that appears only when everything was written: data goes to a temporary file in
 * the same folder (so the final rename stays on one file system and is atomic), buffered into large
 * chunks, and is renamed over the target on `commit`. `abort` closes and deletes the temporary file.
 * An existing target is refused unless `force`.
 *
 * This is the one writer for output streamed in pieces; a file written whole at once goes through
 * `write-file-atomic` instead.
 */
import { constants, promises as fsp } from 'node:fs';
import path from 'node:path';
import { CurationError } from '../errors';

/** The few file operations the writer needs; tests substitute one that fails mid-way. */
export interface FileSink {
  write(data: string): Promise<void>;
  close(): Promise<void>;
}
export type OpenSink = (tempPath: string) => Promise<FileSink>;

export const openFileSink: OpenSink = async (p) => {
  const fh = await fsp.open(p, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY, 0o644);
  return {
    async write(data) {
      await fh.write(data, null, 'utf8');
    },
    close: () => fh.close(),
  };
};

/** Thrown when a target exists and `force` was not given. */
export class OutputExistsError extends CurationError {
  override name = 'OutputExistsError';
  constructor(readonly target: string) {
    super(`${target} already exists; pass --force to overwrite it`);
  }
}

const CHUNK = 1 << 18;

export class AtomicFile {
  private buffer: string[] = [];
  private buffered = 0;
  private closed = false;
  /** Bytes (UTF-16 units, roughly) handed over so far; for the card and progress. */
  written = 0;

  private constructor(
    readonly target: string,
    readonly tempPath: string,
    private readonly sink: FileSink,
    readonly force: boolean,
  ) {}

  static async open(target: string, opts: { force?: boolean | undefined; openSink?: OpenSink | undefined } = {}): Promise<AtomicFile> {
    const force = opts.force === true;
    if (!force && (await exists(target))) throw new OutputExistsError(target);
    const dir = path.dirname(target);
    const tempPath = path.join(dir, `.${path.basename(target)}.${process.pid}.${Math.random().toString(36).slice(2, 10)}.tmp`);
    const sink = await (opts.openSink ?? openFileSink)(tempPath);
    return new AtomicFile(target, tempPath, sink, force);
  }

  async write(text: string): Promise<void> {
    this.buffer.push(text);
    this.buffered += text.length;
    if (this.buffered >= CHUNK) await this.flush();
  }

  private async flush(): Promise<void> {
    if (!this.buffered) return;
    const data = this.buffer.join('');
    this.buffer = [];
    this.buffered = 0;
    this.written += data.length;
    await this.sink.write(data);
  }

  /** Flushes and closes; the file is complete but still under its temporary name. */
  async finish(): Promise<void> {
    await this.flush();
    this.closed = true;
    await this.sink.close();
  }

  /** Moves the finished file into place. */
  async rename(): Promise<void> {
    await fsp.rename(this.tempPath, this.target);
  }

  async abort(): Promise<void> {
    this.buffer = [];
    if (!this.closed) {
      this.closed = true;
      await this.sink.close().catch(() => undefined);
    }
    await fsp.rm(this.tempPath, { force: true }).catch(() => undefined);
  }
}

/** Throws for the first target that exists. */
export async function refuseExisting(targets: readonly string[]): Promise<void> {
  for (const t of targets) if (await exists(t)) throw new OutputExistsError(t);
}

async function exists(p: string): Promise<boolean> {
  try {
    await fsp.lstat(p);
    return true;
  } catch {
    return false;
  }
}

/**
 * Commits a group of files together: all are finished before any is renamed, so an error while
 * writing leaves none of them behind.
 */
export async function commitAll(files: readonly AtomicFile[]): Promise<void> {
  for (const f of files) await f.finish();
  // a target may have appeared while we wrote
  for (const f of files) {
    if (!f.force && (await exists(f.target))) throw new OutputExistsError(f.target);
  }
  for (const f of files) await f.rename();
}

export async function abortAll(files: readonly AtomicFile[]): Promise<void> {
  for (const f of files) await f.abort();
}
