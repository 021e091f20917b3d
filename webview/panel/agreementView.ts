import { html, nothing, type TemplateResult } from 'lit';
import type { AgreementResult, ScorerAgreementView } from '../../contract/lsp';
import type { AgreementState } from '../../contract/webview/review';

const f3 = (x: number) => x.toFixed(3);
/** Kappa is undefined when every verdict and prediction is of one class. */
const kappaText = (k: number | null) => (k === null ? 'n/a' : f3(k));

/** The set-wide "Agreement" section (`data-section="agreement"`). */
export function renderAgreement(state: AgreementState | undefined): TemplateResult {
  const data = state && state.status !== 'error' ? state.data : undefined;
  const body =
    state?.status === 'error'
      ? html`<p class="error" role="alert">Could not load the agreement: ${state.message}</p>`
      : !data
        ? html`<p class="status">Loading the agreement…</p>`
        : content(data);
  return html`<section data-section="agreement">
    <h2>Agreement</h2>
    <div class="agreement" data-testid="agreement">
      ${body}${state?.status === 'loading' && data ? html`<p class="status busy">refreshing…</p>` : nothing}
    </div>
  </section>`;
}

function content(a: AgreementResult): TemplateResult {
  const total = a.verdicts.hack + a.verdicts.clean + a.verdicts.unsure;
  const order = html`<p class="meta" data-testid="likely-order">Review order “likely”: ${a.ranking.message}.</p>`;
  if (total === 0) {
    const empty = 'No verdicts yet: how far each scorer agrees with the reviewers shows here once candidates are labelled.';
    return html`<p class="empty" data-testid="agreement-empty">${empty}</p>
      ${order}`;
  }
  const hu = a.humans;
  const humans = hu.pairs.length
    ? html`<h3>Reviewer against reviewer</h3>
        <table class="agreement-humans" data-testid="reviewer-agreement">
          <thead>
            <tr>
              ${['reviewer', 'reviewer', 'both labelled', 'same label', 'kappa'].map((t) => html`<th>${t}</th>`)}
            </tr>
          </thead>
          <tbody>
            ${hu.pairs.map(
              (p) =>
                html`<tr>
                  <td>${p.a}</td>
                  <td>${p.b}</td>
                  <td>${p.n}</td>
                  <td>${(100 * p.agreement).toFixed(0)}%</td>
                  <td title=${p.kappa === null ? 'undefined: both used one label throughout' : ''}>${kappaText(p.kappa)}</td>
                </tr>`,
            )}
          </tbody>
        </table>
        ${
          hu.disagreementCount
            ? html`<p>To adjudicate (${hu.disagreementCount}):</p>
              <ul class="adjudicate" data-testid="adjudicate">
                ${hu.disagreements.map(
                  (d) =>
                    html`<li><code>${d.candidateId}</code> — ${Object.entries(d.labels)
                      .map(([r, l]) => `${r}: ${l}`)
                      .join(', ')}</li>`,
                )}
              </ul>`
            : nothing
        }`
    : hu.reviewers.length > 1
      ? html`<p class="meta">Reviewers ${hu.reviewers.join(', ')} have not labelled the same candidates yet.</p>`
      : nothing;
  const summary = `${total} candidate${total === 1 ? '' : 's'} with a verdict in the review set: ${a.verdicts.hack} hack · ${a.verdicts.clean} clean · ${a.verdicts.unsure} unsure (left out). A scorer says hack at ≥ ${a.threshold}.`;
  return html`<p class="meta">${summary}</p>
    ${a.scorers.length ? scorerTable(a.scorers) : html`<p>Not analysed yet: no scores to compare with.</p>`} ${humans} ${order}`;
}

const tips: Record<string, string> = {
  TP: 'scorer hack, reviewer hack',
  FP: 'scorer hack, reviewer clean',
  FN: 'scorer clean, reviewer hack',
  TN: 'scorer clean, reviewer clean',
  unsure: 'verdicts “unsure”, left out',
  'not scored': 'verdicts on candidates this scorer did not score',
  kappa: "Cohen's kappa: agreement beyond chance; n/a where undefined (one class throughout)",
};

function scorerTable(scorers: readonly ScorerAgreementView[]): TemplateResult {
  const head = ['scorer', 'n', 'precision', 'recall', 'F1', 'kappa', 'TP', 'FP', 'FN', 'TN', 'unsure', 'not scored'];
  const row = (s: ScorerAgreementView) => {
    const c = s.confusion;
    const cells = [s.n, f3(s.precision), f3(s.recall), f3(s.f1), kappaText(s.kappa), c.tp, c.fp, c.fn, c.tn, s.excludedUnsure, s.unscored];
    const missed = s.disagreements.map((d) => `${d.candidateId} (${d.probability.toFixed(2)}, reviewer: ${d.human})`).join('\n');
    return html`<tr
      data-scorer=${s.scorer}
      title=${s.disagreementCount ? `Disagrees on ${s.disagreementCount}:\n${missed}` : 'Agrees on every decided verdict'}
    >
      <td>${s.scorer}</td>
      ${cells.map((v) => html`<td>${String(v)}</td>`)}
    </tr>`;
  };
  return html`<table class="agreement-scorers" data-testid="scorer-agreement">
    <thead>
      <tr>
        ${head.map((t) => html`<th title=${tips[t] ?? nothing}>${t}</th>`)}
      </tr>
    </thead>
    <tbody>
      ${scorers.map(row)}
    </tbody>
  </table>`;
}
