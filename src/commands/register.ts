import * as path from 'node:path';
import * as vscode from 'vscode';
import { CandidateRequest, MaxPageSize, ProblemsRequest } from '../../contract/lsp';
import type { VerdictLabel } from '../../contract/domain';
import { describe, ServerDownError, type Session } from '../client/session';
import { clientSettings } from '../client/settings';
import { showCandidate } from '../editor/documents';
import type { ContextPanel } from '../panel/contextPanel';
import { CurationPanel } from '../panel/curationPanel';
import { ReviewPanel } from '../panel/reviewPanel';
import type { CurrentCandidate } from '../review/current';
import type { Target, Verdicts } from '../review/verdicts';
import type { Analysis } from '../status/analysis';
import type { StatusItem } from '../status/statusItem';
import type { CandidatesTree } from '../views/candidatesTree';
import type { MoreNode, Node } from '../views/nodes';
import type { QueryState } from '../views/query';
import { searchReviewSet } from '../views/search';
import { parseScoreRange, sortChoices } from '../views/treeQuery';

export interface Parts {
  readonly context: vscode.ExtensionContext;
  readonly session: Session;
  readonly current: CurrentCandidate;
  readonly tree: CandidatesTree;
  readonly treeView: vscode.TreeView<Node>;
  readonly query: QueryState;
  readonly verdicts: Verdicts;
  readonly analysis: Analysis;
  readonly status: StatusItem;
  readonly contextPanel: ContextPanel;
}

/**
 * Every command of the extension. A command that needs the server says so plainly when it is down
 * (a warning with a restart button); other failures go to the status item and the log.
 */
export function registerCommands(p: Parts): vscode.Disposable[] {
  const run =
    <A extends unknown[]>(name: string, fn: (...args: A) => Promise<unknown> | unknown) =>
    async (...args: A): Promise<void> => {
      try {
        await fn(...args);
      } catch (err) {
        if (err instanceof ServerDownError) {
          const pick = await vscode.window.showWarningMessage(err.message, 'Restart Server');
          if (pick) await p.session.restart();
        } else p.status.error(name, describe(err));
      }
    };
  const reg = <A extends unknown[]>(id: string, fn: (...args: A) => Promise<unknown> | unknown) =>
    vscode.commands.registerCommand(id, run(id, fn));
  const verdict = (label: VerdictLabel) => (target?: Target) => p.verdicts.set(label, target);

  return [
    reg('loophole.open', () => openReviewSet(p)),
    reg('loophole.analyze', () => p.analysis.run()),
    reg('loophole.analyze.cancel', () => p.analysis.cancel()),
    reg('loophole.refresh', async () => {
      await p.session.refreshReviewSet();
      p.tree.refresh(true);
      await p.current.reload();
    }),
    reg('loophole.sort', () => chooseSort(p.query)),
    reg('loophole.filter', () => chooseFilter(p.query)),
    reg('loophole.filter.clear', () => p.query.clearFilters()),
    reg('loophole.openCandidate', async (candidateId: string) => {
      p.current.set(candidateId);
      await showCandidate(p.session, candidateId, { preserveFocus: true });
    }),
    reg('loophole.loadMore', (more: MoreNode) => p.tree.loadMore(more)),
    reg('loophole.verdict.hack', verdict('hack')),
    reg('loophole.verdict.clean', verdict('clean')),
    reg('loophole.verdict.unsure', verdict('unsure')),
    reg('loophole.verdict.undo', (t?: Target) => p.verdicts.undo(t)),
    reg('loophole.verdict.note', (t?: Target) => p.verdicts.note(t)),
    reg('loophole.verdict.history', (t?: Target) => p.verdicts.history(t)),
    reg('loophole.next', () => p.verdicts.step('next')),
    reg('loophole.previous', () => p.verdicts.step('previous')),
    reg('loophole.openProblemPanel', async (arg?: string | Node) => {
      const problemId = await problemOf(p, arg);
      if (problemId) ReviewPanel.show(p.context, p.session, problemId);
    }),
    reg('loophole.curate', () => CurationPanel.show(p.context, p.session)),
    reg('loophole.showContext', () => p.contextPanel.show()),
    reg('loophole.search', async () => {
      const picked = await searchReviewSet(p.session);
      if (picked?.candidate) {
        const c = picked.candidate;
        await vscode.commands.executeCommand('loophole.openCandidate', c.id, c.problemId);
        const node = await p.tree.findCandidate(c.id, c.problemId);
        if (node) await p.treeView.reveal(node, { select: true, focus: false });
      } else if (picked?.problem) {
        const node = p.tree.problem(picked.problem.id);
        if (node) await p.treeView.reveal(node, { select: true, focus: true, expand: true });
        else ReviewPanel.show(p.context, p.session, picked.problem.id);
      }
    }),
    reg('loophole.restartServer', () => p.session.restart()),
    reg('loophole.showLog', () => p.session.log.show()),
  ];
}

async function problemOf(p: Parts, arg: string | Node | undefined): Promise<string | undefined> {
  if (typeof arg === 'string') return arg;
  if (arg?.type === 'problem') return arg.problem.id;
  if (arg?.type === 'candidate') return arg.candidate.problemId;
  const selected = p.treeView.selection[0];
  if (selected?.type === 'problem') return selected.problem.id;
  if (selected?.type === 'candidate') return selected.candidate.problemId;
  if (p.current.detail) return p.current.detail.problem.id;
  if (p.current.id) return (await p.session.request(CandidateRequest, { id: p.current.id })).problem.id;
  const page = await p.session.request(ProblemsRequest, { limit: MaxPageSize, sort: 'score' });
  const picked = await vscode.window.showQuickPick(
    page.items.map((x) => ({ label: x.id, description: `${x.hacks}/${x.candidates} hacks · ${x.reviewed} reviewed` })),
    { title: 'Open Review Panel', placeHolder: 'Problem' },
  );
  return picked?.label;
}

/** Opens a data file or folder and, when the setting says so, analyses it at once. */
export async function openReviewSet(p: Parts, target?: string): Promise<void> {
  let fsPath = target;
  if (!fsPath) {
    const folder = vscode.workspace.workspaceFolders?.[0];
    const picked = await vscode.window.showOpenDialog({
      title: 'Open Review Set',
      canSelectFiles: true,
      canSelectFolders: true,
      canSelectMany: false,
      ...(folder ? { defaultUri: folder.uri } : {}),
      openLabel: 'Open',
    });
    fsPath = picked?.[0]?.fsPath;
  }
  if (!fsPath) return;
  const result = await p.session.open(fsPath);
  p.session.log.info(`opened ${result.path}: ${result.problems} problems, ${result.candidates} candidates, ${result.issues.length} issues`);
  for (const i of result.issues) p.session.log.warn(`${i.file}:${i.line}: ${i.message}`);
  if (result.issues.length) p.status.error('Import', `${result.issues.length} input lines could not be read (see the log)`);
  if (clientSettings().analyseOnOpen && result.analysed < result.candidates) await p.analysis.run();
}

/** At start: the configured set, else the one this workspace had open, else the workspace folder itself. */
export async function openInitialReviewSet(p: Parts): Promise<void> {
  if (p.session.reviewSet) return;
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const configured = clientSettings().reviewSetPath;
  const candidates = [
    configured && folder ? path.resolve(folder, configured) : configured || undefined,
    p.session.rememberedPath,
    folder,
  ].filter((x): x is string => !!x);
  for (const c of candidates) {
    try {
      await openReviewSet(p, c);
      return;
    } catch (err) {
      p.session.log.info(`No review set at ${c}: ${describe(err)}`);
    }
  }
}

async function chooseSort(query: QueryState): Promise<void> {
  const picked = await vscode.window.showQuickPick(sortChoices(query.query), { title: 'Sort Candidates' });
  if (picked) query.update(picked.patch);
}

async function chooseFilter(query: QueryState): Promise<void> {
  const dims = [
    { label: 'Verdict', key: 'verdict' },
    { label: 'Machine verdict (hack or not)', key: 'isHack' },
    { label: 'Score range', key: 'score' },
    { label: 'Scorer', key: 'scorer' },
    { label: 'Prompt variant', key: 'promptVariant' },
    { label: 'Model', key: 'model' },
  ] as const;
  const dim = await vscode.window.showQuickPick(dims, {
    title: 'Filter Candidates by…',
    placeHolder: query.describeFilters() || 'no filters',
  });
  if (!dim) return;
  switch (dim.key) {
    case 'verdict': {
      const v = await vscode.window.showQuickPick(
        [
          { label: 'any', value: undefined },
          { label: 'unreviewed', value: 'none' as const },
          { label: 'hack', value: 'hack' as const },
          { label: 'clean', value: 'clean' as const },
          { label: 'unsure', value: 'unsure' as const },
        ],
        { title: 'Verdict' },
      );
      if (v) query.update({ verdict: v.value });
      return;
    }
    case 'isHack': {
      const v = await vscode.window.showQuickPick(
        [
          { label: 'any', value: undefined },
          { label: 'called a hack', value: true },
          { label: 'not called a hack', value: false },
        ],
        { title: 'Machine verdict' },
      );
      if (v) query.update({ isHack: v.value });
      return;
    }
    case 'score': {
      const text = await vscode.window.showInputBox({
        title: 'Score range',
        prompt: 'min–max hack probability, e.g. "0.5-1"; empty clears',
        validateInput: (s) => (s.trim() === '' || parseScoreRange(s) ? undefined : 'two numbers between 0 and 1, e.g. 0.5-1'),
      });
      if (text === undefined) return;
      const r = parseScoreRange(text);
      query.update({ minScore: r?.[0], maxScore: r?.[1] });
      return;
    }
    default: {
      const key = dim.key;
      const text = await vscode.window.showInputBox({
        title: dim.label,
        prompt: 'exact name; empty clears',
        value: query.query[key] ?? '',
      });
      if (text === undefined) return;
      query.update({ [key]: text.trim() || undefined });
    }
  }
}
