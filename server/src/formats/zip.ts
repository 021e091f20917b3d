/**
 * Zip archives (Inspect AI `.eval` logs) read through yauzl: the central directory first, then one entry
 * at a time on request, so a large log is never held whole. yauzl understands zip64 and checks the
 * directory's own consistency (stored sizes, bounds, file names); the caps below come on top of that.
 */
import { type Entry, type ZipFile, openPromise } from 'yauzl';

export interface ZipEntry {
  readonly name: string;
  readonly method: number;
  readonly compressedSize: number;
  readonly size: number;
}

/** Caps against archives built to exhaust memory (zip bombs). An entry is read whole into memory, so it
 *  must fit comfortably; the declared sizes are checked when the archive is opened, and inflating stops
 *  at an entry's declared size, so an archive that lies about its sizes cannot get past them either. */
export const ZIP_LIMITS = {
  /** Uncompressed bytes of one entry. */
  entryBytes: 256 * 1024 * 1024,
  /** Uncompressed bytes of all entries together. */
  totalBytes: 4 * 1024 * 1024 * 1024,
  /** Uncompressed ÷ compressed size of an entry larger than `ratioFloorBytes`. */
  ratio: 200,
  ratioFloorBytes: 16 * 1024 * 1024,
};

/** An archive over `ZIP_LIMITS`: refused before anything is inflated. */
export class ArchiveLimitError extends Error {
  override readonly name = 'ArchiveLimitError';
}

const mib = (n: number): string => `${(n / 1024 / 1024).toFixed(n < 10 * 1024 * 1024 ? 1 : 0)} MiB`;

/** Throws `ArchiveLimitError` when the directory declares more than the caps allow. */
export function checkZipLimits(entries: readonly ZipEntry[], limits = ZIP_LIMITS): void {
  let total = 0;
  for (const e of entries) {
    const bytes = e.method === 0 ? Math.max(e.size, e.compressedSize) : e.size; // a stored entry is read as is
    total += bytes;
    if (bytes > limits.entryBytes) {
      throw new ArchiveLimitError(
        `entry ${e.name} would inflate to ${mib(bytes)}, over the cap of ${mib(limits.entryBytes)} per entry: refused as a possible zip bomb`,
      );
    }
    if (e.size > limits.ratioFloorBytes && e.size > limits.ratio * Math.max(1, e.compressedSize)) {
      throw new ArchiveLimitError(
        `entry ${e.name} would inflate ${Math.round(e.size / Math.max(1, e.compressedSize))}× (${mib(e.compressedSize)} to ${mib(e.size)}), over the cap of ${limits.ratio}×: refused as a possible zip bomb`,
      );
    }
  }
  if (total > limits.totalBytes) {
    throw new ArchiveLimitError(
      `the archive would inflate to ${mib(total)}, over the cap of ${mib(limits.totalBytes)}: refused as a possible zip bomb`,
    );
  }
}

/** yauzl's messages name the structure it expected; say that it is the zip structure that is wrong. */
const corrupt = (e: unknown): Error => new Error(`not a valid zip archive: ${e instanceof Error ? e.message : String(e)}`);

export class ZipReader {
  private constructor(
    private readonly zip: ZipFile,
    readonly entries: readonly ZipEntry[],
    private readonly raw: ReadonlyMap<ZipEntry, Entry>,
  ) {}

  static async open(file: string): Promise<ZipReader> {
    let zip: ZipFile;
    try {
      // lazyEntries: the directory is walked on demand; autoClose off: entries are read after the walk.
      zip = await openPromise(file, { lazyEntries: true, autoClose: false, validateEntrySizes: true, strictFileNames: false });
    } catch (e) {
      throw corrupt(e);
    }
    try {
      const entries: ZipEntry[] = [];
      const raw = new Map<ZipEntry, Entry>();
      try {
        for await (const e of zip.eachEntry()) {
          if (e.fileName.endsWith('/')) continue; // a directory
          const entry: ZipEntry = {
            name: e.fileName,
            method: e.compressionMethod,
            compressedSize: e.compressedSize,
            size: e.uncompressedSize,
          };
          entries.push(entry);
          raw.set(entry, e);
        }
      } catch (e) {
        throw corrupt(e);
      }
      checkZipLimits(entries);
      return new ZipReader(zip, entries, raw);
    } catch (e) {
      zip.close();
      throw e;
    }
  }

  /** The entry's bytes, inflated. Throws for a method other than stored (0) or deflate (8), and with
   *  `ArchiveLimitError` as soon as inflating passes the size the entry declared. */
  async read(entry: ZipEntry): Promise<Buffer> {
    const e = this.raw.get(entry);
    if (!e) throw new Error(`${entry.name}: not an entry of this archive`);
    if (e.compressionMethod !== 0 && e.compressionMethod !== 8) {
      throw new Error(`${entry.name}: unsupported compression method ${e.compressionMethod} (expected stored or deflate)`);
    }
    if (e.isEncrypted()) throw new Error(`${entry.name}: encrypted entries are not supported`);
    let stream: NodeJS.ReadableStream & { destroy(): void };
    try {
      stream = (await this.zip.openReadStreamPromise(e)) as typeof stream;
    } catch (err) {
      throw new Error(`${entry.name}: ${corrupt(err).message}`);
    }
    const chunks: Buffer[] = [];
    let got = 0;
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        got += chunk.length;
        // Never more than the entry declared (and the directory check capped that).
        if (got > entry.size)
          throw new ArchiveLimitError(`${entry.name} inflates to more than the ${entry.size} bytes it declares: refused`);
        chunks.push(chunk);
      }
    } catch (err) {
      stream.destroy();
      if (err instanceof ArchiveLimitError) throw err;
      if (err instanceof Error && /too many bytes/.test(err.message)) {
        throw new ArchiveLimitError(`${entry.name} inflates to more than the ${entry.size} bytes it declares: refused`);
      }
      throw new Error(`${entry.name}: ${corrupt(err).message}`);
    }
    return Buffer.concat(chunks, got);
  }

  close(): Promise<void> {
    this.zip.close();
    return Promise.resolve();
  }
}
