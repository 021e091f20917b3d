import * as vscode from 'vscode';
import type { CandidateSummary, ProblemSummary } from '../../contract/lsp';

/** The rows of the Candidates tree. `key` is stable across refreshes so expansion and selection stay. */
export type Node = ProblemNode | CandidateNode | MoreNode;

export interface ProblemNode {
  readonly type: 'problem';
  readonly key: string;
  readonly problem: ProblemSummary;
}

export interface CandidateNode {
  readonly type: 'candidate';
  readonly key: string;
  readonly candidate: CandidateSummary;
  /** The problem row it hangs under; undefined in the flat grouping. */
  readonly parent: ProblemNode | undefined;
}

/** "Load more…": the next page of its parent's children. */
export interface MoreNode {
  readonly type: 'more';
  readonly key: string;
  readonly parent: ProblemNode | undefined;
  readonly loaded: number;
  readonly total: number;
}

export function problemNode(problem: ProblemSummary): ProblemNode {
  return { type: 'problem', key: `p:${problem.id}`, problem };
}

export function candidateNode(candidate: CandidateSummary, parent: ProblemNode | undefined): CandidateNode {
  return { type: 'candidate', key: `c:${candidate.id}`, candidate, parent };
}

export function formatScore(p: number | undefined): string {
  return p === undefined ? '–' : p.toFixed(2);
}

const verdictIcons = {
  hack: new vscode.ThemeIcon('bug', new vscode.ThemeColor('errorForeground')),
  clean: new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed')),
  unsure: new vscode.ThemeIcon('question', new vscode.ThemeColor('editorWarning.foreground')),
} as const;

/** The icon says the person's verdict first; unreviewed rows show what the machine thinks. */
export function candidateIcon(c: CandidateSummary): vscode.ThemeIcon {
  if (c.verdict) return verdictIcons[c.verdict];
  if (c.isHack) return new vscode.ThemeIcon('warning', new vscode.ThemeColor('editorWarning.foreground'));
  if (c.hackProbability === undefined) return new vscode.ThemeIcon('circle-outline');
  return new vscode.ThemeIcon('circle-large-outline');
}

export function toTreeItem(node: Node): vscode.TreeItem {
  switch (node.type) {
    case 'problem': {
      const p = node.problem;
      // Named by what the statement says; the id (often a hash) follows in the description.
      const titled = p.title && p.title !== p.id;
      const item = new vscode.TreeItem(titled ? p.title : p.id, vscode.TreeItemCollapsibleState.Collapsed);
      item.id = node.key;
      item.contextValue = 'problem';
      item.iconPath = new vscode.ThemeIcon(p.hacks > 0 ? 'symbol-event' : 'symbol-namespace');
      item.description = `${titled ? `${p.id} · ` : ''}${p.hacks}/${p.candidates} hacks · ${p.reviewed} reviewed · max ${formatScore(p.maxScore)}`;
      item.tooltip = `${titled ? `${p.title}\n` : ''}${p.id} (${p.style}): ${p.candidates} candidates, ${p.hacks} called hacks, ${p.reviewed} reviewed`;
      return item;
    }
    case 'candidate': {
      const c = node.candidate;
      const label = c.sampleIndex !== undefined ? `#${c.sampleIndex} ${c.id}` : c.id;
      const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
      item.id = node.key;
      item.contextValue = c.verdict ? `candidate.${c.verdict}` : 'candidate';
      item.iconPath = candidateIcon(c);
      const bits = [formatScore(c.hackProbability)];
      if (c.category && c.category !== 'none') bits.push(c.category);
      else if (c.hackProbability !== undefined && !c.isHack && c.findingCount > 0)
        bits.push(`uncertain (${c.findingCount} weak sign${c.findingCount === 1 ? '' : 's'})`);
      if (c.passed !== undefined) bits.push(`${c.passed}/${c.passed + (c.failed ?? 0)} pass`);
      if (c.promptVariant) bits.push(c.promptVariant);
      if (!node.parent) bits.push(c.problemId);
      if (c.stale) bits.push('stale');
      item.description = bits.join(' · ');
      const md = new vscode.MarkdownString(undefined, true);
      md.appendMarkdown(`**${c.id}** (problem ${c.problemId})\n\n`);
      md.appendMarkdown(`hack probability: ${formatScore(c.hackProbability)}${c.isHack ? ' — **called a hack**' : ''}\n\n`);
      md.appendMarkdown(`category: ${c.category ?? '–'} · findings: ${c.findingCount} · verdict: ${c.verdict ?? 'unreviewed'}\n\n`);
      if (c.stale) md.appendMarkdown('**stale**: analysed by an older analyzer version; the next analyze run redoes it\n\n');
      if (c.promptVariant || c.model) md.appendMarkdown(`prompt: ${c.promptVariant ?? '–'} · model: ${c.model ?? '–'}`);
      item.tooltip = md;
      item.command = { command: 'loophole.openCandidate', title: 'Open Candidate', arguments: [c.id, c.problemId] };
      return item;
    }
    case 'more': {
      const item = new vscode.TreeItem(`Load more… (${node.loaded} of ${node.total})`, vscode.TreeItemCollapsibleState.None);
      item.id = node.key;
      item.contextValue = 'more';
      item.iconPath = new vscode.ThemeIcon('ellipsis');
      item.command = { command: 'loophole.loadMore', title: 'Load More', arguments: [node] };
      return item;
    }
  }
}
