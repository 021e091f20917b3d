/**
 * Reads a file as a stream of lines without ever holding the whole file, or an over-long line, in
 * memory. Lines are split on `\n` (a trailing `\r` is dropped), decoded as strict UTF-8, and handed
 * to the caller one at a time; a line that is too long or not valid UTF-8 is reported as a `bad`
 * line so the caller can record an issue and go on with the next one.
 */
import { createReadStream } from 'node:fs';

/** Lines longer than this are reported and skipped; their bytes are dropped as they stream past. */
export const DEFAULT_MAX_LINE_BYTES = 16 * 1024 * 1024;

export type LineEvent =
  | { readonly kind: 'line'; readonly line: number; readonly text: string }
  | { readonly kind: 'bad'; readonly line: number; readonly message: string };

export interface LineReadOptions {
  readonly maxLineBytes?: number | undefined;
  readonly signal?: AbortSignal | undefined;
  /** Read size; small values exercise records split across reads. */
  readonly chunkBytes?: number;
  /** Called with the bytes read from this file so far, once per chunk. */
  readonly onBytes?: (bytesRead: number) => void;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Yields every line of `file`, 1-based, including blank ones (callers skip those). */
export async function* readLines(file: string, opts: LineReadOptions = {}): AsyncGenerator<LineEvent> {
  const cap = opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const stream = createReadStream(file, { highWaterMark: opts.chunkBytes ?? 1024 * 1024 });
  let parts: Buffer[] = [];
  let partBytes = 0;
  let overflow = 0; // bytes of the current line dropped because it passed the cap
  let line = 0;
  let read = 0;

  const finish = (): LineEvent => {
    line++;
    if (overflow > 0) {
      const total = partBytes + overflow;
      parts = [];
      partBytes = 0;
      overflow = 0;
      return { kind: 'bad', line, message: `line is ${total} bytes, over the ${cap}-byte limit; skipped` };
    }
    let buf = parts.length === 1 ? parts[0]! : Buffer.concat(parts, partBytes);
    parts = [];
    partBytes = 0;
    if (buf.length > 0 && buf[buf.length - 1] === 0x0d) buf = buf.subarray(0, buf.length - 1);
    try {
      const text = utf8.decode(buf);
      // a byte-order mark is only one at the start of the file
      return { kind: 'line', line, text: line === 1 && text.charCodeAt(0) === 0xfeff ? text.slice(1) : text };
    } catch {
      return { kind: 'bad', line, message: 'not valid UTF-8' };
    }
  };

  const take = (chunk: Buffer): void => {
    if (overflow > 0) {
      overflow += chunk.length;
    } else if (partBytes + chunk.length > cap) {
      // keep partBytes for the size report, release the bytes themselves
      overflow = chunk.length;
      parts = [];
    } else if (chunk.length > 0) {
      parts.push(chunk);
      partBytes += chunk.length;
    }
  };

  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      if (opts.signal?.aborted) throw opts.signal.reason ?? new Error('aborted');
      read += chunk.length;
      let start = 0;
      for (;;) {
        const nl = chunk.indexOf(0x0a, start);
        if (nl < 0) break;
        take(chunk.subarray(start, nl));
        yield finish();
        start = nl + 1;
      }
      if (start < chunk.length) take(chunk.subarray(start));
      opts.onBytes?.(read);
    }
    if (partBytes > 0 || overflow > 0) yield finish();
  } finally {
    stream.destroy();
  }
}
