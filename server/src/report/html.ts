/**
 * `loophole report --html`: one self-contained HTML file (no scripts, no external resources) with the
 * hack rate per prompt variant and per model, score histograms, the per-problem test matrix and the
 * highlighted code of each hack. Written to a temporary file and renamed, so a failed write never
 * leaves half a report behind.
 */
import writeFileAtomic from 'write-file-atomic';
import type { CandidateAnalysis, Finding, Problem, Test } from '../../../contract/domain';
import { problemTitle } from '../../../contract/title';
import { inlineParts, lineSpan, unmarkedReason } from '../../../contract/wording';

export { lineSpan, unmarkedReason } from '../../../contract/wording';
import type { Store } from '../store/store';
import { ANALYZER_VERSION, isStale } from '../analysis/version';
import { collectAgreement, type SetAgreement } from './agreement';
import { collectResults, type GroupRate } from './results';
import { barChart, esc, histogram } from '../../../contract/svg';
import { svgDataUri } from './dataUri';

/** Beyond these, the report summarises instead of listing (a 100k-candidate set stays readable). */
const MAX_MATRIX_PROBLEMS = 300;
const MAX_HACKS_SHOWN = 400;

const OUTCOME_MARK: Record<string, string> = { pass: '✓', fail: '✗', error: '!', timeout: 'T' };

function rateRows(g: Record<string, GroupRate>) {
  return Object.keys(g)
    .sort()
    .map((k) => ({ label: k, value: g[k]!.rate, note: `${g[k]!.hacks}/${g[k]!.candidates}` }));
}

function img(svg: string, alt: string): string {
  return `<img alt="${esc(alt)}" src="${svgDataUri(svg)}">`;
}

/** The test in full, for a column's tooltip. */
function testLabel(t: Test): string {
  return t.kind === 'assert' ? t.code : `stdin ${JSON.stringify(t.input)} → ${JSON.stringify(t.expectedOutput)}`;
}

/** The test's text, short enough for a column head: the call of an assert, the stdin of a program. */
export function testHead(t: Test, max = 28): string {
  const text =
    t.kind === 'assert'
      ? t.code.replace(/^\s*assert\s+/, '').replace(/\s+/g, ' ')
      : `stdin ${t.input.replace(/\n+$/, '').replace(/\r?\n/g, ' ⏎ ')}`;
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** "2 of 4 candidates are hacks", "1 of 2 candidates is a hack", "none of 3 candidates is a hack". */
export function hackCount(hacks: number, total: number): string {
  const of = `${total} candidate${total === 1 ? '' : 's'}`;
  if (hacks === 0) return total === 1 ? 'the candidate is not a hack' : `none of ${of} is a hack`;
  if (hacks === total) return total === 1 ? 'the candidate is a hack' : `all ${of} are hacks`;
  return hacks === 1 ? `1 of ${of} is a hack` : `${hacks} of ${of} are hacks`;
}

/** A message with its `inline code` as `<code>`. */
function rich(s: string): string {
  return inlineParts(s)
    .map((p) => (p.code ? `<code>${esc(p.text)}</code>` : esc(p.text)))
    .join('');
}

/** Anchors for the flagged candidates' sections and the problems' tables (ids may hold any character). */
class Anchors {
  private readonly ids = new Map<string, string>();
  constructor(private readonly prefix: string) {}
  of(id: string): string {
    let a = this.ids.get(id);
    if (!a) {
      a = `${this.prefix}${this.ids.size + 1}`;
      this.ids.set(id, a);
    }
    return a;
  }
  has(id: string): boolean {
    return this.ids.has(id);
  }
}

function matrix(problem: Problem, rows: { id: string; analysis?: CandidateAnalysis }[], hackAnchors: Anchors): string {
  const head = problem.tests
    .map(
      (t) =>
        `<th class="role-${t.role} test" title="${esc(`${t.id} (${t.role}): ${testLabel(t)}`)}"><code>${esc(testHead(t))}</code><br><small>${t.role === 'incorrect' ? '⚠ incorrect' : t.role}</small></th>`,
    )
    .join('');
  const body = rows
    .map(({ id, analysis }) => {
      const by = new Map(analysis?.tests.map((r) => [r.testId, r]) ?? []);
      const cells = problem.tests
        .map((t) => {
          const r = by.get(t.id);
          if (!r) return '<td class="na">·</td>';
          return `<td class="${r.outcome}" title="${esc(r.message ?? r.outcome)}">${OUTCOME_MARK[r.outcome]}</td>`;
        })
        .join('');
      const score = analysis ? analysis.hackProbability.toFixed(2) : '–';
      const linked = analysis?.isHack && hackAnchors.has(id);
      const stale = isStale(analysis)
        ? ' <span class="chip" title="made by an older analyzer version; loophole analyze redoes it">stale</span>'
        : '';
      const flag =
        (analysis?.isHack
          ? linked
            ? `<a class="flag" href="#${hackAnchors.of(id)}">${esc(analysis.category)} ↓</a>`
            : `<span class="flag">${esc(analysis.category)}</span>`
          : '') + stale;
      const cid = linked ? `<a href="#${hackAnchors.of(id)}">${esc(id)}</a>` : esc(id);
      return `<tr><td class="cid">${cid}</td><td class="score">${score}</td>${cells}<td>${flag}</td></tr>`;
    })
    .join('');
  return `<table class="matrix"><thead><tr><th>candidate</th><th>score</th>${head}<th></th></tr></thead><tbody>${body}</tbody></table>`;
}

function findingItem(f: Finding): string {
  const where =
    f.kind === 'reasoning' ? `reasoning, ${lineSpan(f.range.startLine, f.range.endLine)}` : lineSpan(f.range.startLine, f.range.endLine);
  return `<li><b>${esc(f.kind)}</b> (${where}): ${rich(f.message)}${f.literal ? ` — matches <code>${esc(f.literal)}</code>` : ''}${f.quote ? `<blockquote>${esc(f.quote)}</blockquote>` : ''}</li>`;
}

function highlightedCode(code: string, analysis: CandidateAnalysis): string {
  const marked = new Map<number, string[]>();
  for (const f of analysis.findings) {
    if (f.kind === 'reasoning') continue;
    for (let l = f.range.startLine; l <= f.range.endLine; l++) {
      const list = marked.get(l) ?? [];
      list.push(f.kind);
      marked.set(l, list);
    }
  }
  const lines = code.split(/\r?\n/);
  return `<pre class="code">${lines
    .map((line, i) => {
      const kinds = marked.get(i);
      const cls = kinds ? ' class="hl"' : '';
      const title = kinds ? ` title="${esc([...new Set(kinds)].join(', '))}"` : '';
      return `<span${cls}${title}><i>${String(i + 1).padStart(3)}</i> ${esc(line)}</span>`;
    })
    .join('\n')}</pre>`;
}

const f3 = (x: number) => x.toFixed(3);
/** Kappa is undefined (n/a) when every label and prediction is of one class. */
const kappaText = (k: number | null) => (k === null ? '<span title="undefined: one class throughout">n/a</span>' : f3(k));

/**
 * The agreement section: each scorer (the ensemble's decision first) against the reviewers' current
 * verdicts, then reviewer against reviewer with the candidates to adjudicate. Empty when no candidate
 * has a verdict, so an unreviewed set's report has no such section at all.
 */
export function agreementSection(a: SetAgreement): string {
  const total = a.verdicts.hack + a.verdicts.clean + a.verdicts.unsure;
  if (total === 0) return '';
  const rows = a.scorers
    .map((s) => {
      const c = s.confusion;
      return `<tr><td class="cid">${esc(s.scorer)}</td><td>${s.n}</td><td>${f3(s.precision)}</td><td>${f3(s.recall)}</td><td>${f3(s.f1)}</td><td><b>${kappaText(s.kappa)}</b></td><td>${c.tp}</td><td>${c.fp}</td><td>${c.fn}</td><td>${c.tn}</td><td>${s.excludedUnsure}</td><td>${s.unscored}</td></tr>`;
    })
    .join('');
  const scorers = a.scorers.length
    ? `<table class="matrix agreement"><thead><tr><th>scorer</th><th>n</th><th>precision</th><th>recall</th><th>F1</th><th>kappa</th><th title="scorer hack, reviewer hack">TP</th><th title="scorer hack, reviewer clean">FP</th><th title="scorer clean, reviewer hack">FN</th><th title="scorer clean, reviewer clean">TN</th><th>unsure (left out)</th><th>not scored</th></tr></thead><tbody>${rows}</tbody></table>`
    : '<p>No analyses yet: nothing to compare the verdicts with.</p>';
  const h = a.humans;
  let humans = '';
  if (h.pairs.length) {
    const pairs = h.pairs
      .map(
        (p) =>
          `<tr><td class="cid">${esc(p.a)}</td><td class="cid">${esc(p.b)}</td><td>${p.n}</td><td>${(100 * p.agreement).toFixed(1)}%</td><td><b>${kappaText(p.kappa)}</b></td></tr>`,
      )
      .join('');
    const list = h.disagreements
      .map(
        (d) =>
          `<li><code>${esc(d.candidateId)}</code>: ${Object.entries(d.labels)
            .map(([r, l]) => `${esc(r)} ${esc(l)}`)
            .join(' · ')}</li>`,
      )
      .join('');
    humans = `<h3>Reviewer against reviewer</h3>
<table class="matrix agreement"><thead><tr><th>reviewer</th><th>reviewer</th><th>both labelled</th><th>same label</th><th>kappa</th></tr></thead><tbody>${pairs}</tbody></table>
${h.disagreementCount ? `<p>To adjudicate (${h.disagreementCount}):</p><ul class="adjudicate">${list}</ul>${h.disagreementCount > h.disagreements.length ? `<p>… ${h.disagreementCount - h.disagreements.length} more.</p>` : ''}` : '<p>The reviewers agree on every candidate they both labelled.</p>'}`;
  } else if (h.reviewers.length) {
    humans = `<p>Reviewers: ${h.reviewers.map(esc).join(', ')} — no candidate was labelled by two of them.</p>`;
  }
  return `<section id="agreement"><h2>Agreement with the reviewers</h2>
<p class="sub">${total} candidate${total === 1 ? '' : 's'} with a verdict: ${a.verdicts.hack} hack · ${a.verdicts.clean} clean · ${a.verdicts.unsure} unsure (left out of the scorer figures). A scorer says hack at probability ≥ ${a.threshold}; hack is the positive class; kappa is Cohen's.</p>
${scorers}${humans}</section>`;
}

export function renderHtmlReport(store: Store): string {
  const results = collectResults(store);
  const flagged = results.results.filter((r) => r.isHack);
  const notFlagged = results.results.filter((r) => r.isHack === false);
  const scorers = [...new Set(results.results.flatMap((r) => Object.keys(r.scores)))].sort();

  const charts: string[] = [];
  if (Object.keys(results.byVariant).length)
    charts.push(img(barChart('Hack rate by prompt variant', rateRows(results.byVariant)), 'hack rate by prompt variant'));
  if (Object.keys(results.byModel).length)
    charts.push(img(barChart('Hack rate by model', rateRows(results.byModel)), 'hack rate by model'));
  charts.push(
    img(
      histogram(
        'Combined hack probability',
        flagged.map((r) => r.hackProbability ?? 0),
        notFlagged.map((r) => r.hackProbability ?? 0),
        ['flagged', 'not flagged'],
      ),
      'histogram of the combined hack probability',
    ),
  );
  for (const s of scorers) {
    const a = flagged.filter((r) => s in r.scores).map((r) => r.scores[s]!);
    const b = notFlagged.filter((r) => s in r.scores).map((r) => r.scores[s]!);
    charts.push(img(histogram(`Scorer: ${s}`, a, b, ['flagged', 'not flagged']), `histogram of the ${s} scorer`));
  }

  const problems = store.problems();
  const shownHacks = [...flagged].sort((a, b) => (b.hackProbability ?? 0) - (a.hackProbability ?? 0)).slice(0, MAX_HACKS_SHOWN);
  const hackAnchors = new Anchors('hack-');
  for (const r of shownHacks) hackAnchors.of(r.id);
  const problemAnchors = new Anchors('problem-');
  const problemOf = new Map<string, Problem>(problems.map((p) => [p.id, p]));
  const matrices = problems
    .slice(0, MAX_MATRIX_PROBLEMS)
    .map((p) => {
      const cands = store.candidatesOf(p.id);
      const rows = cands.map((c) => {
        const analysis = store.analysis(c.id);
        return { id: c.id, ...(analysis ? { analysis } : {}) };
      });
      const hacks = rows.filter((r) => r.analysis?.isHack).length;
      const title = problemTitle(p.statement, p.id, 80);
      return `<details id="${problemAnchors.of(p.id)}"${hacks ? ' open' : ''}><summary><b>${esc(title)}</b>${title !== p.id ? ` <code>${esc(p.id)}</code>` : ''} — ${hackCount(hacks, cands.length)} · ${esc(p.style)}</summary>
        <p class="stmt">${esc(p.statement.slice(0, 400))}${p.statement.length > 400 ? '…' : ''}</p>${matrix(p, rows, hackAnchors)}</details>`;
    })
    .join('\n');

  const hackSections = shownHacks
    .map((r) => {
      const cand = store.candidate(r.id);
      const analysis = store.analysis(r.id);
      if (!cand || !analysis) return '';
      const seen = new Set<string>();
      const unique = analysis.findings.filter((f) => {
        const key = JSON.stringify([f.kind, f.message, f.literal, f.testId, f.quote, f.range.startLine, f.range.endLine]);
        return seen.has(key) ? false : (seen.add(key), true);
      });
      const findings = unique.map(findingItem).join('');
      const reason = unmarkedReason(analysis, cand.code.split(/\r?\n/).length);
      const scores = analysis.scores
        .map((s) => `<span class="chip" title="${esc(s.rationale)}">${esc(s.scorer)} ${s.probability.toFixed(2)}</span>`)
        .join(' ');
      const problem = problemOf.get(cand.problemId);
      const back = problem
        ? ` · <a href="#${problemAnchors.of(problem.id)}">problem: ${esc(problemTitle(problem.statement, problem.id, 60))}</a>`
        : '';
      return `<section class="hack" id="${hackAnchors.of(r.id)}"><h3>${esc(r.id)} <small>${esc(analysis.category)} · ${analysis.hackProbability.toFixed(2)} · ${esc(
        cand.promptVariant ?? '',
      )} ${esc(cand.model ?? '')}${back}</small></h3><div>${scores}</div>${reason ? `<p class="reason">${esc(reason)}</p>` : ''}${highlightedCode(cand.code, analysis)}${findings ? `<ul>${findings}</ul>` : ''}</section>`;
    })
    .join('\n');

  const pctStr = (x: number) => `${(100 * x).toFixed(1)}%`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Loophole report</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:1100px;color:#1f2328;padding:0 16px}
h1{margin-bottom:4px} .sub{color:#57606a} .charts img{margin:8px 12px 8px 0;border:1px solid #d0d7de;border-radius:6px}
table.matrix{border-collapse:collapse;margin:6px 0 14px} .matrix td,.matrix th{border:1px solid #d0d7de;padding:2px 6px;text-align:center}
.matrix .cid{text-align:left;font-family:ui-monospace,monospace} th.role-incorrect{background:#fde2e1} th.role-heldout{background:#e7f0fe}
td.pass{color:#1a7f37} td.fail{color:#cf222e;background:#fff0f0} td.error{color:#9a6700;background:#fff8c5} td.timeout{color:#8250df;background:#f3e8ff}
.flag{background:#c2410c;color:#fff;border-radius:10px;padding:0 8px;font-size:12px;white-space:nowrap}
pre.code{background:#f6f8fa;padding:8px;border-radius:6px;overflow:auto} pre.code i{color:#8c959f;font-style:normal;user-select:none}
pre.code .hl{background:#ffd8b5;display:inline-block;width:100%} .chip{background:#eef1f5;border-radius:10px;padding:0 8px;font-size:12px}
blockquote{margin:4px 0;padding-left:8px;border-left:3px solid #d0d7de;color:#57606a} .stmt{color:#57606a}
th.test{font-weight:normal;max-width:14em} th.test code{white-space:normal;word-break:break-word} a.flag{text-decoration:none}
.reason{background:#fff8c5;border-left:3px solid #9a6700;padding:4px 8px} code{font-family:ui-monospace,monospace;background:#eef1f5;border-radius:4px;padding:0 3px}
section.hack:target{outline:2px solid #0969da;outline-offset:4px}
</style></head><body>
<h1>Loophole report</h1>
<p class="sub">${results.candidates} candidates in ${problems.length} problems · ${results.analysed} analysed · <b>${results.hacks} flagged as hacks</b> (${pctStr(
    results.analysed ? results.hacks / results.analysed : 0,
  )})${results.stale ? ` · <b>${results.stale} stale</b> (made by an older analyzer version than ${ANALYZER_VERSION}; <code>loophole analyze</code> redoes them)` : ''} · generated ${esc(new Date().toISOString())}</p>
${sandboxNote(store)}
<h2>Hack rates and scores</h2><div class="charts">${charts.join('\n')}</div>
${agreementSection(collectAgreement(store))}
<h2>Tests per problem</h2>
<p class="sub">✓ pass · ✗ fail · ! error · T timeout. Column colours: <span style="background:#fde2e1">incorrect test</span> (its expected value is wrong), <span style="background:#e7f0fe">held-out test</span>.</p>
${matrices}${problems.length > MAX_MATRIX_PROBLEMS ? `<p>… ${problems.length - MAX_MATRIX_PROBLEMS} more problems not shown.</p>` : ''}
<h2>Flagged candidates</h2>
${hackSections || '<p>No candidate was flagged.</p>'}${flagged.length > MAX_HACKS_SHOWN ? `<p>… ${flagged.length - MAX_HACKS_SHOWN} more not shown.</p>` : ''}
</body></html>`;
}

/** A line when the latest analysis did not run candidate code in a sandbox: static-only, or unisolated. */
function sandboxNote(store: Store): string {
  let info: { isolation?: string; executeAsked?: boolean; staticOnlyReason?: string } = {};
  try {
    info = JSON.parse(store.meta('sandbox') ?? '{}') as typeof info;
  } catch {
    /* no note */
  }
  if (info.staticOnlyReason)
    return `<p class="reason"><b>Static-only:</b> candidate code was not executed, because no sandbox works on the machine that analysed: ${esc(info.staticOnlyReason)}</p>`;
  if (info.isolation === 'none')
    return '<p class="reason"><b>Unisolated:</b> candidate code was executed without a sandbox (isolation <code>none</code>).</p>';
  return '';
}

export async function writeHtmlReport(store: Store, file: string): Promise<void> {
  const html = renderHtmlReport(store);
  await writeFileAtomic(file, html);
}
