/**
 * Splits a model's completion into the code to analyse and the reasoning to keep apart from it.
 *
 * The contract:
 * - `<think>…</think>` (also `<thinking>`, `<reasoning>`; an unclosed opening tag runs to the end; a
 *   closing tag with no opening one closes everything before it) is reasoning, never code.
 * - Fenced blocks (``` or ~~~): ```python / ```py / untagged blocks are code; blocks tagged with another
 *   language (bash, text, json …) are not. When some blocks are tagged Python, untagged ones are ignored.
 *   Blocks that only exercise the code (asserts, doctest sessions, calls or prints of the entry point
 *   with no definitions) are ignored. The block that defines the entry point last is the answer; other
 *   blocks are joined to it, in their original order, when they define something it uses (helpers,
 *   imports). Without an entry point the last code block is the answer.
 * - With no Python block at all, a block tagged with another programming language (```cpp, ```js,
 *   ```java …) is the answer, kept as written: it is not executed, but its comments and literals are
 *   still evidence. The block that names the entry point last wins, else the last such block.
 * - No fence at all: the code is the longest run of Python-looking lines; the prose around it is dropped.
 * - Line endings become `\n`; the code has no leading or trailing blank lines.
 */

export interface Extracted {
  readonly code: string;
  /** The `<think>` blocks, joined by a blank line; absent when there are none. */
  readonly reasoning?: string;
}

export function extractCode(completion: string, entryPoint?: string): Extracted {
  const { rest, reasoning } = splitThink(completion.replace(/\r\n?/g, '\n'));
  const blocks = fencedBlocks(rest);
  let code: string;
  if (blocks.length > 0) {
    const chosen = chooseBlocks(blocks, entryPoint);
    const other = chosen.length > 0 ? undefined : otherLanguageBlock(blocks, entryPoint);
    code = chosen.length > 0 ? chosen.map((b) => b.body).join('\n\n') : (other?.body ?? longestCodeRun(withoutBlocks(rest, blocks)));
  } else {
    code = longestCodeRun(rest);
  }
  code = trimBlankLines(code);
  return reasoning === undefined ? { code } : { code, reasoning };
}

// ---------------------------------------------------------------- reasoning

function splitThink(text: string): { rest: string; reasoning?: string } {
  const thoughts: string[] = [];
  let rest = text;
  const lone = /<\/(think|thinking|reasoning)>/i.exec(rest);
  if (lone && !new RegExp(`<${lone[1]}>`, 'i').test(rest.slice(0, lone.index))) {
    thoughts.push(rest.slice(0, lone.index));
    rest = rest.slice(lone.index + lone[0].length);
  }
  rest = rest.replace(/<(think|thinking|reasoning)>([\s\S]*?)(?:<\/\1>|$(?![\s\S]))/gi, (_m, _tag, inner: string) => {
    thoughts.push(inner);
    return '\n';
  });
  const reasoning = thoughts
    .map((t) => t.trim())
    .filter(Boolean)
    .join('\n\n');
  return reasoning ? { rest, reasoning } : { rest };
}

// ---------------------------------------------------------------- fenced blocks

interface Block {
  readonly lang: string;
  readonly body: string;
  /** Offsets of the whole fence, markers included, in the text it came from. */
  readonly start: number;
  readonly end: number;
}

const PY_LANGS = new Set(['python', 'py', 'python3', 'py3', 'python2', 'ipython', 'sage']);
/** Fence tags of programming languages other than Python (not shells, data, markup or output). */
const OTHER_LANGS = new Set([
  'c',
  'h',
  'cpp',
  'c++',
  'cc',
  'cxx',
  'hpp',
  'csharp',
  'cs',
  'c#',
  'java',
  'kotlin',
  'kt',
  'scala',
  'swift',
  'objc',
  'objective-c',
  'js',
  'javascript',
  'jsx',
  'mjs',
  'node',
  'ts',
  'typescript',
  'tsx',
  'go',
  'golang',
  'rust',
  'rs',
  'ruby',
  'rb',
  'php',
  'perl',
  'pl',
  'lua',
  'r',
  'julia',
  'jl',
  'haskell',
  'hs',
  'ocaml',
  'ml',
  'fsharp',
  'f#',
  'elixir',
  'ex',
  'erlang',
  'clojure',
  'clj',
  'dart',
  'zig',
  'nim',
  'd',
  'pascal',
  'fortran',
]);

function fencedBlocks(text: string): Block[] {
  const blocks: Block[] = [];
  const open = /^([ \t]*)(`{3,}|~{3,})[ \t]*([^\s`]*)[^\n]*$/gm;
  let m: RegExpExecArray | null;
  while ((m = open.exec(text))) {
    const marker = m[2]!;
    const indent = m[1]!.length;
    const bodyStart = m.index + m[0].length + 1;
    const close = new RegExp(`^[ \\t]*${marker[0] === '`' ? '`' : '~'}{${marker.length},}[ \\t]*$`, 'gm');
    close.lastIndex = Math.min(bodyStart, text.length);
    const c = close.exec(text);
    const bodyEnd = c ? c.index : text.length;
    const end = c ? c.index + c[0].length : text.length;
    let body = text.slice(Math.min(bodyStart, text.length), bodyEnd);
    if (indent > 0)
      body = body
        .split('\n')
        .map((l) => l.slice(Math.min(indent, l.length - l.trimStart().length)))
        .join('\n');
    blocks.push({
      lang: m[3]!
        .toLowerCase()
        .replace(/^\{?\.?/, '')
        .replace(/\}$/, ''),
      body: body.replace(/\n$/, ''),
      start: m.index,
      end,
    });
    open.lastIndex = end;
  }
  return blocks;
}

function withoutBlocks(text: string, blocks: readonly Block[]): string {
  let out = '';
  let at = 0;
  for (const b of blocks) {
    out += text.slice(at, b.start);
    at = b.end;
  }
  return out + text.slice(at);
}

const DEF = /^[ \t]*(?:async[ \t]+)?(?:def|class)[ \t]+([A-Za-z_]\w*)/gm;
const TOP_ASSIGN = /^([A-Za-z_]\w*)[ \t]*(?::[^=\n]*)?=(?!=)/gm;
const IMPORT = /^[ \t]*(?:from[ \t]+[\w.]+[ \t]+)?import[ \t]+(.+)$/gm;

/** The names a block binds: functions, classes, top-level assignments, imports. */
function definedNames(code: string): Set<string> {
  const names = new Set<string>();
  for (const m of code.matchAll(DEF)) names.add(m[1]!);
  for (const m of code.matchAll(TOP_ASSIGN)) names.add(m[1]!);
  for (const m of code.matchAll(IMPORT)) {
    for (const part of m[1]!.replace(/[()]/g, '').split(',')) {
      const name = part
        .trim()
        .split(/\s+as\s+/)
        .pop()!
        .split('.')[0]!
        .trim();
      if (/^[A-Za-z_]\w*$/.test(name)) names.add(name);
    }
  }
  return names;
}

function usedNames(code: string): Set<string> {
  return new Set(code.match(/[A-Za-z_]\w*/g) ?? []);
}

function definesEntry(code: string, entryPoint: string): boolean {
  return (
    new RegExp(`^[ \\t]*(?:async[ \\t]+)?def[ \\t]+${escapeRe(entryPoint)}[ \\t]*\\(`, 'm').test(code) ||
    new RegExp(`^${escapeRe(entryPoint)}[ \\t]*=`, 'm').test(code)
  );
}

/** A block that only exercises code defined elsewhere: asserts, doctest sessions, example calls. */
function isUsageOnly(code: string, entryPoint?: string): boolean {
  if (/^[ \t]*(?:async[ \t]+)?(?:def|class)[ \t]/m.test(code)) return false;
  if (/^\s*>>>/m.test(code)) return true;
  const lines = code
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  if (lines.length === 0) return true;
  if (lines.every((l) => /^assert\b/.test(l))) return true;
  if (entryPoint && !/\binput\s*\(|sys\.stdin/.test(code)) {
    const call = new RegExp(`\\b${escapeRe(entryPoint)}\\s*\\(`);
    return lines.some((l) => call.test(l) || /^assert\b/.test(l));
  }
  return false;
}

/** Blocks that look like shell sessions, program output or data rather than Python. */
function looksLikePython(code: string): boolean {
  const lines = code.split('\n').filter((l) => l.trim());
  if (lines.length === 0) return false;
  if (lines.some((l) => /^\s*\$ /.test(l) || /^\s*(?:pip|python3?|npm|cd|ls)\s/.test(l))) {
    if (!lines.some((l) => isCodeLine(l))) return false;
  }
  return lines.filter((l) => isCodeLine(l) || /^\s/.test(l)).length * 2 >= lines.length;
}

function chooseBlocks(all: readonly Block[], entryPoint?: string): Block[] {
  let blocks = all.filter((b) => PY_LANGS.has(b.lang) || (b.lang === '' && looksLikePython(b.body)));
  if (blocks.some((b) => b.lang !== '')) blocks = blocks.filter((b) => b.lang !== '');
  blocks = blocks.filter((b) => !isUsageOnly(b.body, entryPoint));
  if (blocks.length === 0) return [];
  let main = blocks.length - 1;
  if (entryPoint) {
    for (let i = blocks.length - 1; i >= 0; i--) {
      if (definesEntry(blocks[i]!.body, entryPoint)) {
        main = i;
        break;
      }
    }
  }
  const included = new Set([main]);
  const mainDefinesEntry = entryPoint !== undefined && definesEntry(blocks[main]!.body, entryPoint);
  for (let grew = true; grew; ) {
    grew = false;
    const code = [...included].map((i) => blocks[i]!.body).join('\n');
    const used = usedNames(code);
    const defined = definedNames(code);
    blocks.forEach((b, i) => {
      if (included.has(i)) return;
      if (mainDefinesEntry && definesEntry(b.body, entryPoint!)) return;
      const gives = [...definedNames(b.body)].some((n) => used.has(n) && !defined.has(n));
      if (gives) {
        included.add(i);
        grew = true;
      }
    });
  }
  return [...included].sort((a, b) => a - b).map((i) => blocks[i]!);
}

/** The answer in another language, when no block is Python: the last block naming the entry point,
 *  else the last block tagged with a programming language. */
function otherLanguageBlock(all: readonly Block[], entryPoint?: string): Block | undefined {
  const blocks = all.filter((b) => OTHER_LANGS.has(b.lang) && b.body.trim());
  if (entryPoint) {
    const named = new RegExp(`\\b${escapeRe(entryPoint)}\\b`);
    for (let i = blocks.length - 1; i >= 0; i--) if (named.test(blocks[i]!.body)) return blocks[i];
  }
  return blocks[blocks.length - 1];
}

// ---------------------------------------------------------------- unfenced code

const CODE_LINE: readonly RegExp[] = [
  /^\s*(?:async\s+)?def\s+\w+\s*\(/,
  /^\s*class\s+\w+\s*[:(]/,
  /^\s*(?:import\s+[\w.]+|from\s+[\w.]+\s+import\s)/,
  /^\s*(?:if|elif|while|for|with|except|match|case)\b.*:\s*(?:#.*)?$/,
  /^\s*(?:else|try|finally)\s*:\s*(?:#.*)?$/,
  /^\s*(?:return|yield|raise|assert|global|nonlocal|del)\b/,
  /^\s*(?:pass|break|continue)\s*(?:#.*)?$/,
  /^\s*@[\w.]+/,
  /^\s*[A-Za-z_][\w.]*(?:\[[^\]]*\])*(?:\s*,\s*[A-Za-z_][\w.]*)*\s*(?::\s*[\w[\], .|]+)?\s*(?:[-+*/%&|^@]|\/\/|\*\*|<<|>>)?=(?!=)\s*\S/,
  /^\s*[A-Za-z_][\w.]*\s*\(.*\)\s*(?:#.*)?$/,
  /^\s*[)\]}]+[,:]?\s*$/,
  /^\s*print\s*\(/,
];

/** The patterns above as one alternation: a line is tested once, not a dozen times. */
const ANY_CODE_LINE = new RegExp(CODE_LINE.map((re) => `(?:${re.source})`).join('|'));

function isCodeLine(line: string): boolean {
  return ANY_CODE_LINE.test(line);
}

/** The longest run of Python-looking lines (blank lines and comments may sit inside a run). */
function longestCodeRun(text: string): string {
  const lines = text.split('\n');
  let best = { start: 0, end: -1, score: 0 };
  let cur = { start: -1, end: -1, score: 0 };
  let inString: string | undefined;
  let open = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const trimmed = line.trim();
    let code: boolean | 'neutral';
    if (inString || open > 0) code = true;
    else if (!trimmed || (trimmed.startsWith('#') && !/^#+\s+[A-Z]/.test(trimmed) && cur.start >= 0)) code = 'neutral';
    else if (isCodeLine(line)) code = true;
    else code = cur.start >= 0 && /^\s+\S/.test(line) && !/^\s*[-*+]\s|^\s*\d+\.\s/.test(line);
    if (code === true) {
      if (cur.start < 0) cur = { start: i, end: i, score: 0 };
      cur.end = i;
      cur.score++;
      ({ inString, open } = track(line, inString, open));
    } else if (code === false) {
      if (cur.score > best.score) best = cur;
      cur = { start: -1, end: -1, score: 0 };
    }
  }
  if (cur.score > best.score) best = cur;
  if (best.end < best.start) return '';
  return dedent(lines.slice(best.start, best.end + 1).join('\n'));
}

/** Carries triple-quoted-string and open-bracket state from one line to the next. */
function track(line: string, inString: string | undefined, open: number): { inString: string | undefined; open: number } {
  for (let i = 0; i < line.length; i++) {
    if (inString) {
      if (line.startsWith(inString, i)) {
        i += inString.length - 1;
        inString = undefined;
      } else if (line[i] === '\\') i++;
      continue;
    }
    const c = line[i]!;
    if (c === '#') break;
    if (c === '"' || c === "'") {
      if (line.startsWith(c.repeat(3), i)) {
        inString = c.repeat(3);
        i += 2;
        continue;
      }
      const close = line.indexOf(c, i + 1);
      i = close < 0 ? line.length : close;
      continue;
    }
    if ('([{'.includes(c)) open++;
    else if (')]}'.includes(c)) open = Math.max(0, open - 1);
  }
  return { inString, open };
}

function dedent(code: string): string {
  const lines = code.split('\n');
  const indents = lines.filter((l) => l.trim()).map((l) => l.length - l.trimStart().length);
  const cut = indents.length ? Math.min(...indents) : 0;
  return cut ? lines.map((l) => l.slice(Math.min(cut, l.length))).join('\n') : code;
}

function trimBlankLines(code: string): string {
  return code.replace(/^(?:[ \t]*\n)+/, '').replace(/\s+$/, '');
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
