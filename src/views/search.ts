import * as vscode from 'vscode';
import { CandidatesRequest, MaxPageSize, ProblemsRequest, type CandidateSummary, type ProblemSummary } from '../../contract/lsp';
import { describe, ServerDownError, type Session } from '../client/session';

/** Candidates listed in the search, most suspicious first; the rest are reached through their problem. */
export const SearchCandidateLimit = 20_000;

export interface SearchItem extends vscode.QuickPickItem {
  readonly problem?: ProblemSummary;
  readonly candidate?: CandidateSummary;
}

const separator = (label: string): SearchItem => ({ label, kind: vscode.QuickPickItemKind.Separator });

function formatScore(p: number | undefined): string {
  return p === undefined ? '–' : p.toFixed(2);
}

export function problemItem(p: ProblemSummary): SearchItem {
  return {
    label: `$(symbol-namespace) ${p.title}`,
    description: p.title !== p.id ? p.id : '',
    detail: `${p.candidates} candidate${p.candidates === 1 ? '' : 's'} · ${p.hacks} called ${p.hacks === 1 ? 'a hack' : 'hacks'} · ${p.reviewed} reviewed · max ${formatScore(p.maxScore)}`,
    problem: p,
  };
}

export function candidateItem(c: CandidateSummary, problemTitle: string): SearchItem {
  const bits = [formatScore(c.hackProbability)];
  if (c.category && c.category !== 'none') bits.push(c.category);
  bits.push(c.verdict ? `verdict: ${c.verdict}` : 'unreviewed');
  if (c.promptVariant) bits.push(c.promptVariant);
  if (c.model) bits.push(c.model);
  return {
    label: `$(${c.verdict ? 'pass' : c.isHack ? 'bug' : 'file-code'}) ${c.id}`,
    description: `${c.problemId}${problemTitle !== c.problemId ? ` — ${problemTitle}` : ''}`,
    detail: bits.join(' · '),
    candidate: c,
  };
}

/**
 * "Search Candidates and Problems": one quick pick over every problem (by its title and id) and the
 * most suspicious candidates (by id, problem, category, verdict, prompt variant and model), filled page by
 * page while it is open (busy until done). Answers the chosen row, or undefined when dismissed.
 */
export async function searchReviewSet(session: Session): Promise<SearchItem | undefined> {
  if (session.state !== 'running') throw new ServerDownError();
  const qp = vscode.window.createQuickPick<SearchItem>();
  qp.title = 'Search Candidates and Problems';
  qp.placeholder = 'Type a problem title or id, a candidate id, a category, a verdict, a model…';
  qp.matchOnDescription = true;
  qp.matchOnDetail = true;
  qp.busy = true;
  const cts = new vscode.CancellationTokenSource();
  const chosen = new Promise<SearchItem | undefined>((resolve) => {
    qp.onDidAccept(() => resolve(qp.selectedItems[0]));
    qp.onDidHide(() => resolve(undefined));
  });
  qp.show();
  const load = async (): Promise<void> => {
    const problems: SearchItem[] = [];
    const titles = new Map<string, string>();
    for (let offset = 0; !cts.token.isCancellationRequested; ) {
      const page = await session.request(ProblemsRequest, { offset, limit: MaxPageSize, sort: 'score' }, cts.token);
      for (const p of page.items) {
        titles.set(p.id, p.title);
        problems.push(problemItem(p));
      }
      offset += page.items.length;
      qp.items = [separator('problems'), ...problems];
      if (page.items.length === 0 || offset >= page.total) break;
    }
    const candidates: SearchItem[] = [];
    for (let offset = 0; !cts.token.isCancellationRequested && offset < SearchCandidateLimit; ) {
      const page = await session.request(CandidatesRequest, { offset, limit: MaxPageSize, sort: 'score', order: 'desc' }, cts.token);
      for (const c of page.items) candidates.push(candidateItem(c, titles.get(c.problemId) ?? c.problemId));
      offset += page.items.length;
      qp.items = [
        separator('problems'),
        ...problems,
        separator(offset < page.total ? `candidates (the ${offset} most suspicious of ${page.total})` : 'candidates'),
        ...candidates,
      ];
      if (page.items.length === 0 || offset >= page.total) break;
    }
  };
  const loading = load()
    .catch((err: unknown) => {
      if (cts.token.isCancellationRequested) return;
      session.log.warn(`search: ${describe(err)}`);
      qp.placeholder = `The list could not be loaded: ${describe(err)}`;
    })
    .finally(() => {
      qp.busy = false;
    });
  try {
    return await chosen;
  } finally {
    cts.cancel();
    await loading;
    cts.dispose();
    qp.dispose();
  }
}
