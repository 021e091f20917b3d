/** The panel's results: live counts, the preview of prompts before/after, and the export's state. */
import type { CurationChatMessage, CurationCountsResult, CurationPreviewResult, CurationPreviewSample } from '../../contract/lsp';
import { h } from '../panel/dom';
import type { ExportState } from '../../contract/webview/curation';

/** A reply slot: what was last received, and whether a newer request is out. */
export type Slot<T> =
  | { readonly status: 'idle' }
  | { readonly status: 'loading'; readonly last?: T }
  | { readonly status: 'ready'; readonly value: T }
  | { readonly status: 'error'; readonly message: string };

const pct = (r: number | null): string => (r === null ? 'n/a' : `${(r * 100).toFixed(1)}%`);

export function renderCounts(slot: Slot<CurationCountsResult>): HTMLElement {
  const box = h('section', { 'data-testid': 'counts', 'aria-live': 'polite' }, h('h2', {}, 'Counts'));
  if (slot.status === 'error') {
    box.append(h('p', { class: 'error', role: 'alert' }, slot.message));
    return box;
  }
  const value = slot.status === 'ready' ? slot.value : slot.status === 'loading' ? slot.last : undefined;
  if (!value) {
    box.append(h('p', { class: 'status' }, slot.status === 'loading' ? 'Counting…' : 'No counts yet.'));
    return box;
  }
  const s = value.stats;
  const body = h('div', { class: slot.status === 'loading' ? 'stale' : '', 'data-state': slot.status });
  body.append(
    h(
      'div',
      { class: 'summary' },
      figure('selected', String(s.selected), 'selected'),
      figure('problems', `${s.problemsSelected} / ${s.problems}`, 'problems with a row'),
      figure('skipped', String(s.problemsSkipped), 'problems skipped (no clean candidate)'),
      figure('hack-before', pct(s.stages[0]?.hackRateBefore ?? null), 'hack rate before'),
      figure('hack-after', pct(s.selectedHackRate), 'hack rate of the selection'),
    ),
  );
  const table = h('table', { 'data-testid': 'stages' });
  table.append(
    h('thead', {}, h('tr', {}, ...['filter', 'before', 'removed', 'after', 'hack rate before → after', ''].map((t) => h('th', {}, t)))),
  );
  const tbody = h('tbody');
  for (const st of s.stages) {
    tbody.append(
      h(
        'tr',
        { class: st.removed > 0 ? 'active' : '', 'data-stage': st.stage },
        h('td', {}, st.stage),
        h('td', {}, String(st.before)),
        h('td', { class: 'removed' }, String(st.removed)),
        h('td', {}, String(st.after)),
        h('td', {}, `${pct(st.hackRateBefore)} → ${pct(st.hackRateAfter)}`),
        h('td', { class: 'desc' }, st.description),
      ),
    );
  }
  table.append(tbody);
  body.append(table);
  if (s.picksHonoured || s.picksFilteredOut) {
    body.append(h('p', { class: 'hint' }, `Reviewer picks: ${s.picksHonoured} honoured, ${s.picksFilteredOut} filtered out.`));
  }
  if (s.candidates > 0 && s.selected === 0) body.append(h('p', { class: 'warning' }, 'Nothing is selected: loosen the filters to export.'));
  box.append(body);
  return box;
}

function figure(id: string, value: string, label: string): HTMLElement {
  return h('div', { class: 'figure', 'data-testid': `figure-${id}` }, h('strong', {}, value), h('span', { class: 'hint' }, label));
}

export function renderPreview(slot: Slot<CurationPreviewResult>): HTMLElement {
  const box = h('section', { 'data-testid': 'preview' }, h('h2', {}, 'Preview: prompt as generated → prompt as trained'));
  if (slot.status === 'error') {
    box.append(h('p', { class: 'error', role: 'alert' }, slot.message));
    return box;
  }
  const value = slot.status === 'ready' ? slot.value : slot.status === 'loading' ? slot.last : undefined;
  if (!value) {
    box.append(h('p', { class: 'status' }, slot.status === 'loading' ? 'Rendering the preview…' : 'No preview yet.'));
    return box;
  }
  const body = h('div', { class: slot.status === 'loading' ? 'stale' : '' });
  const pairs = Object.entries(value.counts).sort();
  body.append(
    h(
      'p',
      { class: 'meta' },
      `${value.selected} selected samples: ${pairs.length ? pairs.map(([k, n]) => `${k} ${n}`).join(' · ') : 'none'}`,
    ),
  );
  if (!value.samples.length) body.append(h('p', { class: 'status' }, 'No selected sample to show.'));
  for (const s of value.samples) body.append(sample(s));
  if (value.rows.length) {
    body.append(
      h(
        'details',
        { 'data-testid': 'preview-rows' },
        h('summary', {}, `The first ${value.rows.length} exported rows`),
        ...value.rows.map((r) => h('pre', { class: 'row-json' }, JSON.stringify(r, null, 2))),
      ),
    );
  }
  box.append(body);
  return box;
}

function sample(s: CurationPreviewSample): HTMLElement {
  const same = JSON.stringify(s.generated) === JSON.stringify(s.trained);
  return h(
    'article',
    { class: 'sample', 'data-testid': 'sample', 'data-candidate': s.candidateId },
    h(
      'div',
      { class: 'sample-head' },
      h('strong', {}, s.candidateId),
      h(
        'span',
        { class: 'meta' },
        `problem ${s.problemId} · ${s.generationVariant} → ${s.trainingVariant}${same ? ' (prompt unchanged)' : ''}`,
      ),
    ),
    h(
      'div',
      { class: 'pair' },
      h('div', {}, h('h3', {}, `As generated (${s.generationVariant})`), prompt(s.generated, s.trained, 'generated')),
      h('div', {}, h('h3', {}, `As trained (${s.trainingVariant})`), prompt(s.trained, s.generated, 'trained')),
    ),
    h('h3', {}, 'Completion (the same under both prompts)'),
    h('pre', { class: 'completion', 'data-testid': 'completion' }, s.completion),
  );
}

function prompt(msgs: readonly CurationChatMessage[], other: readonly CurationChatMessage[], which: string): HTMLElement {
  const pre = h('div', { 'data-testid': `prompt-${which}` });
  msgs.forEach((m, i) => {
    const changed = other[i]?.content !== m.content || other[i]?.role !== m.role;
    pre.append(h('pre', { class: `prompt${changed ? ' changed' : ''}` }, h('span', { class: 'role' }, `[${m.role}]\n`), m.content));
  });
  return pre;
}

export interface ExportHooks {
  open(path: string): void;
  overwrite(): void;
}

export function renderExport(state: ExportState, hooks: ExportHooks): HTMLElement {
  const box = h('section', { 'data-testid': 'export-state', 'data-status': state.status });
  switch (state.status) {
    case 'idle':
      return box;
    case 'running':
      box.append(
        h('h2', {}, 'Exporting…'),
        h('vscode-progress-bar', { value: String(state.percentage), max: '100', 'aria-label': 'export progress' }),
        h('p', { class: 'meta' }, `${state.percentage}% · ${state.message}`),
      );
      return box;
    case 'cancelled':
      box.append(h('p', { class: 'warning' }, 'Export cancelled: no file was written.'));
      return box;
    case 'error':
      box.append(h('p', { class: 'error', role: 'alert' }, `Export failed: ${state.message}`));
      return box;
    case 'exists': {
      const b = h('vscode-button', { 'data-testid': 'overwrite' }, 'Overwrite');
      b.addEventListener('click', () => hooks.overwrite());
      box.append(h('div', { class: 'warning', role: 'alert' }, h('p', {}, `${state.path} already exists. Nothing was written.`), b));
      return box;
    }
    case 'done': {
      const r = state.result;
      const f = r.files;
      const link = (path: string, label: string) => {
        const a = h('a', { class: 'file', href: '#', title: path, 'data-path': path }, label);
        a.addEventListener('click', (e) => {
          e.preventDefault();
          hooks.open(path);
        });
        return a;
      };
      box.append(
        h('h2', {}, 'Exported'),
        h(
          'ul',
          { class: 'files', 'data-testid': 'export-files' },
          h('li', {}, link(f.train, f.train), ` — ${r.rows.train} rows (${r.problems.train} problems)`),
          f.validation
            ? h('li', {}, link(f.validation, f.validation), ` — ${r.rows.validation} rows (${r.problems.validation} problems)`)
            : undefined,
          h('li', {}, link(f.provenance, f.provenance), ' — provenance'),
          h('li', {}, link(f.card, 'Open the dataset card'), ` (${f.card})`),
        ),
        h(
          'p',
          { class: 'meta' },
          Object.entries(r.recontextualized)
            .map(([k, n]) => `${k}: ${n}`)
            .join(' · '),
        ),
      );
      return box;
    }
  }
}
