/**
 * How one candidate's analysis appears in an editor: diagnostics, hovers, code lenses and code actions.
 * Pure functions of a `CandidateDetail`, so that every LSP feature shows the same evidence.
 *
 * Line numbers: findings use 0-based inclusive lines into `Candidate.code`, which is the document's text,
 * so they map to LSP ranges one to one. `reasoning` findings index the reasoning, which is not in the
 * document; they are anchored on line 0 (the top of the candidate), where the code lens sits too.
 */
import {
  CodeAction,
  CodeActionKind,
  type CodeLens,
  type Diagnostic,
  DiagnosticSeverity,
  type Hover,
  MarkupKind,
  type Range,
} from 'vscode-languageserver/node';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Finding, Test } from '../../../contract/domain';
import { type CandidateDetail, Commands, DiagnosticSource, ServerCommands } from '../../../contract/lsp';
import { verdictOfEvidence, WeakWeight } from '../../../contract/wording';

/**
 * Whose commands lenses and actions carry: the client's own (`Commands`, registered by the VS Code
 * extension) or the server's (`ServerCommands`, run through `workspace/executeCommand` by any client).
 */
export type CommandFlavour = 'client' | 'server';

export { problemTitle, verdictOfEvidence, WeakWeight } from '../../../contract/wording';

/**
 * Severity by the finding's weight: strong evidence is an error-level mark, weak evidence information.
 * Never a hint: editors leave hints out of their problem lists, and weak evidence is still evidence the
 * reviewer should be able to find there.
 */
export function severityOf(weight: number): DiagnosticSeverity {
  if (weight >= 0.7) return DiagnosticSeverity.Error;
  if (weight >= 0.4) return DiagnosticSeverity.Warning;
  return DiagnosticSeverity.Information;
}

function linesOf(code: string): string[] {
  return code.split(/\r?\n/);
}

/** The finding's lines, whole, clamped to the document. */
export function rangeOf(f: Finding, lines: readonly string[]): Range {
  if (f.kind === 'reasoning') return { start: { line: 0, character: 0 }, end: { line: 0, character: lines[0]?.length ?? 0 } };
  const last = Math.max(0, lines.length - 1);
  const start = Math.min(Math.max(0, f.range.startLine), last);
  const end = Math.min(Math.max(start, f.range.endLine), last);
  return { start: { line: start, character: 0 }, end: { line: end, character: lines[end]?.length ?? 0 } };
}

function testOf(d: CandidateDetail, testId: string | undefined): Test | undefined {
  return testId === undefined ? undefined : d.tests.find((t) => t.test.id === testId)?.test;
}

function describeTest(t: Test): string {
  return t.kind === 'assert' ? t.code : `stdin ${JSON.stringify(t.input)} → ${JSON.stringify(t.expectedOutput)}`;
}

/** The one-line evidence appended to a diagnostic's message. */
function evidence(d: CandidateDetail, f: Finding): string {
  const parts: string[] = [];
  const test = testOf(d, f.testId);
  if (f.literal !== undefined) parts.push(`matches ${f.literal}${test ? ` from test ${test.id} (${test.role})` : ''}`);
  else if (test) parts.push(`test ${test.id} (${test.role})`);
  if (f.quote !== undefined) parts.push(`reasoning: “${f.quote}”`);
  return parts.length ? ` — ${parts.join('; ')}` : '';
}

/**
 * One diagnostic per finding. `relatedInformation` points at the test the finding refers to, in the
 * data file the problem came from (`Problem.source` = `file:line`), when that is known.
 */
export function diagnosticsOf(d: CandidateDetail, problemSource?: string, baseDir?: string): Diagnostic[] {
  const lines = linesOf(d.candidate.code);
  const sourceLoc = parseSource(problemSource, baseDir);
  /** Tests already linked on each line: an editor's hover shows every diagnostic of a line together. */
  const linked = new Map<number, Set<string>>();
  return d.findings.map((f) => {
    const test = testOf(d, f.testId);
    const diag: Diagnostic = {
      range: rangeOf(f, lines),
      severity: severityOf(f.weight),
      source: DiagnosticSource,
      code: f.kind,
      message: `${f.message}${evidence(d, f)}`,
      data: { candidateId: d.candidate.id, kind: f.kind },
    };
    const r = diag.range;
    const already = test
      ? Array.from({ length: r.end.line - r.start.line + 1 }, (_, i) => r.start.line + i).some((l) => linked.get(l)?.has(test.id))
      : false;
    if (test && !already) for (let l = r.start.line; l <= r.end.line; l++) linked.set(l, (linked.get(l) ?? new Set()).add(test.id));
    if (test && sourceLoc && !already) {
      diag.relatedInformation = [
        {
          location: {
            uri: sourceLoc.uri,
            range: { start: { line: sourceLoc.line, character: 0 }, end: { line: sourceLoc.line, character: 0 } },
          },
          message: `test ${test.id} (${test.role}): ${describeTest(test)}`,
        },
      ];
    }
    return diag;
  });
}

/** `file:line` (1-based) → a file URI and a 0-based line; a relative file is resolved against `baseDir`. */
function parseSource(source: string | undefined, baseDir: string | undefined): { uri: string; line: number } | undefined {
  if (!source) return undefined;
  const m = /^(.*):(\d+)$/.exec(source);
  const file = m ? m[1]! : source;
  if (!file) return undefined;
  const line = m ? Math.max(0, Number(m[2]) - 1) : 0;
  return { uri: pathToFileURL(path.resolve(baseDir ?? '.', file)).href, line };
}

/**
 * The evidence under the cursor: findings covering the line, each once (the same evidence found twice
 * is listed once), with the literal and the test they refer to; each test's text appears once, and not
 * at all when `testsInDiagnostics` (the diagnostics link it). The finding's sentence is left to the
 * diagnostic, which editors show in the same hover.
 */
export function hoverOf(d: CandidateDetail, line: number, opts: { testsInDiagnostics?: boolean } = {}): Hover | null {
  const lines = linesOf(d.candidate.code);
  const seen = new Set<string>();
  const here = d.findings.filter((f) => {
    const r = rangeOf(f, lines);
    if (line < r.start.line || line > r.end.line) return false;
    const key = JSON.stringify([f.kind, f.message, f.literal, f.testId, f.quote, f.range.startLine, f.range.endLine]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  if (here.length === 0) return null;
  const md: string[] = [];
  const tests: Test[] = [];
  for (const f of here) {
    const test = testOf(d, f.testId);
    const bits = [`**${f.kind}** · weight ${f.weight.toFixed(2)}${f.weight < WeakWeight ? ' (weak)' : ''}`];
    if (f.literal !== undefined) bits.push(`Literal matched: \`${f.literal}\`${test ? ` — from test \`${test.id}\` (${test.role})` : ''}`);
    else if (test) bits.push(`Test \`${test.id}\` (${test.role})`);
    if (f.kind === 'differential-coverage') {
      const reached = d.tests.filter((t) => t.result?.lines?.includes(line + 1)).map((t) => `\`${t.test.id}\` (${t.test.role})`);
      bits.push(reached.length ? `Line ${line + 1} is executed only by: ${reached.join(', ')}` : 'No recorded test executes this line.');
    }
    md.push(bits.join('  \n'));
    if (f.quote !== undefined) md.push(`> ${f.quote.replace(/\n/g, '\n> ')}`);
    if (test && !tests.includes(test)) tests.push(test);
  }
  // Where the diagnostics link each test (their related information, shown in the same hover), the
  // hover does not print the test a second time.
  if (tests.length && !opts.testsInDiagnostics) md.push('```python\n' + tests.map(describeTest).join('\n') + '\n```');
  const r = here.map((f) => rangeOf(f, lines));
  return {
    contents: { kind: MarkupKind.Markdown, value: md.join('\n\n') },
    range: {
      start: r.reduce((a, b) => (b.start.line < a.start.line ? b : a)).start,
      end: r.reduce((a, b) => (b.end.line > a.end.line ? b : a)).end,
    },
  };
}

function verdictText(d: CandidateDetail): string {
  if (!d.verdict) return 'Unreviewed';
  return `Verdict: ${d.verdict.label} (${d.verdict.reviewer})${d.verdict.note ? ` — ${d.verdict.note}` : ''}`;
}

/** Lenses on line 0: the score and category, the verdict, and one lens per verdict command. */
export function codeLensesOf(d: CandidateDetail, flavour: CommandFlavour = 'client'): CodeLens[] {
  const range: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  const id = d.candidate.id;
  const score = d.analysed
    ? `Hack score ${(d.hackProbability ?? 0).toFixed(2)} · ${verdictOfEvidence(d)}${d.isHack ? ' · flagged' : ''}`
    : 'Not analysed';
  if (flavour === 'server') {
    return [
      { range, command: { title: score, command: ServerCommands.show, arguments: [id] } },
      { range, command: { title: verdictText(d), command: ServerCommands.show, arguments: [id] } },
      { range, command: { title: 'Mark hack', command: ServerCommands.verdict, arguments: [id, 'hack'] } },
      { range, command: { title: 'Mark clean', command: ServerCommands.verdict, arguments: [id, 'clean'] } },
      { range, command: { title: 'Unsure', command: ServerCommands.verdict, arguments: [id, 'unsure'] } },
      { range, command: { title: 'Next unreviewed', command: ServerCommands.next, arguments: [id] } },
    ];
  }
  return [
    { range, command: { title: score, command: Commands.openProblemPanel, arguments: [d.problem.id] } },
    { range, command: { title: verdictText(d), command: Commands.showVerdictHistory, arguments: [id] } },
    { range, command: { title: 'Mark hack', command: Commands.verdictHack, arguments: [id] } },
    { range, command: { title: 'Mark clean', command: Commands.verdictClean, arguments: [id] } },
    { range, command: { title: 'Unsure', command: Commands.verdictUnsure, arguments: [id] } },
  ];
}

/** Verdict actions, offered anywhere in the document; tied to the Loophole diagnostics in the range. */
export function codeActionsOf(d: CandidateDetail, diagnostics: readonly Diagnostic[], flavour: CommandFlavour = 'client'): CodeAction[] {
  const ours = diagnostics.filter((x) => x.source === DiagnosticSource);
  const id = d.candidate.id;
  const label: Record<string, string> = {
    [Commands.verdictHack]: 'hack',
    [Commands.verdictClean]: 'clean',
    [Commands.verdictUnsure]: 'unsure',
  };
  const make = (title: string, command: string, preferred: boolean): CodeAction => {
    const a =
      flavour === 'server'
        ? CodeAction.create(title, { title, command: ServerCommands.verdict, arguments: [id, label[command]] }, CodeActionKind.QuickFix)
        : CodeAction.create(title, { title, command, arguments: [id] }, CodeActionKind.QuickFix);
    if (ours.length) a.diagnostics = ours;
    if (preferred) a.isPreferred = true;
    return a;
  };
  return [
    make('Loophole: mark this candidate as a hack', Commands.verdictHack, ours.length > 0),
    make('Loophole: mark this candidate as clean', Commands.verdictClean, false),
    make('Loophole: mark this candidate as unsure', Commands.verdictUnsure, false),
  ];
}
