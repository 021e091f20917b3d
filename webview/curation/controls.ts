/**
 * The form's controls, as a lit template. A field's value is bound once, to what the form held when the
 * panel opened (or when a scorer's field first appeared), so a re-render never touches what is being
 * typed; each change is parsed, checked against its range, and handed to `onChange` as a whole new form.
 * A field holding something out of range is marked and keeps the last good value in the form.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { ReasoningFlag } from '../../contract/curation';
import { FORMATS, MAPPINGS, type CurationForm } from '../../contract/webview/curation';

type Patch = Partial<{ -readonly [K in keyof CurationForm]: CurationForm[K] }>;

export interface ControlHooks {
  onChange(patch: Patch): void;
  onExport(): void;
  onCancel(): void;
  /** The controls' own state changed (a field marked invalid or valid again): draw the page again. */
  onRedraw(): void;
}

interface ValueElement extends HTMLElement {
  value: string;
}
interface CheckElement extends HTMLElement {
  checked: boolean;
}

const FLAGS: readonly { flag: ReasoningFlag; label: string }[] = [
  { flag: 'mention', label: 'mentions the tests' },
  { flag: 'intent', label: 'states an intent to pass them' },
  { flag: 'notice', label: 'notices a wrong test' },
];

export class Controls {
  /** The form as the panel opened: the fields' bound values. */
  private readonly initial: CurationForm;
  private scorers: readonly string[] = [];
  /** Each scorer field's bound value, fixed when the field first appears. */
  private readonly scorerInitial = new Map<string, string>();
  /** Ids of the fields holding a value out of range. */
  private readonly invalid = new Set<string>();
  private running = false;
  private usable = false;

  constructor(
    private form: () => CurationForm,
    private readonly hooks: ControlHooks,
  ) {
    this.initial = form();
  }

  /** The per-scorer fields follow the set's scorers (from the counts). */
  setScorers(names: readonly string[]): void {
    const limits = this.form().maxScoreFor;
    for (const name of names)
      if (!this.scorerInitial.has(name)) this.scorerInitial.set(name, limits[name] === undefined ? '' : String(limits[name]));
    this.scorers = names;
  }

  /** Export is possible when a set is open and no export runs; cancel only while one runs. */
  setExporting(running: boolean, usable: boolean): void {
    this.running = running;
    this.usable = usable;
  }

  view(): TemplateResult {
    const f = this.initial;
    const hooks = this.hooks;
    return html`<form class="controls" data-testid="controls" @submit=${(e: Event) => e.preventDefault()}>
      ${fieldset(
        'Selection',
        field(
          'Rule',
          select(
            'select',
            f.select,
            [
              { value: 'best', label: 'best — reviewer’s pick, else the strongest clean candidate' },
              { value: 'random', label: 'random — one clean candidate, seeded' },
              { value: 'all', label: 'all clean candidates' },
            ],
            (v) => hooks.onChange({ select: v as CurationForm['select'] }),
          ),
        ),
        this.textField(
          'Seed',
          'seed',
          String(f.seed),
          (s) => intIn(s, 0, 2 ** 32 - 1),
          (n) => ({ seed: n }),
        ),
      )}
      ${fieldset(
        'Score filters',
        this.textField(
          'Ensemble threshold (drop at or above; empty: the ensemble’s own call)',
          'max-score',
          f.maxScore === null ? '' : String(f.maxScore),
          (s) => (s.trim() === '' ? null : unit(s)),
          (n) => ({ maxScore: n }),
        ),
        html`<h3>Per-scorer maximum hack probability</h3>`,
        html`<div data-testid="scorer-limits">${this.scorerFields()}</div>`,
      )}
      ${fieldset(
        'Reasoning',
        html`<p class="hint">Drop clean candidates whose reasoning…</p>`,
        ...FLAGS.map(({ flag, label }) =>
          checkbox(label, `flag-${flag}`, f.dropReasoningFlags.includes(flag), (on) => {
            const now = new Set(this.form().dropReasoningFlags);
            if (on) now.add(flag);
            else now.delete(flag);
            hooks.onChange({ dropReasoningFlags: FLAGS.map((x) => x.flag).filter((x) => now.has(x)) });
          }),
        ),
        checkbox('strip <think> reasoning from completions', 'strip-reasoning', f.stripReasoning, (on) =>
          hooks.onChange({ stripReasoning: on }),
        ),
      )}
      ${fieldset(
        'Quality',
        this.textField('Minimum visible-test pass rate (0–1)', 'min-visible-pass', String(f.minVisiblePass), unit, (n) => ({
          minVisiblePass: n,
        })),
      )}
      ${fieldset(
        'Recontextualize',
        field(
          'Generation → training prompt',
          select(
            'mapping',
            f.mapping,
            MAPPINGS.map((m) => ({ value: m.value, label: m.label })),
            (v) => hooks.onChange({ mapping: v as CurationForm['mapping'] }),
          ),
        ),
      )}
      ${fieldset(
        'Export',
        field(
          'Format',
          select('format', f.format, FORMATS, (v) => hooks.onChange({ format: v as CurationForm['format'] })),
        ),
        this.textField(
          'Validation split (share of problems, 0 ≤ s < 1)',
          'split',
          String(f.split),
          (s) => {
            const n = unit(s);
            return n !== undefined && n < 1 ? n : undefined;
          },
          (n) => ({ split: n }),
        ),
        this.textField(
          'Split seed',
          'split-seed',
          String(f.splitSeed),
          (s) => intIn(s, 0, 2 ** 32 - 1),
          (n) => ({ splitSeed: n }),
        ),
        this.textField(
          'Output file (relative to the review set’s folder)',
          'out',
          f.out,
          (s) => (s.trim() ? s.trim() : undefined),
          (v) => ({ out: v }),
        ),
        html`<div class="buttons">
          ${button('Export', () => hooks.onExport(), { testid: 'export', icon: 'save', disabled: this.running || !this.usable })}
          ${button('Cancel', () => hooks.onCancel(), { testid: 'export-cancel', secondary: true, disabled: !this.running })}
        </div>`,
      )}
    </form>`;
  }

  private scorerFields(): TemplateResult | TemplateResult[] {
    if (!this.scorers.length) return html`<p class="hint">No scores yet: analyse the review set first.</p>`;
    return repeat(
      this.scorers,
      (name) => name,
      (name) =>
        this.textField(
          name,
          `scorer-${name}`,
          this.scorerInitial.get(name) ?? '',
          (s) => (s.trim() === '' ? null : unit(s)),
          (n) => {
            const next = { ...this.form().maxScoreFor };
            if (n === null) delete next[name];
            else next[name] = n;
            return { maxScoreFor: next };
          },
          'no limit',
        ),
    ) as unknown as TemplateResult[];
  }

  private textField<T>(
    label: string,
    id: string,
    value: string,
    parse: (s: string) => T | undefined,
    patch: (v: T) => Patch,
    placeholder?: string,
  ): TemplateResult {
    const bad = this.invalid.has(id);
    const changed = (e: Event) => {
      const v = parse((e.currentTarget as ValueElement).value);
      const wasBad = this.invalid.has(id);
      if (v === undefined) this.invalid.add(id);
      else this.invalid.delete(id);
      if (wasBad !== (v === undefined)) this.hooks.onRedraw();
      if (v !== undefined) this.hooks.onChange(patch(v));
    };
    return html`<div class=${bad ? 'field invalid' : 'field'}>
      <label>${label}</label>
      <vscode-textfield
        id=${id}
        data-testid=${id}
        value=${value}
        placeholder=${placeholder ?? nothing}
        ?invalid=${bad}
        @input=${changed}
      ></vscode-textfield>
      <span class="why">${bad ? 'out of range' : ''}</span>
    </div>`;
  }
}

function fieldset(title: string, ...children: TemplateResult[]): TemplateResult {
  return html`<fieldset>
    <legend>${title}</legend>
    ${children}
  </fieldset>`;
}

function field(label: string, ...controls: TemplateResult[]): TemplateResult {
  return html`<div class="field">
    <label>${label}</label>
    ${controls}
  </div>`;
}

function select(
  id: string,
  value: string,
  options: readonly { value: string; label: string }[],
  onChange: (v: string) => void,
): TemplateResult {
  return html`<vscode-single-select id=${id} data-testid=${id} @change=${(e: Event) => onChange((e.currentTarget as ValueElement).value)}>
    ${options.map((o) => html`<vscode-option value=${o.value} ?selected=${o.value === value}>${o.label}</vscode-option>`)}
  </vscode-single-select>`;
}

function checkbox(label: string, id: string, checked: boolean, onChange: (on: boolean) => void): TemplateResult {
  return html`<div class="field row">
    <vscode-checkbox
      id=${id}
      data-testid=${id}
      label=${label}
      ?checked=${checked}
      @change=${(e: Event) => onChange((e.currentTarget as CheckElement).checked)}
    ></vscode-checkbox>
  </div>`;
}

function button(
  label: string,
  onClick: () => void,
  o: { testid: string; icon?: string; secondary?: boolean; disabled: boolean },
): TemplateResult {
  const clicked = (e: Event) => {
    e.preventDefault();
    if (!(e.currentTarget as HTMLElement).hasAttribute('disabled')) onClick();
  };
  return html`<vscode-button
    data-testid=${o.testid}
    icon=${o.icon ?? nothing}
    ?secondary=${o.secondary === true}
    ?disabled=${o.disabled}
    @click=${clicked}
    >${label}</vscode-button
  >`;
}

function unit(s: string): number | undefined {
  const n = Number(s.trim());
  return s.trim() !== '' && Number.isFinite(n) && n >= 0 && n <= 1 ? n : undefined;
}

function intIn(s: string, min: number, max: number): number | undefined {
  const n = Number(s.trim());
  return s.trim() !== '' && Number.isInteger(n) && n >= min && n <= max ? n : undefined;
}
