/** The panel's results: live counts, the preview of prompts before/after, and the export's state. */
import { html, nothing, type TemplateResult } from 'lit';
import type { CurationChatMessage, CurationCountsResult, CurationPreviewResult, CurationPreviewSample } from '../../contract/lsp';
import type { ExportState } from '../../contract/webview/curation';

/** A reply slot: what was last received, and whether a newer request is out. */
export type Slot<T> =
  | { readonly status: 'idle' }
  | { readonly status: 'loading'; readonly last?: T }
  | { readonly status: 'ready'; readonly value: T }
  | { readonly status: 'error'; readonly message: string };

const pct = (r: number | null): string => (r === null ? 'n/a' : `${(r * 100).toFixed(1)}%`);

const shownValue = <T>(slot: Slot<T>): T | undefined =>
  slot.status === 'ready' ? slot.value : slot.status === 'loading' ? slot.last : undefined;

export function renderCounts(slot: Slot<CurationCountsResult>): TemplateResult {
  const value = shownValue(slot);
  return html`<section data-testid="counts" aria-live="polite">
    <h2>Counts</h2>
    ${
      slot.status === 'error'
        ? html`<p class="error" role="alert">${slot.message}</p>`
        : !value
          ? html`<p class="status">${slot.status === 'loading' ? 'Counting…' : 'No counts yet.'}</p>`
          : countsBody(value, slot.status)
    }
  </section>`;
}

function countsBody(value: CurationCountsResult, status: Slot<unknown>['status']): TemplateResult {
  const s = value.stats;
  const head = ['filter', 'before', 'removed', 'after', 'hack rate before → after', ''];
  return html`<div class=${status === 'loading' ? 'stale' : ''} data-state=${status}>
    <div class="summary">
      ${figure('selected', String(s.selected), 'selected')} ${figure('problems', `${s.problemsSelected} / ${s.problems}`, 'problems with a row')}
      ${figure('skipped', String(s.problemsSkipped), 'problems skipped (no clean candidate)')}
      ${figure('hack-before', pct(s.stages[0]?.hackRateBefore ?? null), 'hack rate before')}
      ${figure('hack-after', pct(s.selectedHackRate), 'hack rate of the selection')}
    </div>
    <table data-testid="stages">
      <thead>
        <tr>
          ${head.map((t) => html`<th>${t}</th>`)}
        </tr>
      </thead>
      <tbody>
        ${s.stages.map(
          (st) =>
            html`<tr class=${st.removed > 0 ? 'active' : ''} data-stage=${st.stage}>
              <td>${st.stage}</td>
              <td>${st.before}</td>
              <td class="removed">${st.removed}</td>
              <td>${st.after}</td>
              <td>${pct(st.hackRateBefore)} → ${pct(st.hackRateAfter)}</td>
              <td class="desc">${st.description}</td>
            </tr>`,
        )}
      </tbody>
    </table>
    ${
      s.picksHonoured || s.picksFilteredOut
        ? html`<p class="hint">Reviewer picks: ${s.picksHonoured} honoured, ${s.picksFilteredOut} filtered out.</p>`
        : nothing
    }
    ${s.candidates > 0 && s.selected === 0 ? html`<p class="warning">Nothing is selected: loosen the filters to export.</p>` : nothing}
  </div>`;
}

function figure(id: string, value: string, label: string): TemplateResult {
  return html`<div class="figure" data-testid=${`figure-${id}`}><strong>${value}</strong><span class="hint">${label}</span></div>`;
}

export function renderPreview(slot: Slot<CurationPreviewResult>): TemplateResult {
  const value = shownValue(slot);
  return html`<section data-testid="preview">
    <h2>Preview: prompt as generated → prompt as trained</h2>
    ${
      slot.status === 'error'
        ? html`<p class="error" role="alert">${slot.message}</p>`
        : !value
          ? html`<p class="status">${slot.status === 'loading' ? 'Rendering the preview…' : 'No preview yet.'}</p>`
          : previewBody(value, slot.status === 'loading')
    }
  </section>`;
}

function previewBody(value: CurationPreviewResult, stale: boolean): TemplateResult {
  const pairs = Object.entries(value.counts).sort();
  const meta = `${value.selected} selected samples: ${pairs.length ? pairs.map(([k, n]) => `${k} ${n}`).join(' · ') : 'none'}`;
  return html`<div class=${stale ? 'stale' : ''}>
    <p class="meta">${meta}</p>
    ${value.samples.length ? value.samples.map(sample) : html`<p class="status">No selected sample to show.</p>`}
    ${
      value.rows.length
        ? html`<details data-testid="preview-rows">
          <summary>The first ${value.rows.length} exported rows</summary>
          ${value.rows.map((r) => html`<pre class="row-json">${JSON.stringify(r, null, 2)}</pre>`)}
        </details>`
        : nothing
    }
  </div>`;
}

function sample(s: CurationPreviewSample): TemplateResult {
  const same = JSON.stringify(s.generated) === JSON.stringify(s.trained);
  const meta = `problem ${s.problemId} · ${s.generationVariant} → ${s.trainingVariant}${same ? ' (prompt unchanged)' : ''}`;
  return html`<article class="sample" data-testid="sample" data-candidate=${s.candidateId}>
    <div class="sample-head"><strong>${s.candidateId}</strong><span class="meta">${meta}</span></div>
    <div class="pair">
      <div>
        <h3>As generated (${s.generationVariant})</h3>
        ${prompt(s.generated, s.trained, 'generated')}
      </div>
      <div>
        <h3>As trained (${s.trainingVariant})</h3>
        ${prompt(s.trained, s.generated, 'trained')}
      </div>
    </div>
    <h3>Completion (the same under both prompts)</h3>
    <pre class="completion" data-testid="completion">${s.completion}</pre>
  </article>`;
}

function prompt(msgs: readonly CurationChatMessage[], other: readonly CurationChatMessage[], which: string): TemplateResult {
  return html`<div data-testid=${`prompt-${which}`}>
    ${msgs.map((m, i) => {
      const changed = other[i]?.content !== m.content || other[i]?.role !== m.role;
      return html`<pre class=${`prompt${changed ? ' changed' : ''}`}><span class="role">[${m.role}]\n</span>${m.content}</pre>`;
    })}
  </div>`;
}

export interface ExportHooks {
  open(path: string): void;
  overwrite(): void;
}

export function renderExport(state: ExportState, hooks: ExportHooks): TemplateResult {
  return html`<section data-testid="export-state" data-status=${state.status}>${exportBody(state, hooks)}</section>`;
}

function exportBody(state: ExportState, hooks: ExportHooks): TemplateResult | typeof nothing {
  switch (state.status) {
    case 'idle':
      return nothing;
    case 'running':
      return html`<h2>Exporting…</h2>
        <vscode-progress-bar value=${state.percentage} max="100" aria-label="export progress"></vscode-progress-bar>
        <p class="meta">${state.percentage}% · ${state.message}</p>`;
    case 'cancelled':
      return html`<p class="warning">Export cancelled: no file was written.</p>`;
    case 'error':
      return html`<p class="error" role="alert">Export failed: ${state.message}</p>`;
    case 'exists':
      return html`<div class="warning" role="alert">
        <p>${state.path} already exists. Nothing was written.</p>
        <vscode-button data-testid="overwrite" @click=${() => hooks.overwrite()}>Overwrite</vscode-button>
      </div>`;
    case 'done': {
      const r = state.result;
      const f = r.files;
      const link = (path: string, label: string) => {
        const open = (e: Event) => {
          e.preventDefault();
          hooks.open(path);
        };
        return html`<a class="file" href="#" title=${path} data-path=${path} @click=${open}>${label}</a>`;
      };
      const recontextualized = Object.entries(r.recontextualized)
        .map(([k, n]) => `${k}: ${n}`)
        .join(' · ');
      return html`<h2>Exported</h2>
        <ul class="files" data-testid="export-files">
          <li>${link(f.train, f.train)} — ${r.rows.train} rows (${r.problems.train} problems)</li>
          ${
            f.validation
              ? html`<li>${link(f.validation, f.validation)} — ${r.rows.validation} rows (${r.problems.validation} problems)</li>`
              : nothing
          }
          <li>${link(f.provenance, f.provenance)} — provenance</li>
          <li>${link(f.card, 'Open the dataset card')} (${f.card})</li>
        </ul>
        <p class="meta">${recontextualized}</p>`;
    }
  }
}
