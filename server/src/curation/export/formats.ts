/**
 * The training-data formats. Each turns one curated problem into rows; a row is the JSON object for
 * the data file plus its provenance line. All prompts are conversational (lists of chat messages).
 *
 * - `chat`:  OpenAI chat fine-tuning — `{"messages": [system?, user, assistant]}`
 * - `trl`:   TRL prompt/completion, conversational — `{"prompt": [system?, user], "completion": [assistant]}`
 * - `pairs`: preference pairs (DPO) — `{"prompt": [...], "chosen": [assistant], "rejected": [assistant]}`;
 *            each selected clean candidate against a hack of the same problem (hacks taken in turn,
 *            most confident first); a problem without a hack gives no pair
 * - `kto`:   `{"prompt": [...], "completion": [assistant], "label": true|false}`; selected clean
 *            candidates are `true`, every hack of the problem (skipped problems included) is `false`
 */
import type { CuratedProblem } from '../curate';
import { recontextualize, type PromptCache, type VariantMapping } from '../recontextualize';
import { stripThink } from '../reasoning';
import type { CurationItem } from '../../../../contract/curation';
import { CURATION_FORMATS, type CurationFormat } from '../../../../contract/curation';
import type { ChatMessage } from '../variants';

export type FormatName = CurationFormat;
export const FORMAT_NAMES: readonly FormatName[] = CURATION_FORMATS;

/** One line of the `<name>.provenance.jsonl` sidecar; `row` is 0-based within its file. */
export interface Provenance {
  readonly file: 'train' | 'validation';
  readonly row: number;
  readonly candidateId: string;
  readonly problemId: string;
  readonly generationVariant: string;
  readonly trainingVariant: string;
  /** `best`, `random`, `all`, `pick` (a reviewer's pick), or `hack` for a rejected / negative row. */
  readonly selection: string;
  /** pairs: the rejected candidate. */
  readonly rejectedCandidateId?: string;
  readonly rejectedGenerationVariant?: string;
  /** kto: the row's label. */
  readonly label?: boolean;
}

export type RowProvenance = Omit<Provenance, 'file' | 'row'>;

export interface Row {
  readonly data: unknown;
  readonly provenance: RowProvenance;
}

export interface RowContext {
  readonly mapping: VariantMapping;
  readonly prompts: PromptCache;
  readonly stripReasoning: boolean;
}

const assistant = (content: string): ChatMessage => ({ role: 'assistant', content });

function completionOf(item: CurationItem, ctx: RowContext): string {
  return ctx.stripReasoning ? stripThink(item.candidate.completion) : item.candidate.completion;
}

function rendered(item: CurationItem, ctx: RowContext) {
  return recontextualize(item.problem, item.candidate, ctx.mapping, ctx.prompts, completionOf(item, ctx));
}

function provenance(item: CurationItem, r: ReturnType<typeof rendered>, selection: string): RowProvenance {
  return {
    candidateId: item.candidate.id,
    problemId: item.problem.id,
    generationVariant: r.generationVariant,
    trainingVariant: r.trainingVariant,
    selection,
  };
}

/** The sampled token ids, when the exported completion is the sampled text unchanged (the trainer
 *  then trains on exactly these tokens; see the worker's `chat.encode`). */
function sampledIds(item: CurationItem, completion: string): { completion_token_ids?: readonly number[] } {
  const ids = item.candidate.completionTokenIds;
  return ids && completion === item.candidate.completion ? { completion_token_ids: ids } : {};
}

function* chatRows(p: CuratedProblem, ctx: RowContext): Generator<Row> {
  for (const item of p.selected) {
    const r = rendered(item, ctx);
    yield {
      data: { messages: [...r.prompt, assistant(r.completion)], ...sampledIds(item, r.completion) },
      provenance: provenance(item, r, p.how),
    };
  }
}

function* trlRows(p: CuratedProblem, ctx: RowContext): Generator<Row> {
  for (const item of p.selected) {
    const r = rendered(item, ctx);
    yield {
      data: { prompt: r.prompt, completion: [assistant(r.completion)], ...sampledIds(item, r.completion) },
      provenance: provenance(item, r, p.how),
    };
  }
}

const byConfidence = (a: CurationItem, b: CurationItem): number =>
  (b.verdict?.label === 'hack' ? 2 : (b.analysis?.hackProbability ?? 0)) -
    (a.verdict?.label === 'hack' ? 2 : (a.analysis?.hackProbability ?? 0)) ||
  (a.candidate.id < b.candidate.id ? -1 : a.candidate.id > b.candidate.id ? 1 : 0);

function* pairRows(p: CuratedProblem, ctx: RowContext): Generator<Row> {
  if (!p.hacks.length) return;
  const hacks = p.hacks.slice().sort(byConfidence);
  let i = 0;
  for (const item of p.selected) {
    const r = rendered(item, ctx);
    const hack = hacks[i++ % hacks.length]!;
    const h = rendered(hack, ctx);
    yield {
      data: { prompt: r.prompt, chosen: [assistant(r.completion)], rejected: [assistant(h.completion)] },
      provenance: {
        ...provenance(item, r, p.how),
        rejectedCandidateId: hack.candidate.id,
        rejectedGenerationVariant: h.generationVariant,
      },
    };
  }
}

function* ktoRows(p: CuratedProblem, ctx: RowContext): Generator<Row> {
  for (const item of p.selected) {
    const r = rendered(item, ctx);
    yield {
      data: { prompt: r.prompt, completion: [assistant(r.completion)], label: true },
      provenance: { ...provenance(item, r, p.how), label: true },
    };
  }
  for (const item of p.hacks) {
    const r = rendered(item, ctx);
    yield {
      data: { prompt: r.prompt, completion: [assistant(r.completion)], label: false },
      provenance: { ...provenance(item, r, 'hack'), label: false },
    };
  }
}

export const FORMATS: Readonly<Record<FormatName, (p: CuratedProblem, ctx: RowContext) => Iterable<Row>>> = {
  chat: chatRows,
  trl: trlRows,
  pairs: pairRows,
  kto: ktoRows,
};
