/** Small helpers the format readers share for picking fields out of loosely-typed rows. */
import { createHash } from 'node:crypto';

export type Row = Record<string, unknown>;

export function isRow(v: unknown): v is Row {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The first of `keys` whose value is a non-empty string. */
export function pickString(row: Row | undefined, ...keys: string[]): string | undefined {
  if (!row) return undefined;
  for (const k of keys) {
    const v = row[k];
    if (typeof v === 'string' && v !== '') return v;
  }
  return undefined;
}

/** The first of `keys` whose value is a string or a finite number, as a string. */
export function pickId(row: Row | undefined, ...keys: string[]): string | undefined {
  if (!row) return undefined;
  for (const k of keys) {
    const v = row[k];
    if ((typeof v === 'string' && v !== '') || (typeof v === 'number' && Number.isFinite(v))) return String(v);
  }
  return undefined;
}

export function pickInt(row: Row | undefined, ...keys: string[]): number | undefined {
  if (!row) return undefined;
  for (const k of keys) {
    const v = row[k];
    if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return v;
    if (typeof v === 'string' && /^\d+$/.test(v)) return Number(v);
  }
  return undefined;
}

/** A list of strings from a string (split into assert statements) or an array of strings. */
export function stringList(v: unknown): string[] {
  if (typeof v === 'string') return v.trim() ? [v] : [];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string' && x.trim() !== '');
  return [];
}

/**
 * The text of a chat message's `content`: a string, or OpenAI/Anthropic/Inspect content parts
 * (`{type: 'text', text}`); reasoning parts (`{type: 'reasoning', reasoning}` or `thinking`) are returned apart.
 */
export function contentText(content: unknown): { text: string; reasoning?: string } {
  if (typeof content === 'string') return { text: content };
  if (!Array.isArray(content)) return { text: '' };
  const text: string[] = [];
  const reasoning: string[] = [];
  for (const part of content) {
    if (typeof part === 'string') text.push(part);
    else if (isRow(part)) {
      if (part.type === 'reasoning' || part.type === 'thinking') {
        const r = pickString(part, 'reasoning', 'thinking', 'text');
        if (r) reasoning.push(r);
      } else {
        const t = pickString(part, 'text');
        if (t) text.push(t);
      }
    }
  }
  return reasoning.length ? { text: text.join('\n'), reasoning: reasoning.join('\n\n') } : { text: text.join('\n') };
}

export function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 12);
}

export function keysOf(v: unknown): string {
  if (!isRow(v)) return Array.isArray(v) ? 'an array' : v === null ? 'null' : `a ${typeof v}`;
  const keys = Object.keys(v).slice(0, 8);
  return keys.length ? `keys ${keys.join(', ')}` : 'an empty object';
}
