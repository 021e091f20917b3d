import type { AgreementResult, ScorerAgreementView } from '../../contract/lsp';
import type { AgreementState } from '../../contract/webview/review';
import { h } from './dom';

const f3 = (x: number) => x.toFixed(3);
/** Kappa is undefined when every verdict and prediction is of one class. */
const kappaText = (k: number | null) => (k === null ? 'n/a' : f3(k));

/** The set-wide "Agreement" section; `data-section="agreement"` lets the page swap it alone. */
export function renderAgreement(state: AgreementState | undefined): HTMLElement {
  const body = h('div', { class: 'agreement', 'data-testid': 'agreement' });
  const data = state && state.status !== 'error' ? state.data : undefined;
  if (state?.status === 'error') body.append(h('p', { class: 'error', role: 'alert' }, `Could not load the agreement: ${state.message}`));
  else if (!data) body.append(h('p', { class: 'status' }, 'Loading the agreement…'));
  else body.append(...content(data));
  if (state?.status === 'loading' && data) body.append(h('p', { class: 'status busy' }, 'refreshing…'));
  return h('section', { 'data-section': 'agreement' }, h('h2', {}, 'Agreement'), body);
}

function content(a: AgreementResult): HTMLElement[] {
  const total = a.verdicts.hack + a.verdicts.clean + a.verdicts.unsure;
  const order = h('p', { class: 'meta', 'data-testid': 'likely-order' }, `Review order “likely”: ${a.ranking.message}.`);
  if (total === 0) {
    return [
      h(
        'p',
        { class: 'empty', 'data-testid': 'agreement-empty' },
        'No verdicts yet: how far each scorer agrees with the reviewers shows here once candidates are labelled.',
      ),
      order,
    ];
  }
  const out: HTMLElement[] = [
    h(
      'p',
      { class: 'meta' },
      `${total} candidate${total === 1 ? '' : 's'} with a verdict in the review set: ${a.verdicts.hack} hack · ${a.verdicts.clean} clean · ${a.verdicts.unsure} unsure (left out). A scorer says hack at ≥ ${a.threshold}.`,
    ),
  ];
  out.push(a.scorers.length ? scorerTable(a.scorers) : h('p', {}, 'Not analysed yet: no scores to compare with.'));
  const hu = a.humans;
  if (hu.pairs.length) {
    const table = h('table', { class: 'agreement-humans', 'data-testid': 'reviewer-agreement' });
    table.append(
      h('thead', {}, h('tr', {}, ...['reviewer', 'reviewer', 'both labelled', 'same label', 'kappa'].map((t) => h('th', {}, t)))),
    );
    const tb = h('tbody');
    for (const p of hu.pairs)
      tb.append(
        h(
          'tr',
          {},
          h('td', {}, p.a),
          h('td', {}, p.b),
          h('td', {}, String(p.n)),
          h('td', {}, `${(100 * p.agreement).toFixed(0)}%`),
          h('td', { title: p.kappa === null ? 'undefined: both used one label throughout' : '' }, kappaText(p.kappa)),
        ),
      );
    table.append(tb);
    out.push(h('h3', {}, 'Reviewer against reviewer'), table);
    if (hu.disagreementCount) {
      out.push(
        h('p', {}, `To adjudicate (${hu.disagreementCount}):`),
        h(
          'ul',
          { class: 'adjudicate', 'data-testid': 'adjudicate' },
          ...hu.disagreements.map((d) =>
            h(
              'li',
              {},
              h('code', {}, d.candidateId),
              ` — ${Object.entries(d.labels)
                .map(([r, l]) => `${r}: ${l}`)
                .join(', ')}`,
            ),
          ),
        ),
      );
    }
  } else if (hu.reviewers.length > 1) {
    out.push(h('p', { class: 'meta' }, `Reviewers ${hu.reviewers.join(', ')} have not labelled the same candidates yet.`));
  }
  out.push(order);
  return out;
}

function scorerTable(scorers: readonly ScorerAgreementView[]): HTMLElement {
  const table = h('table', { class: 'agreement-scorers', 'data-testid': 'scorer-agreement' });
  const head = ['scorer', 'n', 'precision', 'recall', 'F1', 'kappa', 'TP', 'FP', 'FN', 'TN', 'unsure', 'not scored'];
  const tips: Record<string, string> = {
    TP: 'scorer hack, reviewer hack',
    FP: 'scorer hack, reviewer clean',
    FN: 'scorer clean, reviewer hack',
    TN: 'scorer clean, reviewer clean',
    unsure: 'verdicts “unsure”, left out',
    'not scored': 'verdicts on candidates this scorer did not score',
    kappa: "Cohen's kappa: agreement beyond chance; n/a where undefined (one class throughout)",
  };
  table.append(h('thead', {}, h('tr', {}, ...head.map((t) => h('th', { title: tips[t] }, t)))));
  const tb = h('tbody');
  for (const s of scorers) {
    const c = s.confusion;
    const cells = [
      s.n,
      f3(s.precision),
      f3(s.recall),
      f3(s.f1),
      kappaText(s.kappa),
      c.tp,
      c.fp,
      c.fn,
      c.tn,
      s.excludedUnsure,
      s.unscored,
    ].map((v) => h('td', {}, String(v)));
    const missed = s.disagreements.map((d) => `${d.candidateId} (${d.probability.toFixed(2)}, reviewer: ${d.human})`).join('\n');
    tb.append(
      h(
        'tr',
        {
          'data-scorer': s.scorer,
          title: s.disagreementCount ? `Disagrees on ${s.disagreementCount}:\n${missed}` : 'Agrees on every decided verdict',
        },
        h('td', {}, s.scorer),
        ...cells,
      ),
    );
  }
  table.append(tb);
  return table;
}
