/**
 * A small reader for zip archives (Inspect AI `.eval` logs): reads the central directory, then one
 * entry at a time on request, so a large log is never held whole. Stored and deflated entries only;
 * zip64 sizes and offsets are understood.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { inflateRawSync } from 'node:zlib';

export interface ZipEntry {
  readonly name: string;
  readonly method: number;
  readonly compressedSize: number;
  readonly size: number;
  readonly localHeaderOffset: number;
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

export class ZipReader {
  private constructor(
    private readonly fh: FileHandle,
    readonly entries: readonly ZipEntry[],
  ) {}

  static async open(file: string): Promise<ZipReader> {
    const fh = await open(file, 'r');
    try {
      const entries = await readDirectory(fh);
      checkZipLimits(entries);
      return new ZipReader(fh, entries);
    } catch (e) {
      await fh.close();
      throw e;
    }
  }

  /** The entry's bytes, inflated. Throws for a method other than stored (0) or deflate (8). */
  async read(entry: ZipEntry): Promise<Buffer> {
    const local = await readAt(this.fh, entry.localHeaderOffset, 30);
    if (local.readUInt32LE(0) !== 0x04034b50) throw new Error(`${entry.name}: bad local header`);
    const dataStart = entry.localHeaderOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
    const data = await readAt(this.fh, dataStart, entry.compressedSize);
    if (entry.method === 0) return data;
    if (entry.method === 8) {
      try {
        // Never more than the entry declared (and the directory check capped that).
        return inflateRawSync(data, { maxOutputLength: Math.max(1, entry.size) });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
          throw new ArchiveLimitError(`${entry.name} inflates to more than the ${entry.size} bytes it declares: refused`);
        }
        throw err;
      }
    }
    throw new Error(`${entry.name}: unsupported compression method ${entry.method}`);
  }

  close(): Promise<void> {
    return this.fh.close();
  }
}

async function readAt(fh: FileHandle, position: number, length: number): Promise<Buffer> {
  const buf = Buffer.alloc(length);
  let done = 0;
  while (done < length) {
    const { bytesRead } = await fh.read(buf, done, length - done, position + done);
    if (bytesRead === 0) throw new Error('unexpected end of the zip file');
    done += bytesRead;
  }
  return buf;
}

async function readDirectory(fh: FileHandle): Promise<ZipEntry[]> {
  const size = (await fh.stat()).size;
  const tailLen = Math.min(size, 0xffff + 22);
  const tail = await readAt(fh, size - tailLen, tailLen);
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('not a zip file (no end of central directory)');
  let count = tail.readUInt16LE(eocd + 10);
  let dirSize = tail.readUInt32LE(eocd + 12);
  let dirOffset = tail.readUInt32LE(eocd + 16);
  if (dirOffset === 0xffffffff || count === 0xffff) {
    // zip64: the locator sits just before the end record and points at the zip64 end record
    const locator = eocd - 20;
    if (locator >= 0 && tail.readUInt32LE(locator) === 0x07064b50) {
      const rec = await readAt(fh, Number(tail.readBigUInt64LE(locator + 8)), 56);
      count = Number(rec.readBigUInt64LE(32));
      dirSize = Number(rec.readBigUInt64LE(40));
      dirOffset = Number(rec.readBigUInt64LE(48));
    }
  }
  const dir = await readAt(fh, dirOffset, dirSize);
  const entries: ZipEntry[] = [];
  let p = 0;
  for (let n = 0; n < count && p + 46 <= dir.length; n++) {
    if (dir.readUInt32LE(p) !== 0x02014b50) throw new Error('corrupt zip central directory');
    const method = dir.readUInt16LE(p + 10);
    let compressedSize = dir.readUInt32LE(p + 20);
    let size = dir.readUInt32LE(p + 24);
    const nameLen = dir.readUInt16LE(p + 28);
    const extraLen = dir.readUInt16LE(p + 30);
    const commentLen = dir.readUInt16LE(p + 32);
    let localHeaderOffset = dir.readUInt32LE(p + 42);
    const name = dir.subarray(p + 46, p + 46 + nameLen).toString('utf8');
    // zip64 extra field (id 1): the 64-bit values, in order, for each 32-bit field that overflowed
    let e = p + 46 + nameLen;
    const extraEnd = e + extraLen;
    while (e + 4 <= extraEnd) {
      const id = dir.readUInt16LE(e);
      const len = dir.readUInt16LE(e + 2);
      if (id === 1) {
        let q = e + 4;
        if (size === 0xffffffff) {
          size = Number(dir.readBigUInt64LE(q));
          q += 8;
        }
        if (compressedSize === 0xffffffff) {
          compressedSize = Number(dir.readBigUInt64LE(q));
          q += 8;
        }
        if (localHeaderOffset === 0xffffffff) {
          localHeaderOffset = Number(dir.readBigUInt64LE(q));
        }
      }
      e += 4 + len;
    }
    entries.push({ name, method, compressedSize, size, localHeaderOffset });
    p = extraEnd + commentLen;
  }
  return entries;
}
