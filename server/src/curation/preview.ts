/**
 * What the curation panel (and `loophole recontextualize`) shows before anything is written: the
 * first rows an export would produce, and each selected sample's prompt before and after
 * recontextualization. Both stop as soon as they have enough rows; counts need a full pass
 * (`curationCounts`).
 */
import { curateStream } from './curate';
import { FORMATS, type FormatName, type RowProvenance } from './export/formats';
import { generationVariantOf, PromptCache, trainingVariantFor, type VariantMapping } from './recontextualize';
import type { CurationOptions, CurationSource } from '../../../contract/curation';
import type { ChatMessage, PromptVariant } from './variants';

export interface PreviewRow {
  readonly data: unknown;
  readonly provenance: RowProvenance;
}

export function previewRows(
  source: CurationSource,
  o: {
    curation: CurationOptions;
    format: FormatName;
    mapping: VariantMapping;
    variants: ReadonlyMap<string, PromptVariant>;
    limit: number;
  },
): PreviewRow[] {
  const out: PreviewRow[] = [];
  if (o.limit <= 0) return out;
  const ctx = { mapping: o.mapping, prompts: new PromptCache(o.variants), stripReasoning: o.curation.stripReasoning };
  for (const p of curateStream(source.items(), o.curation).problems) {
    for (const r of FORMATS[o.format](p, ctx)) {
      out.push(r);
      if (out.length >= o.limit) return out;
    }
  }
  return out;
}

export interface RecontextualizedSample {
  readonly candidateId: string;
  readonly problemId: string;
  readonly generationVariant: string;
  readonly trainingVariant: string;
  /** The prompt as rendered under the generation variant. */
  readonly before: readonly ChatMessage[];
  /** The prompt the completion is trained with. */
  readonly after: readonly ChatMessage[];
  readonly completion: string;
}

export interface RecontextualizeReport {
  /** Selected samples per `generation → training`. */
  readonly counts: Readonly<Record<string, number>>;
  readonly selected: number;
  readonly samples: readonly RecontextualizedSample[];
}

/**
 * A full pass over the selected samples: counts per mapping pair, and the first `limit` samples
 * (those the mapping covers) with the prompt before and after.
 */
export function recontextualizePreview(
  source: CurationSource,
  o: {
    curation: CurationOptions;
    mapping: VariantMapping;
    variants: ReadonlyMap<string, PromptVariant>;
    limit: number;
    signal?: AbortSignal;
  },
): RecontextualizeReport {
  const counts: Record<string, number> = {};
  const samples: RecontextualizedSample[] = [];
  const prompts = new PromptCache(o.variants);
  let selected = 0;
  for (const p of curateStream(source.items(), o.curation).problems) {
    o.signal?.throwIfAborted();
    for (const item of p.selected) {
      selected++;
      const g = generationVariantOf(item.candidate);
      const t = trainingVariantFor(g, o.mapping);
      const key = `${g} → ${t}`;
      counts[key] = (counts[key] ?? 0) + 1;
      const after = prompts.prompt(p.problem, t);
      if (samples.length < o.limit && (o.mapping.pairs.has(g) || o.mapping.all !== undefined || o.mapping.pairs.size === 0)) {
        samples.push({
          candidateId: item.candidate.id,
          problemId: p.problem.id,
          generationVariant: g,
          trainingVariant: t,
          before: prompts.prompt(p.problem, g),
          after,
          completion: item.candidate.completion,
        });
      }
    }
  }
  return { counts, selected, samples };
}
