/**
 * Candidates as real files, for editors that can only open `file://` URIs.
 *
 * A candidate's code is written on demand (when the server hands its URI out) to
 * `<dataDir>/.loophole/candidates/<problem>/<title>--<candidate>.loophole.py`, read-only. The store stays
 * the source of truth: a file is rewritten whenever its text differs from the stored code, and every
 * diagnostic, hover and lens is computed from the store, never from the file.
 *
 * The names keep Python tooling away: the folder starts with a dot (pytest, pyright and most linters
 * skip dot folders), the `candidates/` folder carries a `.gitignore` of `*`, and a file name holds a
 * `-` and two dots, so it is neither an importable module nor a `test_*.py` / `*_test.py` file.
 *
 * Both ids are encoded reversibly (`safeName`), so a path names its problem and candidate without an
 * index; the title part is for people (editor tabs) and is not needed to resolve the file.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const CandidateFilesDir = path.join('.loophole', 'candidates');
const Suffix = '.loophole.py';
const TitleSeparator = '--';

/**
 * A file-name-safe, reversible spelling of an id: letters, digits, `_` and `-` stay; every other byte of
 * its UTF-8 is `+XX` (upper-case hex). `.` is encoded too, so no name starts with a dot or holds `..`.
 */
export function safeName(id: string): string {
  let out = '';
  for (const byte of Buffer.from(id, 'utf8')) {
    const ch = String.fromCharCode(byte);
    out += /[A-Za-z0-9_-]/.test(ch) ? ch : `+${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** The inverse of `safeName`, or undefined when `name` is not one of its spellings. */
export function unsafeName(name: string): string | undefined {
  if (!/^(?:[A-Za-z0-9_-]|\+[0-9A-F]{2})*$/.test(name)) return undefined;
  const bytes: number[] = [];
  for (let i = 0; i < name.length; ) {
    if (name[i] === '+') {
      bytes.push(parseInt(name.slice(i + 1, i + 3), 16));
      i += 3;
    } else {
      bytes.push(name.charCodeAt(i));
      i += 1;
    }
  }
  const text = Buffer.from(bytes).toString('utf8');
  return safeName(text) === name ? text : undefined;
}

/**
 * A short readable title for a problem: the first line of its statement with words of letters and digits
 * (lower case, joined by `-`, at most 40 characters), or the problem id when the statement has none.
 */
export function problemTitle(statement: string | undefined, problemId: string): string {
  const first = (statement ?? '').split(/\r?\n/).find((l) => /[A-Za-z0-9]/.test(l)) ?? '';
  const words = first.toLowerCase().match(/[a-z0-9]+/g) ?? [];
  let title = '';
  for (const w of words) {
    const next = title ? `${title}-${w}` : w;
    if (next.length > 40) break;
    title = next;
  }
  if (!title) title = (problemId.toLowerCase().match(/[a-z0-9]+/g) ?? ['problem']).join('-').slice(0, 40) || 'problem';
  // Never a name test discovery would pick up.
  return /^test/.test(title) ? `problem-${title}` : title;
}

/** The candidate's file (absolute) under `dataDir`. */
export function candidateFilePath(dataDir: string, problemId: string, candidateId: string, statement?: string): string {
  return path.join(
    dataDir,
    CandidateFilesDir,
    safeName(problemId),
    `${problemTitle(statement, problemId)}${TitleSeparator}${safeName(candidateId)}${Suffix}`,
  );
}

/**
 * Writes the candidate's file unless it already holds exactly `code`; leaves it read-only. Returns
 * its `file://` URI.
 */
export function ensureCandidateFile(file: string, code: string): string {
  const dir = path.dirname(file);
  const root = path.dirname(dir);
  mkdirSync(dir, { recursive: true });
  const ignore = path.join(root, '.gitignore');
  if (!existsSync(ignore)) writeFileSync(ignore, '# Candidate code written by Loophole for editors; the store holds the truth.\n*\n');
  let same = false;
  try {
    same = readFileSync(file, 'utf8') === code;
  } catch {
    same = false;
  }
  if (!same) {
    if (existsSync(file)) chmodSync(file, 0o644);
    writeFileSync(file, code);
  }
  chmodSync(file, 0o444);
  return pathToFileURL(file).href;
}

/**
 * The (problem id, candidate id) a `file://` URI names when it points into `dataDir`'s candidate files;
 * undefined for any other URI. Symbolic links in `dataDir` are tolerated (editors may resolve them).
 */
export function parseCandidateFileUri(uri: string, dataDir: string): { problemId: string; candidateId: string } | undefined {
  if (!uri.startsWith('file:')) return undefined;
  let file: string;
  try {
    file = fileURLToPath(uri);
  } catch {
    return undefined;
  }
  const roots = new Set([path.resolve(dataDir, CandidateFilesDir)]);
  try {
    roots.add(path.join(realpathSync(dataDir), CandidateFilesDir));
  } catch {
    // the data folder is gone; the plain path still counts
  }
  const abs = path.resolve(file);
  for (const root of roots) {
    const rel = path.relative(root, abs);
    if (rel.startsWith('..') || path.isAbsolute(rel)) continue;
    const parts = rel.split(path.sep);
    if (parts.length !== 2) continue;
    const problemId = unsafeName(parts[0]!);
    const base = parts[1]!;
    if (problemId === undefined || !base.endsWith(Suffix)) continue;
    const stem = base.slice(0, -Suffix.length);
    // A title is words joined by single dashes, so the first `--` ends it.
    const at = stem.indexOf(TitleSeparator);
    const candidateId = unsafeName(at >= 0 ? stem.slice(at + TitleSeparator.length) : stem);
    if (candidateId === undefined) continue;
    return { problemId, candidateId };
  }
  return undefined;
}
