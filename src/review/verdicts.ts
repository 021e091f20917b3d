import * as vscode from 'vscode';
import { CandidateRequest, NextUnreviewedRequest, SetVerdictRequest, UndoVerdictRequest, type VerdictResult } from '../../contract/lsp';
import type { VerdictLabel } from '../../contract/domain';
import type { Session } from '../client/session';
import { showCandidate } from '../editor/documents';
import type { CandidatesTree } from '../views/candidatesTree';
import type { CandidateNode } from '../views/nodes';
import type { QueryState } from '../views/query';
import { candidateQueryOf } from '../views/treeQuery';
import { describeOrder } from '../../contract/reviewOrder';
import type { CurrentCandidate } from './current';
import { forgetGiven, nextUndo, noteLabelOrder, recordGiven } from './undoOrder';

/** What a verdict command acts on: an explicit id (code lens, panel), a tree row, or the current candidate. */
export type Target = string | CandidateNode | undefined;

const labelIcon: Record<VerdictLabel, string> = { hack: '$(bug)', clean: '$(pass)', unsure: '$(question)' };

/**
 * The reviewer's keyboard loop: verdicts (durable when the server answers), undo as an appended
 * retraction, notes, history, and walking to the next/previous unreviewed candidate in the tree's order.
 *
 * Undo without a target (Alt+Z) undoes this window's most recent verdict, wherever the reviewer has
 * moved since, and goes back to that candidate; with a target (a tree row's menu) it undoes that one.
 */
export class Verdicts {
  /** Candidates given a verdict in this window, most recent last (see `nextUndo`). */
  private given: string[] = [];

  constructor(
    private readonly session: Session,
    private readonly current: CurrentCandidate,
    private readonly tree: CandidatesTree,
    private readonly treeView: vscode.TreeView<unknown>,
    private readonly query: QueryState,
  ) {}

  async set(label: VerdictLabel, target: Target, note?: string): Promise<VerdictResult | undefined> {
    const id = this.resolve(target);
    if (!id) return undefined;
    const r = await this.session.request(SetVerdictRequest, { candidateId: id, label, ...(note ? { note } : {}) });
    this.given = recordGiven(this.given, id);
    vscode.window.setStatusBarMessage(`${labelIcon[label]} ${id}: ${label}`, 3000);
    return r;
  }

  async undo(target: Target): Promise<void> {
    const last = target === undefined ? nextUndo(this.given) : undefined;
    const id = last ?? this.resolve(target);
    if (!id) return;
    const r = await this.session.request(UndoVerdictRequest, { candidateId: id });
    this.given = forgetGiven(this.given, id);
    vscode.window.setStatusBarMessage(`$(discard) ${id}: ${r.verdict ? `back to ${r.verdict.label}` : 'unreviewed'}`, 3000);
    if (last && last !== this.current.id) await this.goTo(last);
  }

  async note(target: Target): Promise<void> {
    const id = this.resolve(target);
    if (!id) return;
    const detail = await this.session.request(CandidateRequest, { id });
    const note = await vscode.window.showInputBox({
      title: `Note on ${id}`,
      prompt: 'Why? The note is kept with the verdict in its history.',
      value: detail.verdict?.note ?? '',
    });
    if (note === undefined) return;
    // The current verdict first, so that Enter keeps it and only adds the note.
    const labels = noteLabelOrder(detail.verdict?.label);
    const picked = await vscode.window.showQuickPick(
      labels.map((l) => ({ label: `${labelIcon[l]} ${l}`, value: l, ...(l === detail.verdict?.label ? { description: 'current' } : {}) })),
      { title: `Verdict on ${id}`, placeHolder: detail.verdict ? `now: ${detail.verdict.label}` : 'unreviewed: choose a verdict' },
    );
    if (!picked) return;
    await this.set(picked.value, id, note);
  }

  async history(target: Target): Promise<void> {
    const id = this.resolve(target);
    if (!id) return;
    const detail = await this.session.request(CandidateRequest, { id });
    const items = [...detail.history].reverse().map((r) => ({
      label: `${r.action === 'retract' ? '$(discard) retracted' : `${labelIcon[r.label]} ${r.label}`}`,
      description: `${r.reviewer} · ${new Date(r.at).toLocaleString()}`,
      ...(r.note !== undefined ? { detail: r.note } : {}),
    }));
    await vscode.window.showQuickPick(items.length ? items : [{ label: 'No verdicts yet', description: '' }], {
      title: `Verdict history of ${id} (newest first)`,
    });
  }

  /** Opens the next (previous) candidate without a verdict, in the tree's sort order. */
  async step(direction: 'next' | 'previous'): Promise<string | undefined> {
    const q = this.query.query;
    // The tree's whole order (grouping and filters too), which becomes the server's review order.
    const { offset: _o, limit: _l, ...order } = candidateQueryOf(q, { offset: 0, limit: 0 });
    const id = await this.session.request(NextUnreviewedRequest, {
      ...(this.current.id ? { from: this.current.id } : {}),
      direction,
      order: { ...order, grouping: q.grouping },
    });
    const words = describeOrder({ ...order, grouping: q.grouping });
    if (!id) {
      vscode.window.setStatusBarMessage(
        `$(check-all) No ${direction === 'next' ? 'further' : 'earlier'} unreviewed candidates in the tree's order (${words})`,
        4000,
      );
      return undefined;
    }
    await this.goTo(id);
    vscode.window.setStatusBarMessage(
      `$(arrow-${direction === 'next' ? 'down' : 'up'}) ${id} · ${direction} unreviewed in the tree's order (${words})`,
      3000,
    );
    return id;
  }

  /** Makes `id` current, opens it in the editor and selects its row when the tree is showing. */
  private async goTo(id: string): Promise<void> {
    const detail = await this.session.request(CandidateRequest, { id });
    this.current.set(id);
    await showCandidate(this.session, id, { uri: detail.uri });
    if (!this.treeView.visible) return;
    const node = await this.tree.findCandidate(id, detail.problem.id);
    if (node) await this.treeView.reveal(node, { select: true, focus: false });
  }

  private resolve(target: Target): string | undefined {
    if (typeof target === 'string') return target;
    if (target && typeof target === 'object' && target.type === 'candidate') return target.candidate.id;
    const selected = this.treeView.selection[0] as CandidateNode | undefined;
    const fromTree = this.treeView.visible && selected?.type === 'candidate' ? selected.candidate.id : undefined;
    const id = this.current.id ?? fromTree;
    if (!id) vscode.window.setStatusBarMessage('$(info) Open a candidate first', 3000);
    return id;
  }
}
