/**
 * Generated samples → candidates in the review set, with provenance: model, prompt variant, sample
 * index, the sampling parameters and seed, and the job. Ids are `<problem>/<job>/<variant>/<k>`, so a
 * resumed job rewrites (not duplicates) what it already stored.
 */
import type { Candidate, GenerationProvenance, Problem } from '../../../contract/domain';
import { extractCode } from '../formats/extract';
import { renderPrompt, type PromptVariant } from '../curation/variants';
import type { WorkerPrompt } from '../jobs/workerProtocol';

export interface PromptMeta {
  readonly problemId: string;
  readonly variant: string;
}

/** One prompt per (problem, variant); the prompt id names both. */
export function promptsFor(problems: readonly Problem[], variants: readonly PromptVariant[]): WorkerPrompt[] {
  const out: WorkerPrompt[] = [];
  for (const v of variants) {
    for (const p of problems) {
      out.push({ id: `${p.id}#${v.name}`, messages: renderPrompt(v, p), meta: { problemId: p.id, variant: v.name } satisfies PromptMeta });
    }
  }
  return out;
}

export function candidateFrom(
  problem: Problem,
  variant: string,
  sampleIndex: number,
  completion: string,
  model: string,
  generation: GenerationProvenance,
  tokenIds?: readonly number[],
): Candidate {
  const { code, reasoning } = extractCode(completion, problem.entryPoint);
  return {
    id: `${problem.id}/${generation.job ?? 'gen'}/${variant}/${sampleIndex}`,
    problemId: problem.id,
    completion,
    code,
    ...(reasoning !== undefined ? { reasoning } : {}),
    promptVariant: variant,
    model,
    sampleIndex,
    generation,
    ...(tokenIds ? { completionTokenIds: tokenIds } : {}),
    source: generation.job ? `job:${generation.job}` : 'generate',
  };
}
