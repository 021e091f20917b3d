/**
 * Export: curate a source and write the training files, their provenance sidecar and the dataset
 * card — streaming, problem by problem, so memory does not grow with the number of candidates.
 *
 * Files, for `--out DIR/NAME.jsonl`: `NAME.jsonl` (train, or everything without a split),
 * `NAME.val.jsonl` (with a split), `NAME.provenance.jsonl`, `NAME.card.md`. Every file is written under
 * a temporary name and renamed only once all of them are complete; on any error or cancellation none
 * is left behind. Existing files are refused unless `force`.
 */
import path from 'node:path';
import { curateStream } from '../curate';
import { CurationError } from '../errors';
import { describeMapping, PromptCache, type VariantMapping } from '../recontextualize';
import { validationProblems } from '../split';
import type { CurationOptions, CurationSource, CurationStats } from '../../../../contract/curation';
import type { PromptVariant } from '../variants';
import { abortAll, AtomicFile, commitAll, refuseExisting, type OpenSink } from './atomicFile';
import { renderCard } from './card';
import { FORMATS, type FormatName, type Provenance } from './formats';

export interface ExportOptions {
  readonly format: FormatName;
  /** The main data file; the other files are named after it. */
  readonly out: string;
  /** Share of problems for validation, 0..1 (0: no split). */
  readonly split: number;
  /** Seeds the split (the curation options carry their own seed for `random`). */
  readonly seed: number;
  readonly curation: CurationOptions;
  readonly variants: ReadonlyMap<string, PromptVariant>;
  readonly mapping: VariantMapping;
  readonly force?: boolean;
  readonly signal?: AbortSignal;
  /** Called after each problem with candidates seen so far. */
  readonly onProgress?: (candidatesDone: number) => void;
  /** The review set's name, for the card. */
  readonly reviewSet?: string;
  /** For reproducible cards (tests); defaults to now. */
  readonly generatedAt?: string;
  /** The file opener; tests pass one that fails mid-way. */
  readonly openSink?: OpenSink;
}

export interface ExportFiles {
  readonly train: string;
  readonly validation?: string;
  readonly provenance: string;
  readonly card: string;
}

export interface ExportResult {
  readonly files: ExportFiles;
  readonly rows: { readonly train: number; readonly validation: number };
  readonly problems: { readonly train: number; readonly validation: number };
  readonly stats: CurationStats;
  readonly recontextualized: Readonly<Record<string, number>>;
}

export function exportPaths(out: string, split: number): ExportFiles {
  const dir = path.dirname(out);
  const base = path.basename(out);
  const stem = base.endsWith('.jsonl') ? base.slice(0, -6) : base.replace(/\.[^.]*$/, '') || base;
  return {
    train: out,
    ...(split > 0 ? { validation: path.join(dir, `${stem}.val.jsonl`) } : {}),
    provenance: path.join(dir, `${stem}.provenance.jsonl`),
    card: path.join(dir, `${stem}.card.md`),
  };
}

/** Why nothing could be exported, in words a person can act on. */
function emptyMessage(format: FormatName, s: CurationStats): string {
  if (s.candidates === 0) return 'the review set has no candidates';
  if (s.hacks === s.candidates)
    return `every candidate is a hack (${s.candidates} candidates, ${s.problems} problems): there is no clean sample to train on`;
  if (s.selected === 0) {
    const by = s.stages
      .filter((st) => st.removed > 0)
      .map((st) => `${st.stage} ${st.removed}`)
      .join(', ');
    return `every candidate was filtered out (${s.candidates} candidates; removed by ${by}); loosen the filters`;
  }
  if (format === 'pairs') return 'no preference pair: no problem has both a selected clean candidate and a hack';
  return 'nothing to export';
}

export async function exportDataset(source: CurationSource, o: ExportOptions): Promise<ExportResult> {
  if (!(o.split >= 0 && o.split < 1)) throw new CurationError(`--split must be at least 0 and below 1, got ${o.split}`);
  const files = exportPaths(o.out, o.split);
  const targets = [files.train, files.validation, files.provenance, files.card].filter((f): f is string => f !== undefined);
  if (new Set(targets).size !== targets.length) throw new CurationError(`output names collide: ${targets.join(', ')}`);
  const validation = validationProblems(source.problemIds(), o.split, o.seed);

  const opened: AtomicFile[] = [];
  const open = async (p: string) => {
    const f = await AtomicFile.open(p, { force: o.force, openSink: o.openSink });
    opened.push(f);
    return f;
  };
  try {
    if (!o.force) await refuseExisting(targets);
    const train = await open(files.train);
    const val = files.validation ? await open(files.validation) : undefined;
    const prov = await open(files.provenance);

    const rows = { train: 0, validation: 0 };
    const problems = { train: 0, validation: 0 };
    const recontextualized: Record<string, number> = {};
    const ctx = { mapping: o.mapping, prompts: new PromptCache(o.variants), stripReasoning: o.curation.stripReasoning };
    const run = curateStream(source.items(), o.curation);
    let sinceYield = 0;
    for (const p of run.problems) {
      o.signal?.throwIfAborted();
      const side = val && validation.has(p.problem.id) ? 'validation' : 'train';
      const file = side === 'validation' ? val! : train;
      let any = false;
      for (const r of FORMATS[o.format](p, ctx)) {
        any = true;
        const prov1: Provenance = { file: side, row: rows[side]++, ...r.provenance };
        await file.write(JSON.stringify(r.data) + '\n');
        await prov.write(JSON.stringify(prov1) + '\n');
        const key = `${prov1.generationVariant} → ${prov1.trainingVariant}`;
        recontextualized[key] = (recontextualized[key] ?? 0) + 1;
      }
      if (any) problems[side]++;
      if (++sinceYield >= 256) {
        // let a cancellation (SIGINT) or a progress redraw in
        sinceYield = 0;
        o.onProgress?.(run.stats().candidates);
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    }
    const stats = run.stats();
    o.onProgress?.(stats.candidates);
    if (rows.train + rows.validation === 0) throw new CurationError(emptyMessage(o.format, stats));

    const usedVariants = new Set<string>();
    for (const k of Object.keys(recontextualized)) for (const n of k.split(' → ')) usedVariants.add(n);
    const card = await open(files.card);
    await card.write(
      renderCard({
        name: path.basename(files.train).replace(/\.jsonl$/, ''),
        reviewSet: o.reviewSet,
        format: o.format,
        curation: o.curation,
        stats,
        split: o.split,
        seed: o.seed,
        mapping: describeMapping(o.mapping),
        recontextualized,
        variants: [...usedVariants].sort().flatMap((n) => (o.variants.has(n) ? [o.variants.get(n)!] : [])),
        files,
        rows,
        problems,
        generatedAt: o.generatedAt ?? new Date().toISOString(),
      }),
    );
    o.signal?.throwIfAborted();
    await commitAll(opened);
    return { files, rows, problems, stats, recontextualized };
  } catch (e) {
    await abortAll(opened);
    throw e;
  }
}
