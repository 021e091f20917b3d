import * as vscode from 'vscode';
import type { CandidateDetail, TestView } from '../../contract/lsp';
import type { TestOutcome } from '../../contract/domain';
import type { CurrentCandidate } from '../review/current';

/**
 * The current candidate's problem tests, in their given order: role (incorrect tests marked), the
 * candidate's outcome and message. In Restricted Mode the view stays empty so that its welcome text
 * explains why no tests are run.
 */
/** One case of a multi-case stdin test (a count line `t`, then `t` independent cases), split on import. */
export interface CaseRow {
  readonly type: 'case';
  readonly parent: TestView;
  /** 1-based. */
  readonly index: number;
  readonly input: string;
  readonly expectedOutput: string;
}

type Row = TestView | CaseRow;

/** The cases of a stdin test whose example holds several (absent for single-case tests and asserts). */
export function casesOf(t: TestView): CaseRow[] {
  const cases = t.test.kind === 'stdio' ? t.test.cases : undefined;
  return (cases ?? []).map((c, i) => ({ type: 'case', parent: t, index: i + 1, input: c.input, expectedOutput: c.expectedOutput }));
}

export class TestsTree implements vscode.TreeDataProvider<Row>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private detail: CandidateDetail | undefined;
  readonly view: vscode.TreeView<Row>;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(current: CurrentCandidate) {
    this.view = vscode.window.createTreeView('loophole.tests', { treeDataProvider: this });
    this.disposables.push(
      this.emitter,
      this.view,
      current.onDidChange((d) => this.show(d)),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.emitter.fire(undefined)),
    );
  }

  private show(detail: CandidateDetail | undefined): void {
    this.detail = detail;
    if (!detail) {
      this.view.description = '';
    } else {
      const run = detail.tests.filter((t) => t.result);
      const passed = run.filter((t) => t.result?.outcome === 'pass').length;
      this.view.description = run.length ? `${detail.candidate.id}: ${passed}/${run.length} passed` : `${detail.candidate.id}: not run`;
    }
    this.emitter.fire(undefined);
  }

  getChildren(element?: Row): Row[] {
    if (!vscode.workspace.isTrusted || !this.detail) return [];
    if (element) return 'type' in element ? [] : casesOf(element);
    return [...this.detail.tests];
  }

  getTreeItem(row: Row): vscode.TreeItem {
    if ('type' in row) return this.caseItem(row);
    const t = row;
    const label = testLabel(t);
    const cases = casesOf(t);
    const item = new vscode.TreeItem(
      label,
      cases.length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None,
    );
    item.id = `t:${this.detail?.candidate.id}:${t.test.id}`;
    item.contextValue = `test.${t.test.role}`;
    item.iconPath = outcomeIcon(t.result?.outcome);
    const role = t.test.role === 'incorrect' ? '⚠ incorrect test' : t.test.role;
    const outcome = t.result ? `${t.result.outcome}${t.result.message ? `: ${firstLine(t.result.message)}` : ''}` : 'not run';
    item.description = `${role} · ${outcome}${cases.length ? ` · ${cases.length} cases` : ''}`;
    const md = new vscode.MarkdownString();
    md.appendMarkdown(`**${t.test.id}** — ${t.test.role}${t.test.role === 'incorrect' ? ' (a correct solution fails this test)' : ''}\n\n`);
    if (t.test.kind === 'assert') md.appendCodeblock(t.test.code, 'python');
    else {
      md.appendMarkdown('input:');
      md.appendCodeblock(t.test.input, 'text');
      md.appendMarkdown('expected output:');
      md.appendCodeblock(t.test.expectedOutput, 'text');
    }
    if (t.result) {
      md.appendMarkdown(`\n\noutcome: **${t.result.outcome}** in ${t.result.durationMs} ms\n\n`);
      if (t.result.message) md.appendCodeblock(t.result.message, 'text');
    }
    item.tooltip = md;
    return item;
  }

  private caseItem(c: CaseRow): vscode.TreeItem {
    const text = `case ${c.index}: stdin ${oneLine(c.input)}`;
    const item = new vscode.TreeItem(
      text.length > MaxLabel ? `${text.slice(0, MaxLabel - 1)}…` : text,
      vscode.TreeItemCollapsibleState.None,
    );
    item.id = `t:${this.detail?.candidate.id}:${c.parent.test.id}:case${c.index}`;
    item.contextValue = 'test.case';
    item.iconPath = new vscode.ThemeIcon('symbol-field');
    item.description = `→ ${oneLine(c.expectedOutput)}`;
    const md = new vscode.MarkdownString();
    md.appendMarkdown(`**${c.parent.test.id}**, case ${c.index}\n\ninput:`);
    md.appendCodeblock(c.input, 'text');
    md.appendMarkdown('expected output:');
    md.appendCodeblock(c.expectedOutput, 'text');
    item.tooltip = md;
    return item;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

function oneLine(s: string): string {
  return s.replace(/\n+$/, '').replace(/\r?\n/g, ' ⏎ ');
}

/** The longest test label shown; longer ones end in "…" and the tooltip has all of it. */
export const MaxLabel = 80;

/**
 * A test's row label: the assert, or the whole stdin on one line (line breaks as "⏎"), so two tests
 * that share a first line are told apart; truncated at `MaxLabel` characters.
 */
export function testLabel(t: TestView): string {
  const text = t.test.kind === 'assert' ? t.test.code.replace(/\s*\n\s*/g, ' ') : `stdin ${oneLine(t.test.input)}`;
  return text.length > MaxLabel ? `${text.slice(0, MaxLabel - 1)}…` : text;
}

function firstLine(s: string): string {
  const line = s.split('\n', 1)[0] ?? '';
  return line.length > 120 ? `${line.slice(0, 117)}…` : line;
}

function outcomeIcon(o: TestOutcome | undefined): vscode.ThemeIcon {
  switch (o) {
    case 'pass':
      return new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed'));
    case 'fail':
      return new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed'));
    case 'error':
      return new vscode.ThemeIcon('warning', new vscode.ThemeColor('testing.iconErrored'));
    case 'timeout':
      return new vscode.ThemeIcon('watch', new vscode.ThemeColor('testing.iconErrored'));
    default:
      return new vscode.ThemeIcon('circle-outline', new vscode.ThemeColor('testing.iconUnset'));
  }
}
