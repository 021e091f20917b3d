import * as vscode from 'vscode';
import { Session } from './client/session';
import { openInitialReviewSet, registerCommands, type Parts } from './commands/register';
import { SpecialCaseDecorations } from './editor/decorations';
import { CandidateDocuments, reserveColumn } from './editor/documents';
import { ContextPanel } from './panel/contextPanel';
import { registerJobs } from './jobs/commands';
import { CurrentCandidate } from './review/current';
import { Verdicts } from './review/verdicts';
import { Analysis } from './status/analysis';
import { StatusItem, summary } from './status/statusItem';
import { CandidatesTree } from './views/candidatesTree';
import type { Node } from './views/nodes';
import { QueryState } from './views/query';
import { TestsTree } from './views/testsTree';

/**
 * Wires the client together. Everything created here lives as long as the extension and is disposed
 * through `context.subscriptions`; what belongs to one server session lives in `Session`.
 */
export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const log = vscode.window.createOutputChannel('Loophole', { log: true });
  const session = new Session(context, log);
  const query = new QueryState(context.workspaceState);
  const current = new CurrentCandidate(session, context.workspaceState);
  const tree = new CandidatesTree(session, query);
  const treeView = vscode.window.createTreeView<Node>('loophole.candidates', { treeDataProvider: tree, showCollapseAll: true });
  const status = new StatusItem(session);
  const analysis = new Analysis(session, status);
  const verdicts = new Verdicts(session, current, tree, treeView as vscode.TreeView<unknown>, query);
  const contextPanel = new ContextPanel(current);
  reserveColumn(() => contextPanel.column);
  const parts: Parts = { context, session, current, tree, treeView, query, verdicts, analysis, status, contextPanel };

  const describeView = () => {
    const rs = session.reviewSet;
    const filters = query.describeFilters();
    treeView.description = [rs ? summary(rs) : undefined, filters ? `filtered: ${filters}` : undefined].filter(Boolean).join(' · ');
    // An empty message shows none (and lets the welcome content show).
    treeView.message =
      vscode.workspace.isTrusted || !rs ? '' : 'Restricted Mode: candidate code is never run here; analysis is static only.';
  };

  context.subscriptions.push(
    log,
    session,
    query,
    current,
    contextPanel,
    tree,
    treeView,
    status,
    analysis,
    new TestsTree(current),
    new CandidateDocuments(session),
    new SpecialCaseDecorations(context.extensionUri, current),
    ...registerCommands(parts),
    ...registerJobs(context, session),
    treeView.onDidChangeSelection((e) => {
      const n = e.selection[0];
      if (n?.type === 'candidate') current.set(n.candidate.id);
    }),
    session.onDidChangeReviewSet(describeView),
    query.onDidChange(describeView),
    vscode.workspace.onDidGrantWorkspaceTrust(describeView),
    session.onDidChangeState((s) => {
      if (s === 'running') void openInitialReviewSet(parts).catch((err: unknown) => status.error('Open', String(err)));
    }),
  );
  describeView();
  await vscode.commands.executeCommand('setContext', 'loophole.analysing', false);
  await session.start();
}

export function deactivate(): void {
  // Disposal of context.subscriptions stops the server.
}
