/**
 * Streams the items of a large JSON document without parsing it whole: the elements of a top-level
 * array, or of the `samples` array of a top-level object (an Inspect AI log). Everything else of a
 * top-level object (its "skeleton", with `samples` emptied) is parsed once and handed over first
 * when `samples` comes after it, as it does in Inspect logs. A top-level object without `samples` is
 * one item. Items over the cap are reported and skipped without being held.
 */
import { createReadStream } from 'node:fs';

export type JsonEvent =
  | { readonly kind: 'skeleton'; readonly value: Record<string, unknown> }
  | { readonly kind: 'item'; readonly index: number; readonly text: string }
  | { readonly kind: 'bad'; readonly index: number; readonly message: string };

export interface JsonStreamOptions {
  readonly maxItemChars?: number | undefined;
  readonly signal?: AbortSignal | undefined;
  /** Read size; small values exercise records split across reads. */
  readonly chunkBytes?: number;
  readonly onBytes?: (bytesRead: number) => void;
}

const DEFAULT_MAX_ITEM_CHARS = 64 * 1024 * 1024;

/** Yields the skeleton (when there is one) and then the items, in order; `index` is 0-based. */
export async function* readJsonItems(file: string, opts: JsonStreamOptions = {}): AsyncGenerator<JsonEvent> {
  const cap = opts.maxItemChars ?? DEFAULT_MAX_ITEM_CHARS;
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const stream = createReadStream(file, { highWaterMark: opts.chunkBytes ?? 1024 * 1024 });
  const out: JsonEvent[] = [];

  let depth = 0;
  let inString = false;
  let escaped = false;
  let top: '' | '[' | '{' = '';
  let itemDepth = -1; // the depth at which items sit, once known
  let item: string[] | undefined; // pieces of the item being read
  let itemChars = 0;
  let itemTooLong = false;
  let index = 0;
  let skeleton: string[] = [];
  let skeletonChars = 0;
  let lastKey = '';
  let keyStart = -1; // offset in the current chunk where a depth-1 key string began
  let keyText = '';
  let sentSkeleton = false;

  const endItem = (text: string): void => {
    if (itemTooLong) out.push({ kind: 'bad', index, message: `item is ${itemChars} characters, over the ${cap}-character limit; skipped` });
    else out.push({ kind: 'item', index, text });
    index++;
    item = undefined;
    itemChars = 0;
    itemTooLong = false;
  };
  const addItemPiece = (piece: string): void => {
    itemChars += piece.length;
    if (itemChars > cap) {
      itemTooLong = true;
      item = [];
    } else item!.push(piece);
  };
  const addSkeleton = (piece: string): void => {
    skeletonChars += piece.length;
    if (skeletonChars <= cap) skeleton.push(piece);
  };

  const feed = (s: string): void => {
    let from = 0; // start of the not-yet-copied part of `s`
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (inString) {
        if (escaped) escaped = false;
        else if (c === 0x5c) escaped = true;
        else if (c === 0x22) {
          inString = false;
          if (keyStart >= 0) {
            keyText += s.slice(keyStart, i + 1);
            keyStart = -1;
          }
        }
        continue;
      }
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) continue;
      if (c === 0x22) {
        inString = true;
        if (top === '{' && depth === 1 && item === undefined) {
          keyStart = i;
          keyText = '';
        }
      } else if (c === 0x3a && top === '{' && depth === 1 && keyText) {
        try {
          lastKey = JSON.parse(keyText) as string;
        } catch {
          lastKey = '';
        }
        keyText = '';
      }
      const opening = c === 0x7b || c === 0x5b;
      const closing = c === 0x7d || c === 0x5d;
      if (top === '') {
        if (!opening) throw new SyntaxError('not a JSON array or object');
        top = c === 0x5b ? '[' : '{';
        if (top === '[') {
          itemDepth = 1;
          from = i + 1;
        }
        depth = 1;
        continue;
      }
      if (item === undefined && depth === itemDepth && !closing && c !== 0x2c) {
        // an item begins here
        item = [];
        from = i;
      }
      if (opening) {
        if (top === '{' && depth === 1 && lastKey === 'samples' && c === 0x5b && itemDepth < 0) {
          addSkeleton(s.slice(from, i + 1));
          from = i + 1;
          itemDepth = 2;
          depth++;
          if (!sentSkeleton) {
            const text = skeleton.join('').replace(/,?\s*"samples"\s*:\s*\[$/, '') + '}';
            try {
              out.push({ kind: 'skeleton', value: JSON.parse(text.replace(/^\{\s*,/, '{')) as Record<string, unknown> });
            } catch {
              /* left for the end */
            }
            sentSkeleton = true;
          }
          continue;
        }
        depth++;
      } else if (closing) {
        depth--;
        if (item !== undefined && depth === itemDepth - 1) {
          // a primitive item ends at the closing bracket of its array
          addItemPiece(s.slice(from, i));
          endItem(item.join('').trim());
          from = i;
        } else if (item !== undefined && depth === itemDepth) {
          addItemPiece(s.slice(from, i + 1));
          endItem(item.join(''));
          from = i + 1;
        }
        if (depth === itemDepth - 1 && top === '{') {
          itemDepth = -2;
          from = i + 1;
        }
      } else if (c === 0x2c && item !== undefined && depth === itemDepth) {
        addItemPiece(s.slice(from, i));
        endItem(item.join('').trim());
        from = i + 1;
      }
      if (item === undefined && depth <= itemDepth && c === 0x2c) from = i + 1;
    }
    if (item !== undefined) addItemPiece(s.slice(from));
    else if (itemDepth === -1) addSkeleton(s.slice(from));
    if (keyStart >= 0) {
      keyText += s.slice(keyStart);
      keyStart = 0;
    }
  };

  let read = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      if (opts.signal?.aborted) throw opts.signal.reason ?? new Error('aborted');
      read += chunk.length;
      feed(decoder.decode(chunk, { stream: true }));
      opts.onBytes?.(read);
      yield* out.splice(0);
    }
    feed(decoder.decode());
    yield* out.splice(0);
    if ((top as string) === '{' && itemDepth === -1) {
      // no `samples`: the whole object is the one item
      if (skeletonChars > cap)
        yield { kind: 'bad', index: 0, message: `item is ${skeletonChars} characters, over the ${cap}-character limit; skipped` };
      else yield { kind: 'item', index: 0, text: skeleton.join('') };
    }
    if ((top as string) === '') throw new SyntaxError('empty document');
    if (depth !== 0) throw new SyntaxError('unexpected end of the document');
  } finally {
    stream.destroy();
    skeleton = [];
  }
}
