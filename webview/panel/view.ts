import type { PanelCandidate, ProblemPanel } from '../../server/src/lsp/protocol';
import type { Finding, TestOutcome, VerdictLabel } from '../../server/src/core/types';
import { inlineParts, problemTitle, reasoningMarks, verdictOfEvidence, WeakWeight } from '../../server/src/lsp/wording';
import { renderDiff } from './diffView';
import { h } from './dom';

/**
 * Which foldable parts the reviewer has open, kept across re-renders (a verdict re-renders the panel):
 * the statement starts open; a candidate's reasoning by `reasoning:<id>`.
 */
const openParts = new Set<string>(['statement']);

function foldable(key: string, summary: string, body: HTMLElement, attrs: Record<string, string> = {}): HTMLElement {
  const d = h('details', { ...attrs, ...(openParts.has(key) ? { open: '' } : {}) }, h('summary', {}, summary), body);
  d.addEventListener('toggle', () => {
    if ((d as HTMLDetailsElement).open) openParts.add(key);
    else openParts.delete(key);
  });
  return d;
}

/** A message with its `inline code` rendered as code, not as backticks. */
export function richText(s: string): (Node | string)[] {
  return inlineParts(s).map((p) => (p.code ? h('code', {}, p.text) : p.text));
}

/** The reasoning in full, the flagged passages marked where they stand. */
function reasoningBlock(reasoning: string, findings: readonly Finding[]): HTMLElement {
  const pre = h('pre', { class: 'reasoning' });
  let at = 0;
  for (const m of reasoningMarks(reasoning, findings)) {
    pre.append(reasoning.slice(at, m.start), h('mark', { title: m.finding.message }, reasoning.slice(m.start, m.end)));
    at = m.end;
  }
  pre.append(reasoning.slice(at));
  return pre;
}

function where(f: Finding): string {
  if (f.kind === 'reasoning') return 'reasoning';
  return f.range.startLine === f.range.endLine ? `line ${f.range.startLine + 1}` : `lines ${f.range.startLine + 1}–${f.range.endLine + 1}`;
}

/** What the view needs from the page's controller. */
export interface Actions {
  verdict(candidateId: string, label: VerdictLabel): void;
  pick(candidateId: string | null): void;
  open(candidateId: string): void;
  refresh(): void;
}

/** The two candidates the diff compares; kept across re-renders. */
export interface DiffChoice {
  a?: string | undefined;
  b?: string | undefined;
}

const outcomeMark: Record<TestOutcome, string> = { pass: '✓', fail: '✗', error: '!', timeout: '⏱' };

export function renderPanel(data: ProblemPanel, actions: Actions, diff: DiffChoice, busy: boolean): HTMLElement {
  const root = h('div', { class: 'panel' });
  root.append(header(data, actions, busy));
  root.append(section('Candidates', candidateColumns(data, actions)));
  root.append(section('Test matrix', testMatrix(data)));
  root.append(section('Scores', scoreTable(data)));
  root.append(section('Diff', diffSection(data, diff)));
  return root;
}

function header(data: ProblemPanel, actions: Actions, busy: boolean): HTMLElement {
  const refresh = h('vscode-button', { secondary: '', icon: 'refresh' }, 'Refresh');
  refresh.addEventListener('click', () => actions.refresh());
  const hacks = data.candidates.filter((c) => c.isHack).length;
  const title = problemTitle(data.problem.statement, data.problem.id, 100);
  return h(
    'header',
    {},
    h('h1', { 'data-testid': 'problem-title' }, title),
    h(
      'p',
      { class: 'meta' },
      `problem ${data.problem.id} · ${data.candidates.length} candidates · ${hacks} called hacks · ${data.problem.tests.length} tests · pick: ${data.pick ?? 'none'}`,
      busy ? h('span', { class: 'busy' }, ' · refreshing…') : undefined,
    ),
    foldable('statement', 'Statement', h('pre', { class: 'statement' }, data.problem.statement), { 'data-testid': 'statement' }),
    refresh,
  );
}

function section(title: string, body: HTMLElement): HTMLElement {
  return h('section', { 'data-section': title.toLowerCase().replace(/\s+/g, '-') }, h('h2', {}, title), body);
}

function columnTitle(c: PanelCandidate): string {
  return c.sampleIndex !== undefined ? `#${c.sampleIndex} ${c.id}` : c.id;
}

function candidateColumns(data: ProblemPanel, actions: Actions): HTMLElement {
  const grid = h('div', { class: 'columns' });
  for (const c of data.candidates) {
    // Strong evidence marks a line as flagged; weak evidence (below WeakWeight) only underlines it.
    const strength = new Map<number, 'flagged' | 'weak'>();
    for (const f of c.findings) {
      if (f.kind === 'reasoning') continue;
      for (let l = f.range.startLine; l <= f.range.endLine; l++)
        if (f.weight >= WeakWeight || !strength.has(l)) strength.set(l, f.weight >= WeakWeight ? 'flagged' : 'weak');
    }
    const code = h('pre', { class: 'code' });
    c.code.split('\n').forEach((line, i) => {
      const f = c.findings.find((x) => x.kind !== 'reasoning' && i >= x.range.startLine && i <= x.range.endLine);
      const mark = strength.get(i);
      code.append(h('div', { class: mark ? `line ${mark}` : 'line', title: f?.message, 'data-line': String(i + 1) }, line || ' '));
    });
    const btn = (label: string, onClick: () => void, attrs: Record<string, string> = {}) => {
      const b = h('vscode-button', attrs, label);
      b.addEventListener('click', onClick);
      return b;
    };
    const picked = data.pick === c.id;
    const col = h(
      'article',
      { class: `column${c.isHack ? ' hack' : ''}${picked ? ' picked' : ''}`, 'data-candidate': c.id },
      h(
        'div',
        { class: 'col-head' },
        h('strong', {}, columnTitle(c)),
        h(
          'vscode-badge',
          { variant: c.isHack ? 'counter' : 'default', title: 'hack probability' },
          c.hackProbability === undefined ? '–' : c.hackProbability.toFixed(2),
        ),
        h(
          'span',
          { class: c.analysed && !c.isHack && c.findings.length ? 'category uncertain' : 'category' },
          c.analysed ? verdictOfEvidence(c).replace(/^no evidence$/, '') : '',
        ),
        h('span', { class: `verdict verdict-${c.verdict?.label ?? 'none'}` }, c.verdict ? `verdict: ${c.verdict.label}` : 'unreviewed'),
        picked ? h('span', { class: 'pick-mark' }, '★ picked') : undefined,
      ),
      h('div', { class: 'col-meta' }, [c.promptVariant, c.model].filter(Boolean).join(' · ')),
      h(
        'div',
        { class: 'col-actions' },
        btn('Open', () => actions.open(c.id), { secondary: '' }),
        btn('Hack', () => actions.verdict(c.id, 'hack'), { secondary: '' }),
        btn('Clean', () => actions.verdict(c.id, 'clean'), { secondary: '' }),
        picked ? btn('Unpick', () => actions.pick(null), { secondary: '' }) : btn('Pick as best', () => actions.pick(c.id)),
      ),
      code,
      c.reasoning?.trim()
        ? foldable(
            `reasoning:${c.id}`,
            `Reasoning${c.findings.some((f) => f.kind === 'reasoning') ? ' (flagged passages marked)' : ''}`,
            reasoningBlock(
              c.reasoning,
              c.findings.filter((f) => f.kind === 'reasoning'),
            ),
            { class: 'reasoning-fold' },
          )
        : undefined,
      c.findings.length
        ? h(
            'ul',
            { class: 'findings' },
            ...uniqueFindings(c.findings).map((f) => h('li', {}, h('b', {}, f.kind), ` (${where(f)}): `, ...richText(f.message))),
          )
        : undefined,
    );
    grid.append(col);
  }
  return grid;
}

/** The same evidence found twice is listed once. */
function uniqueFindings(findings: readonly Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = JSON.stringify([f.kind, f.message, f.literal, f.testId, f.quote, f.range.startLine, f.range.endLine]);
    return seen.has(key) ? false : (seen.add(key), true);
  });
}

function testMatrix(data: ProblemPanel): HTMLElement {
  const table = h('table', { class: 'matrix', 'data-testid': 'test-matrix' });
  table.append(
    h(
      'thead',
      {},
      h('tr', {}, h('th', {}, 'test'), h('th', {}, 'role'), ...data.candidates.map((c) => h('th', { title: c.id }, columnTitle(c)))),
    ),
  );
  const body = h('tbody');
  for (const t of data.problem.tests) {
    const text = t.kind === 'assert' ? t.code : `stdin: ${t.input}`;
    const row = h(
      'tr',
      { class: `role-${t.role}` },
      h('td', { class: 'test-code', title: text }, text),
      h('td', {}, t.role === 'incorrect' ? '⚠ incorrect' : t.role),
    );
    for (const c of data.candidates) {
      const o = c.outcomes[t.id];
      row.append(h('td', { class: `outcome outcome-${o ?? 'none'}`, title: o ?? 'not run' }, o ? outcomeMark[o] : '–'));
    }
    body.append(row);
  }
  table.append(body);
  return table;
}

function scoreTable(data: ProblemPanel): HTMLElement {
  const table = h('table', { class: 'scores', 'data-testid': 'scores' });
  table.append(h('thead', {}, h('tr', {}, h('th', {}, 'scorer'), ...data.candidates.map((c) => h('th', { title: c.id }, columnTitle(c))))));
  const body = h('tbody');
  for (const scorer of data.scorers) {
    const row = h('tr', {}, h('td', {}, scorer));
    for (const c of data.candidates) {
      const s = c.scores.find((x) => x.scorer === scorer);
      row.append(h('td', { class: 'score', title: s?.rationale ?? '' }, s ? s.probability.toFixed(2) : '–'));
    }
    body.append(row);
  }
  table.append(body);
  return table;
}

function diffSection(data: ProblemPanel, choice: DiffChoice): HTMLElement {
  const wrap = h('div', { class: 'diff-wrap' });
  if (data.candidates.length < 2) {
    wrap.append(h('p', {}, 'Only one candidate: nothing to compare.'));
    return wrap;
  }
  const ids = data.candidates.map((c) => c.id);
  if (!choice.a || !ids.includes(choice.a)) choice.a = ids[0];
  if (!choice.b || !ids.includes(choice.b)) choice.b = ids.find((id) => id !== choice.a);
  const out = h('div', { class: 'diff-out' });
  const draw = () => {
    const a = data.candidates.find((c) => c.id === choice.a);
    const b = data.candidates.find((c) => c.id === choice.b);
    out.replaceChildren(a && b ? renderDiff(a.id, a.code, b.id, b.code) : h('p', {}, 'Choose two candidates.'));
  };
  const select = (which: 'a' | 'b') => {
    const sel = h('vscode-single-select', { 'data-testid': `diff-${which}` });
    for (const c of data.candidates)
      sel.append(h('vscode-option', { value: c.id, ...(choice[which] === c.id ? { selected: '' } : {}) }, columnTitle(c)));
    sel.addEventListener('change', () => {
      choice[which] = (sel as unknown as { value: string }).value;
      draw();
    });
    return sel;
  };
  wrap.append(h('div', { class: 'diff-pick' }, h('label', {}, 'from '), select('a'), h('label', {}, ' to '), select('b')), out);
  draw();
  return wrap;
}
