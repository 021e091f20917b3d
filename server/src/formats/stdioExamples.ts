/**
 * Example tests written into a competitive-programming statement. Recognised headings (any case,
 * optionally as markdown headings or bold, with or without a colon and a number):
 * "Input" / "Output", "Sample Input 1" / "Sample Output 1", "Example Input" / "Example Output",
 * and "Example 1:" followed by "Input: …" / "Output: …" on the same or following lines. A block is a
 * fence, an indented block, or the lines up to the next heading (output blocks also stop at a blank
 * line or an "Explanation"/"Note"). Inputs and outputs pair up in order.
 */

export interface StdioExample {
  readonly input: string;
  readonly output: string;
}

const HEADING =
  /^[ \t]*(?:#{1,6}[ \t]*)?(?:\*\*|__)?[ \t]*(?:(?:sample|example)s?[ \t]*(?:test[ \t]*)?(?:case[ \t]*)?\d*[ \t]*[:.]?[ \t]*)?(input|output)s?[ \t]*\d*[ \t]*(?:\*\*|__)?[ \t]*(:)?[ \t]*(?:\*\*|__)?[ \t]*(.*)$/i;
/** A heading line, not prose that happens to start with "Input"/"Output". */
function isHeading(line: string): boolean {
  const m = HEADING.exec(line);
  return m !== null && (!m[3]!.trim() || m[2] !== undefined || /^(?:`{3,}|~{3,})/.test(m[3]!.trim()));
}

const STOP = /^[ \t]*(?:#{1,6}[ \t]*)?(?:\*\*|__)?[ \t]*(?:explanation|note|notes|constraints|example|examples|sample|hint)\b/i;

export function statementExamples(statement: string): StdioExample[] {
  const lines = statement.replace(/\r\n?/g, '\n').split('\n');
  const inputs: string[] = [];
  const outputs: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = HEADING.exec(lines[i]!);
    if (!m) continue;
    const kind = m[1]!.toLowerCase() as 'input' | 'output';
    const inline = m[3]!.trim();
    if (inline && !/^(?:`{3,}|~{3,})/.test(inline)) {
      // "Input: 3 4": the value is on the heading line (plus any lines up to a blank one). Without the
      // colon it is prose ("Output the answer …"); so is a value of three or more words ("Input: The
      // first line contains n").
      if (!m[2] || /\b[a-z]{2,}[ \t]+[a-z]{2,}[ \t]+[a-z]{2,}/i.test(inline)) continue;
      const more: string[] = [inline.replace(/^`(.*)`$/, '$1')];
      while (i + 1 < lines.length && lines[i + 1]!.trim() && !isHeading(lines[i + 1]!) && !STOP.test(lines[i + 1]!))
        more.push(lines[++i]!.trim());
      (kind === 'input' ? inputs : outputs).push(more.join('\n'));
      continue;
    }
    const block = readBlock(lines, i + 1, kind);
    if (block === undefined) continue;
    (kind === 'input' ? inputs : outputs).push(block.text);
    i = block.next - 1;
  }
  const n = Math.min(inputs.length, outputs.length);
  const out: StdioExample[] = [];
  for (let k = 0; k < n; k++) out.push({ input: withNewline(inputs[k]!), output: withNewline(outputs[k]!) });
  return out;
}

function readBlock(lines: readonly string[], start: number, kind: 'input' | 'output'): { text: string; next: number } | undefined {
  let i = start;
  while (i < lines.length && !lines[i]!.trim()) i++;
  if (i >= lines.length) return undefined;
  const fence = /^[ \t]*(`{3,}|~{3,})/.exec(lines[i]!);
  if (fence) {
    const body: string[] = [];
    let j = i + 1;
    while (j < lines.length && !new RegExp(`^[ \\t]*${fence[1]![0] === '`' ? '`' : '~'}{${fence[1]!.length},}[ \\t]*$`).test(lines[j]!))
      body.push(lines[j++]!);
    return { text: body.join('\n'), next: j + 1 };
  }
  if (/^(?: {4}|\t)/.test(lines[i]!)) {
    const body: string[] = [];
    let j = i;
    while (j < lines.length && (/^(?: {4}|\t)/.test(lines[j]!) || (!lines[j]!.trim() && /^(?: {4}|\t)/.test(lines[j + 1] ?? ''))))
      body.push(lines[j++]!.replace(/^(?: {4}|\t)/, ''));
    return { text: body.join('\n'), next: j };
  }
  if (isHeading(lines[i]!)) return undefined;
  const body: string[] = [];
  let j = i;
  for (; j < lines.length; j++) {
    const l = lines[j]!;
    if (isHeading(l) || STOP.test(l)) break;
    if (kind === 'output' && !l.trim()) break;
    body.push(l);
  }
  while (body.length && !body[body.length - 1]!.trim()) body.pop();
  // an "Input" section that describes the input in sentences is not an example
  if (body.some((l) => /\b[a-z]{2,}[ \t]+[a-z]{2,}[ \t]+[a-z]{2,}/i.test(l))) return undefined;
  return body.length ? { text: body.join('\n'), next: j } : undefined;
}

function withNewline(s: string): string {
  const t = s.replace(/\s+$/, '');
  return t ? `${t}\n` : '';
}
