/**
 * The URIs of read-only candidate documents, shared by the server and every client. Plain ECMAScript (no
 * Node, DOM or editor APIs), so any client bundle can use it.
 *
 * `loophole:/<problem>/<candidate>/<problem title> · <candidate>.py`: the first two segments carry the
 * ids, each spelled with letters, digits, `_`, `-` and `+XX` for every other UTF-8 byte (`idSegment`), so
 * an editor that decodes `%2F` into `/` or re-encodes the path cannot change where a segment ends. The
 * last segment is for people: editors title a tab by it, so it names the problem (its readable title,
 * else its id) and the candidate, made safe for one path segment and kept short. It is never needed to
 * resolve the URI, and ends in `.py` so editors take the document for Python.
 *
 * The older form `loophole:/<problem>/<candidate>.py` (each id `encodeURIComponent`-ed) is still read by
 * `candidateUriPath`: its decoded path is matched against the store, since `/` may be in either id.
 */

/** The URI scheme of read-only candidate documents. */
export const CandidateScheme = 'loophole';

/** Between the problem and the candidate in a tab's title. */
export const TabSeparator = ' · ';
const TitleMax = 40;
const CandidateMax = 24;

/** A candidate's document URI; `title` is the problem's readable title (the problem id when absent). */
export function candidateUri(problemId: string, candidateId: string, title?: string): string {
  return `${CandidateScheme}:/${idSegment(problemId)}/${idSegment(candidateId)}/${encodeURIComponent(tabLabel(problemId, candidateId, title))}.py`;
}

/** The ids a `candidateUri` names, or undefined for any other URI (the older form included). */
export function parseCandidateUri(uri: string): { problemId: string; candidateId: string } | undefined {
  const path = pathOf(uri);
  if (path === undefined) return undefined;
  const parts = path.split('/');
  if (parts.length !== 3 || !parts[2]!.endsWith('.py')) return undefined;
  const label = decoded(parts[2]!) ?? parts[2]!;
  if (!label.includes(TabSeparator)) return undefined;
  const p = decoded(parts[0]!);
  const c = decoded(parts[1]!);
  const problemId = p === undefined ? undefined : idOfSegment(p);
  const candidateId = c === undefined ? undefined : idOfSegment(c);
  return problemId !== undefined && candidateId !== undefined ? { problemId, candidateId } : undefined;
}

/**
 * The fully decoded path without `.py` of a candidate URI of the older form (`<problemId>/<candidateId>`),
 * or undefined for other URIs. Either id may hold `/`, so the caller matches it against the store.
 */
export function candidateUriPath(uri: string): string | undefined {
  const path = pathOf(uri);
  if (path === undefined || !path.endsWith('.py')) return undefined;
  return decoded(path.slice(0, -'.py'.length));
}

/** A tab's title without the `.py`: `<problem title> · <candidate>`, each part cut short. */
export function tabLabel(problemId: string, candidateId: string, title?: string): string {
  const problem = clip(clean(title?.trim() ? title : problemId), TitleMax) || 'problem';
  // Candidate ids often repeat their problem's (`two-sum/c1`); the tab already says it.
  let candidate = candidateId;
  const rest = candidateId.slice(problemId.length + 1);
  if (candidateId.startsWith(problemId) && /^[/:#._-]$/.test(candidateId.charAt(problemId.length)) && rest) candidate = rest;
  return `${problem}${TabSeparator}${clip(clean(candidate), CandidateMax) || 'candidate'}`;
}

/**
 * A spelling of an id fit for one path segment whatever an editor does to it: letters, digits, `_` and
 * `-` stay; every other UTF-8 byte is `+XX` (upper-case hex). A lone surrogate is spelled as U+FFFD, as
 * UTF-8 encoders do.
 */
export function idSegment(id: string): string {
  const wellFormed = id.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
  // encodeURIComponent spells UTF-8 bytes as %XX and keeps A-Z a-z 0-9 - _ . ! ~ * ' ( ) as they are.
  return encodeURIComponent(wellFormed).replace(/%([0-9A-F]{2})|[.!~*'()]/g, (m, hex: string | undefined) =>
    hex ? `+${hex}` : `+${m.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** The inverse of `idSegment`, or undefined when `segment` is not one of its spellings. */
export function idOfSegment(segment: string): string | undefined {
  if (!/^(?:[A-Za-z0-9_-]|\+[0-9A-F]{2})+$/.test(segment)) return undefined;
  const text = decoded(segment.replace(/\+/g, '%'));
  return text !== undefined && idSegment(text) === segment ? text : undefined;
}

/** The path after `loophole:` without leading slashes, query or fragment; undefined for other schemes. */
function pathOf(uri: string): string | undefined {
  const prefix = `${CandidateScheme}:`;
  if (!uri.startsWith(prefix)) return undefined;
  let rest = uri.slice(prefix.length).replace(/^\/+/, '');
  const q = rest.search(/[?#]/);
  if (q >= 0) rest = rest.slice(0, q);
  return rest;
}

function decoded(s: string): string | undefined {
  try {
    return decodeURIComponent(s);
  } catch {
    return undefined;
  }
}

/** One line, no path separators, nothing an editor might take for a query or fragment, no Markdown code marks. */
function clean(s: string): string {
  return s
    .replace(/`/g, '')
    .replace(/[/\\]/g, '∕')
    .replace(/[?#]/g, ' ')
    .replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** At most `max` characters (code points), an ellipsis marking a cut. */
function clip(s: string, max: number): string {
  const chars = Array.from(s);
  return chars.length <= max
    ? s
    : `${chars
        .slice(0, max - 1)
        .join('')
        .trimEnd()}…`;
}
