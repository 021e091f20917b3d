import { html, nothing, type TemplateResult } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import type { PanelCandidate, ProblemPanel } from '../../contract/lsp';
import type { Finding, TestOutcome, VerdictLabel } from '../../contract/domain';
import { inlineParts, problemTitle, reasoningMarks, verdictOfEvidence, WeakWeight } from '../../contract/wording';
import { renderDiff } from './diffView';

/**
 * Which foldable parts the reviewer has open, kept across re-renders (a verdict re-renders the panel):
 * the statement starts open; a candidate's reasoning by `reasoning:<id>`.
 */
const openParts = new Set<string>(['statement']);

function foldable(key: string, summary: string, body: TemplateResult, attrs: { testid?: string; class?: string } = {}): TemplateResult {
  const toggled = (e: Event) => {
    if ((e.currentTarget as HTMLDetailsElement).open) openParts.add(key);
    else openParts.delete(key);
  };
  return html`<details
    class=${ifDefined(attrs.class)}
    data-testid=${ifDefined(attrs.testid)}
    ?open=${openParts.has(key)}
    @toggle=${toggled}
  ><summary>${summary}</summary>${body}</details>`;
}

/** A message with its `inline code` rendered as code, not as backticks. */
export function richText(s: string): (TemplateResult | string)[] {
  return inlineParts(s).map((p) => (p.code ? html`<code>${p.text}</code>` : p.text));
}

/** The reasoning in full, the flagged passages marked where they stand. */
function reasoningBlock(reasoning: string, findings: readonly Finding[]): TemplateResult {
  const parts: (TemplateResult | string)[] = [];
  let at = 0;
  for (const m of reasoningMarks(reasoning, findings)) {
    parts.push(reasoning.slice(at, m.start), html`<mark title=${m.finding.message}>${reasoning.slice(m.start, m.end)}</mark>`);
    at = m.end;
  }
  parts.push(reasoning.slice(at));
  return html`<pre class="reasoning">${parts}</pre>`;
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
  /** Draws the panel again after a change only the view knows of (the diff's two candidates). */
  redraw(): void;
}

/** The two candidates the diff compares; kept across re-renders. */
export interface DiffChoice {
  a?: string | undefined;
  b?: string | undefined;
}

const outcomeMark: Record<TestOutcome, string> = { pass: '✓', fail: '✗', error: '!', timeout: '⏱' };

/** The panel; `tail` goes after the last section (the set-wide agreement). */
export function renderPanel(
  data: ProblemPanel,
  actions: Actions,
  diff: DiffChoice,
  busy: boolean,
  tail: TemplateResult | typeof nothing = nothing,
): TemplateResult {
  return html`<div class="panel">
    ${header(data, actions, busy)} ${section('Candidates', candidateColumns(data, actions))} ${section('Test matrix', testMatrix(data))}
    ${section('Scores', scoreTable(data))} ${section('Diff', diffSection(data, diff, actions))} ${tail}
  </div>`;
}

function header(data: ProblemPanel, actions: Actions, busy: boolean): TemplateResult {
  const hacks = data.candidates.filter((c) => c.isHack).length;
  const title = problemTitle(data.problem.statement, data.problem.id, 100);
  const meta = `problem ${data.problem.id} · ${data.candidates.length} candidates · ${hacks} called hacks · ${data.problem.tests.length} tests · pick: ${data.pick ?? 'none'}`;
  return html`<header>
    <h1 data-testid="problem-title">${title}</h1>
    <p class="meta">${meta}${busy ? html`<span class="busy"> · refreshing…</span>` : nothing}</p>
    ${foldable('statement', 'Statement', html`<pre class="statement">${data.problem.statement}</pre>`, { testid: 'statement' })}
    <vscode-button secondary icon="refresh" @click=${() => actions.refresh()}>Refresh</vscode-button>
  </header>`;
}

function section(title: string, body: TemplateResult): TemplateResult {
  return html`<section data-section=${title.toLowerCase().replace(/\s+/g, '-')}>
    <h2>${title}</h2>
    ${body}
  </section>`;
}

function columnTitle(c: PanelCandidate): string {
  return c.sampleIndex !== undefined ? `#${c.sampleIndex} ${c.id}` : c.id;
}

function candidateColumn(data: ProblemPanel, c: PanelCandidate, actions: Actions): TemplateResult {
  // Strong evidence marks a line as flagged; weak evidence (below WeakWeight) only underlines it.
  const strength = new Map<number, 'flagged' | 'weak'>();
  for (const f of c.findings) {
    if (f.kind === 'reasoning') continue;
    for (let l = f.range.startLine; l <= f.range.endLine; l++)
      if (f.weight >= WeakWeight || !strength.has(l)) strength.set(l, f.weight >= WeakWeight ? 'flagged' : 'weak');
  }
  const lines = c.code.split('\n').map((line, i) => {
    const f = c.findings.find((x) => x.kind !== 'reasoning' && i >= x.range.startLine && i <= x.range.endLine);
    const mark = strength.get(i);
    return html`<div class=${mark ? `line ${mark}` : 'line'} title=${ifDefined(f?.message)} data-line=${i + 1}>${line || ' '}</div>`;
  });
  const btn = (label: string, onClick: () => void, secondary = true) =>
    html`<vscode-button ?secondary=${secondary} @click=${onClick}>${label}</vscode-button>`;
  const picked = data.pick === c.id;
  const reasoningFindings = c.findings.filter((f) => f.kind === 'reasoning');
  return html`<article class=${`column${c.isHack ? ' hack' : ''}${picked ? ' picked' : ''}`} data-candidate=${c.id}>
    <div class="col-head">
      <strong>${columnTitle(c)}</strong>
      <vscode-badge variant=${c.isHack ? 'counter' : 'default'} title="hack probability"
        >${c.hackProbability === undefined ? '–' : c.hackProbability.toFixed(2)}</vscode-badge
      >
      <span class=${c.analysed && !c.isHack && c.findings.length ? 'category uncertain' : 'category'}
        >${c.analysed ? verdictOfEvidence(c).replace(/^no evidence$/, '') : ''}</span
      >
      <span class=${`verdict verdict-${c.verdict?.label ?? 'none'}`}>${c.verdict ? `verdict: ${c.verdict.label}` : 'unreviewed'}</span>
      ${picked ? html`<span class="pick-mark">★ picked</span>` : nothing}
    </div>
    <div class="col-meta">${[c.promptVariant, c.model].filter(Boolean).join(' · ')}</div>
    <div class="col-actions">
      ${btn('Open', () => actions.open(c.id))} ${btn('Hack', () => actions.verdict(c.id, 'hack'))}
      ${btn('Clean', () => actions.verdict(c.id, 'clean'))}
      ${picked ? btn('Unpick', () => actions.pick(null)) : btn('Pick as best', () => actions.pick(c.id), false)}
    </div>
    <pre class="code">${lines}</pre>
    ${
      c.reasoning?.trim()
        ? foldable(
            `reasoning:${c.id}`,
            `Reasoning${reasoningFindings.length ? ' (flagged passages marked)' : ''}`,
            reasoningBlock(c.reasoning, reasoningFindings),
            { class: 'reasoning-fold' },
          )
        : nothing
    }
    ${
      c.findings.length
        ? html`<ul class="findings">
          ${uniqueFindings(c.findings).map((f) => html`<li><b>${f.kind}</b> (${where(f)}): ${richText(f.message)}</li>`)}
        </ul>`
        : nothing
    }
  </article>`;
}

function candidateColumns(data: ProblemPanel, actions: Actions): TemplateResult {
  return html`<div class="columns">${data.candidates.map((c) => candidateColumn(data, c, actions))}</div>`;
}

/** The same evidence found twice is listed once. */
function uniqueFindings(findings: readonly Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = JSON.stringify([f.kind, f.message, f.literal, f.testId, f.quote, f.range.startLine, f.range.endLine]);
    return seen.has(key) ? false : (seen.add(key), true);
  });
}

function testMatrix(data: ProblemPanel): TemplateResult {
  const row = (t: ProblemPanel['problem']['tests'][number]) => {
    const text = t.kind === 'assert' ? t.code : `stdin: ${t.input}`;
    return html`<tr class=${`role-${t.role}`}>
      <td class="test-code" title=${text}>${text}</td>
      <td>${t.role === 'incorrect' ? '⚠ incorrect' : t.role}</td>
      ${data.candidates.map((c) => {
        const o = c.outcomes[t.id];
        return html`<td class=${`outcome outcome-${o ?? 'none'}`} title=${o ?? 'not run'}>${o ? outcomeMark[o] : '–'}</td>`;
      })}
    </tr>`;
  };
  return html`<table class="matrix" data-testid="test-matrix">
    <thead>
      <tr>
        <th>test</th>
        <th>role</th>
        ${data.candidates.map((c) => html`<th title=${c.id}>${columnTitle(c)}</th>`)}
      </tr>
    </thead>
    <tbody>
      ${data.problem.tests.map(row)}
    </tbody>
  </table>`;
}

function scoreTable(data: ProblemPanel): TemplateResult {
  return html`<table class="scores" data-testid="scores">
    <thead>
      <tr>
        <th>scorer</th>
        ${data.candidates.map((c) => html`<th title=${c.id}>${columnTitle(c)}</th>`)}
      </tr>
    </thead>
    <tbody>
      ${data.scorers.map(
        (scorer) =>
          html`<tr>
            <td>${scorer}</td>
            ${data.candidates.map((c) => {
              const s = c.scores.find((x) => x.scorer === scorer);
              return html`<td class="score" title=${s?.rationale ?? ''}>${s ? s.probability.toFixed(2) : '–'}</td>`;
            })}
          </tr>`,
      )}
    </tbody>
  </table>`;
}

function diffSection(data: ProblemPanel, choice: DiffChoice, actions: Actions): TemplateResult {
  if (data.candidates.length < 2) return html`<div class="diff-wrap"><p>Only one candidate: nothing to compare.</p></div>`;
  const ids = data.candidates.map((c) => c.id);
  if (!choice.a || !ids.includes(choice.a)) choice.a = ids[0];
  if (!choice.b || !ids.includes(choice.b)) choice.b = ids.find((id) => id !== choice.a);
  const a = data.candidates.find((c) => c.id === choice.a);
  const b = data.candidates.find((c) => c.id === choice.b);
  const select = (which: 'a' | 'b') => {
    const changed = (e: Event) => {
      choice[which] = (e.currentTarget as unknown as { value: string }).value;
      actions.redraw();
    };
    return html`<vscode-single-select data-testid=${`diff-${which}`} @change=${changed}>
      ${data.candidates.map((c) => html`<vscode-option value=${c.id} ?selected=${choice[which] === c.id}>${columnTitle(c)}</vscode-option>`)}
    </vscode-single-select>`;
  };
  return html`<div class="diff-wrap">
    <div class="diff-pick"><label>from </label>${select('a')}<label> to </label>${select('b')}</div>
    <div class="diff-out">${a && b ? renderDiff(a.id, a.code, b.id, b.code) : html`<p>Choose two candidates.</p>`}</div>
  </div>`;
}
