/**
 * The form's controls. Built once (typing is never interrupted by a re-render); each change is parsed,
 * checked against its range, and handed to `onChange` as a whole new form. A field holding something
 * out of range is marked and keeps the last good value in the form.
 */
import type { ReasoningFlag } from '../../contract/curation';
import { h } from '../panel/dom';
import { FORMATS, MAPPINGS, type CurationForm } from '../../contract/webview/curation';

type Patch = Partial<{ -readonly [K in keyof CurationForm]: CurationForm[K] }>;

export interface ControlHooks {
  onChange(patch: Patch): void;
  onExport(): void;
  onCancel(): void;
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
  readonly root: HTMLElement;
  private readonly scorerBox = h('div', { 'data-testid': 'scorer-limits' });
  private scorers: readonly string[] = [];
  readonly exportButton: HTMLElement;
  readonly cancelButton: HTMLElement;

  constructor(
    private form: () => CurationForm,
    private readonly hooks: ControlHooks,
  ) {
    const f = form();
    this.exportButton = button('Export', () => hooks.onExport(), { 'data-testid': 'export', icon: 'save' });
    this.cancelButton = button('Cancel', () => hooks.onCancel(), { 'data-testid': 'export-cancel', secondary: '', disabled: '' });
    this.root = h(
      'form',
      { class: 'controls', 'data-testid': 'controls' },
      fieldset(
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
        this.numberField(
          'Seed',
          'seed',
          String(f.seed),
          (s) => intIn(s, 0, 2 ** 32 - 1),
          (n) => ({ seed: n }),
        ),
      ),
      fieldset(
        'Score filters',
        this.numberField(
          'Ensemble threshold (drop at or above; empty: the ensemble’s own call)',
          'max-score',
          f.maxScore === null ? '' : String(f.maxScore),
          (s) => (s.trim() === '' ? null : unit(s)),
          (n) => ({ maxScore: n }),
        ),
        h('h3', {}, 'Per-scorer maximum hack probability'),
        this.scorerBox,
      ),
      fieldset(
        'Reasoning',
        h('p', { class: 'hint' }, 'Drop clean candidates whose reasoning…'),
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
      ),
      fieldset(
        'Quality',
        this.numberField('Minimum visible-test pass rate (0–1)', 'min-visible-pass', String(f.minVisiblePass), unit, (n) => ({
          minVisiblePass: n,
        })),
      ),
      fieldset(
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
      ),
      fieldset(
        'Export',
        field(
          'Format',
          select('format', f.format, FORMATS, (v) => hooks.onChange({ format: v as CurationForm['format'] })),
        ),
        this.numberField(
          'Validation split (share of problems, 0 ≤ s < 1)',
          'split',
          String(f.split),
          (s) => {
            const n = unit(s);
            return n !== undefined && n < 1 ? n : undefined;
          },
          (n) => ({ split: n }),
        ),
        this.numberField(
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
        h('div', { class: 'buttons' }, this.exportButton, this.cancelButton),
      ),
    );
    this.root.addEventListener('submit', (e) => e.preventDefault());
    this.setScorers([]);
  }

  /** Rebuilds the per-scorer fields when the set's scorers change (from the counts). */
  setScorers(names: readonly string[]): void {
    if (names.length === this.scorers.length && names.every((n, i) => n === this.scorers[i])) return;
    this.scorers = names;
    const limits = this.form().maxScoreFor;
    if (!names.length) {
      this.scorerBox.replaceChildren(h('p', { class: 'hint' }, 'No scores yet: analyse the review set first.'));
      return;
    }
    this.scorerBox.replaceChildren(
      ...names.map((name) =>
        this.numberField(
          name,
          `scorer-${name}`,
          limits[name] === undefined ? '' : String(limits[name]),
          (s) => (s.trim() === '' ? null : unit(s)),
          (n) => {
            const next = { ...this.form().maxScoreFor };
            if (n === null) delete next[name];
            else next[name] = n;
            return { maxScoreFor: next };
          },
          'no limit',
        ),
      ),
    );
  }

  /** Export is possible when a set is open and no export runs; cancel only while one runs. */
  setExporting(running: boolean, usable: boolean): void {
    toggle(this.exportButton, 'disabled', running || !usable);
    toggle(this.cancelButton, 'disabled', !running);
  }

  private numberField<T>(
    label: string,
    id: string,
    value: string,
    parse: (s: string) => T | undefined,
    patch: (v: T) => Patch,
    placeholder?: string,
  ): HTMLElement {
    return this.textField(label, id, value, parse, patch, placeholder);
  }

  private textField<T>(
    label: string,
    id: string,
    value: string,
    parse: (s: string) => T | undefined,
    patch: (v: T) => Patch,
    placeholder?: string,
  ): HTMLElement {
    const input = h('vscode-textfield', { id, 'data-testid': id, value, ...(placeholder ? { placeholder } : {}) }) as ValueElement;
    const why = h('span', { class: 'why' });
    const wrap = field(label, input, why);
    input.addEventListener('input', () => {
      const v = parse(input.value);
      const bad = v === undefined;
      wrap.classList.toggle('invalid', bad);
      toggle(input, 'invalid', bad);
      why.textContent = bad ? 'out of range' : '';
      if (!bad) this.hooks.onChange(patch(v));
    });
    return wrap;
  }
}

function fieldset(title: string, ...children: HTMLElement[]): HTMLElement {
  return h('fieldset', {}, h('legend', {}, title), ...children);
}

function field(label: string, ...controls: HTMLElement[]): HTMLElement {
  return h('div', { class: 'field' }, h('label', {}, label), ...controls);
}

function select(
  id: string,
  value: string,
  options: readonly { value: string; label: string }[],
  onChange: (v: string) => void,
): HTMLElement {
  const el = h('vscode-single-select', { id, 'data-testid': id }) as ValueElement;
  for (const o of options) el.append(h('vscode-option', { value: o.value, ...(o.value === value ? { selected: '' } : {}) }, o.label));
  el.addEventListener('change', () => onChange(el.value));
  return el;
}

function checkbox(label: string, id: string, checked: boolean, onChange: (on: boolean) => void): HTMLElement {
  const el = h('vscode-checkbox', { id, 'data-testid': id, label, ...(checked ? { checked: '' } : {}) }) as CheckElement;
  el.addEventListener('change', () => onChange(el.checked));
  return h('div', { class: 'field row' }, el);
}

function button(label: string, onClick: () => void, attrs: Record<string, string>): HTMLElement {
  const b = h('vscode-button', attrs, label);
  b.addEventListener('click', (e) => {
    e.preventDefault();
    if (!b.hasAttribute('disabled')) onClick();
  });
  return b;
}

function toggle(el: HTMLElement, attr: string, on: boolean): void {
  if (on) el.setAttribute(attr, '');
  else el.removeAttribute(attr);
}

function unit(s: string): number | undefined {
  const n = Number(s.trim());
  return s.trim() !== '' && Number.isFinite(n) && n >= 0 && n <= 1 ? n : undefined;
}

function intIn(s: string, min: number, max: number): number | undefined {
  const n = Number(s.trim());
  return s.trim() !== '' && Number.isInteger(n) && n >= min && n <= max ? n : undefined;
}
