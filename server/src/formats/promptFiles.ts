/**
 * Files a prompt states the contents of, so that a candidate which opens them as told can run:
 *
 * - a fenced block (not Python) introduced by a line naming the file and its contents (`data.csv
 *   contains:`, "Contents of `config.ini`:", "Given the file `log.txt` with:");
 * - comment lines in a test block under a line naming the file's content (`# Sample log content for
 *   test1.log:` then `# 192.168.1.1 - - …`).
 *
 * Only plain names are kept (letters, digits, `_`, `-`, `.`; no directory, no leading dot), at most
 * `MAX_FILES` files of `MAX_BYTES` in all; the first statement of a name wins.
 */
import type { PromptFile } from '../core/types';

export const MAX_FILES = 16;
export const MAX_BYTES = 1 << 20;

/** A plain file name with an extension: what a prompt names and a sandbox can hold. */
export const FILE_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}\.[A-Za-z0-9]{1,8}$/;

const NAME_IN_TEXT = /[`'"]?([A-Za-z0-9_][A-Za-z0-9_.-]{0,99}\.[A-Za-z][A-Za-z0-9]{0,7})[`'"]?/g;
const SAYS_CONTENTS = /\b(?:contents?|contains?|containing|with|holds?|looks?\s+like|reads?)\b|:\s*$/i;
const CODE_EXT = /\.(?:py|pyc|sh|exe|so|dll)$/i;

function namedFile(line: string): string | undefined {
  for (const m of line.matchAll(NAME_IN_TEXT)) {
    const name = m[1]!;
    // `e.g.`, `i.e.`, version numbers and domains are not files
    if (!FILE_NAME.test(name) || CODE_EXT.test(name) || /^\d+(?:\.\d+)+$/.test(name) || /^(?:e\.g|i\.e|etc)\b/i.test(name)) continue;
    if (/^(?:www\.|[a-z]+\.(?:com|org|net|io)$)/i.test(name)) continue;
    return name;
  }
  return undefined;
}

export function promptFiles(prompt: string): PromptFile[] {
  const lines = prompt.replace(/\r\n?/g, '\n').split('\n');
  const out: PromptFile[] = [];
  let bytes = 0;
  const add = (name: string, content: string) => {
    if (out.length >= MAX_FILES || out.some((f) => f.name === name)) return;
    const size = Buffer.byteLength(content, 'utf8');
    if (bytes + size > MAX_BYTES) return;
    bytes += size;
    out.push({ name, content });
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const fence = /^\s*(`{3,}|~{3,})\s*([\w+-]*)\s*$/.exec(line);
    if (fence) {
      let j = i + 1;
      const body: string[] = [];
      while (j < lines.length && !lines[j]!.trim().startsWith(fence[1]!)) body.push(lines[j++]!);
      const lang = fence[2]!.toLowerCase();
      if (!/^(?:python|py|python3)$/.test(lang)) {
        // the lead: the last non-blank line before the fence (and the one before it)
        const lead = lines
          .slice(Math.max(0, i - 2), i)
          .filter((l) => l.trim())
          .join(' ');
        const name = namedFile(lead);
        if (name && SAYS_CONTENTS.test(lead)) add(name, body.join('\n') + (body.length ? '\n' : ''));
      } else {
        // comment lines under `# … content … for NAME:` inside a code block
        for (let k = 0; k < body.length; k++) {
          const m = /^\s*#\s*(.*\bcontents?\b.*):\s*$/i.exec(body[k]!);
          const name = m ? namedFile(m[1]!) : undefined;
          if (!name) continue;
          const content: string[] = [];
          let n = k + 1;
          while (n < body.length && /^\s*#/.test(body[n]!) && !/:\s*$/.test(body[n]!)) content.push(body[n++]!.replace(/^\s*#\s?/, ''));
          if (content.length) add(name, content.map((l) => l.replace(/\s+$/, '')).join('\n') + '\n');
          k = n - 1;
        }
      }
      i = j;
    }
  }
  return out;
}
