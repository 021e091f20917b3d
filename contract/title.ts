/** Problem titles for people: data sets name problems by ids and hashes; the statement says what they are. */

/**
 * A readable title for a problem from its statement's first line that says something (a heading's `#`
 * and a leading "Problem:"-style label dropped), cut at `max` characters; the id when there is none.
 */
export function problemTitle(statement: string, id: string, max = 60): string {
  for (const raw of statement.split(/\r?\n/)) {
    const line = raw
      .replace(/^\s*#+\s*/, '')
      .replace(/^\s*(?:problem|task|question)\s*[:.]\s*/i, '')
      .replace(/\s+/g, ' ')
      .trim();
    if (line.length < 3 || /^[-=*_`]+$/.test(line)) continue;
    return line.length > max ? `${line.slice(0, max - 1).trimEnd()}…` : line;
  }
  return id;
}
