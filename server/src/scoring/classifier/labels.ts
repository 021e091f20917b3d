/**
 * The labels a labelled review-set file carries, for the scripts that train and calibrate on it.
 */
import { readFileSync } from 'node:fs';

/** completion text → label, from every `label` found in a JSONL file's rows (nested objects included). */
export function labelsByText(file: string): Map<string, 0 | 1> {
  const out = new Map<string, 0 | 1>();
  const asLabel = (v: unknown): 0 | 1 | undefined =>
    v === 'hack' || v === 1 || v === true ? 1 : v === 'clean' || v === 0 || v === false ? 0 : undefined;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const row = JSON.parse(line) as Record<string, unknown>;
    const rowLabel = asLabel((row['metadata'] as Record<string, unknown> | undefined)?.['label'] ?? row['label']);
    const visit = (v: unknown, inherited: 0 | 1 | undefined): void => {
      if (Array.isArray(v)) {
        for (const x of v) visit(x, inherited);
        return;
      }
      if (!v || typeof v !== 'object') return;
      const o = v as Record<string, unknown>;
      const own = asLabel(o['label']) ?? inherited;
      for (const k of ['completion', 'content', 'code', 'response']) {
        const t = o[k];
        if (typeof t === 'string' && own !== undefined && o['role'] !== 'user' && o['role'] !== 'system') out.set(t.trim(), own);
      }
      for (const x of Object.values(o)) if (x && typeof x === 'object') visit(x, own);
    };
    visit(row, rowLabel);
  }
  return out;
}

export interface SourceSpec {
  readonly name: string;
  readonly file: string;
  readonly format: 'mbpp' | 'stdio' | 'chat' | 'loophole' | 'auto';
  /** The label of rows that carry none (`@clean` / `@hack`: a file of counterparts written as one kind). */
  readonly fallback?: 0 | 1;
}

/** `NAME=FILE[:FORMAT][@clean|@hack]`, as the training and calibration scripts take their sources. */
export function parseSourceSpec(spec: string): SourceSpec {
  const eq = spec.indexOf('=');
  if (eq <= 0) throw new Error(`a source is NAME=FILE[:FORMAT][@clean|@hack], got "${spec}"`);
  const m = /^(.*?)(?::(mbpp|stdio|chat|loophole|auto))?(?:@(clean|hack))?$/.exec(spec.slice(eq + 1))!;
  return {
    name: spec.slice(0, eq),
    file: m[1]!,
    format: (m[2] ?? 'auto') as SourceSpec['format'],
    ...(m[3] ? { fallback: m[3] === 'hack' ? 1 : 0 } : {}),
  };
}

/** A labeller for one source file's candidates: MBPP rows by position (`correct_code` is clean), the
 *  rest by the label the file gives their completion, else the spec's fallback. */
export function labeller(spec: SourceSpec): (c: { id: string; completion: string }) => 0 | 1 | undefined {
  if (spec.format === 'mbpp') return (c) => (c.id.endsWith('/s1') ? 1 : 0);
  const labels = labelsByText(spec.file);
  return (c) => labels.get(c.completion.trim()) ?? spec.fallback;
}
