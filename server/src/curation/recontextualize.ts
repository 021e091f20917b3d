/**
 * Recontextualization: pair a completion with a different prompt than the one it was generated
 * under. The completion is never touched; only the prompt is re-rendered under the training variant.
 *
 * A `VariantMapping` says which training variant each generation variant becomes
 * (`discourage → neutral`, `discourage → permit`, `neutral → permit`, …); a generation variant not in
 * the mapping trains under itself (identity). A candidate without a recorded variant was generated
 * under `neutral`.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Candidate, Problem } from '../../../contract/domain';
import { renderPrompt, VariantError, type ChatMessage, type PromptVariant } from './variants';

export const DEFAULT_GENERATION_VARIANT = 'neutral';

export interface VariantMapping {
  /** generation variant → training variant */
  readonly pairs: ReadonlyMap<string, string>;
  /** The training variant for every generation variant not in `pairs`; absent: identity. */
  readonly all?: string;
}

export const IDENTITY: VariantMapping = { pairs: new Map() };

/** `discourage → neutral, * → permit`, or `identity`. */
export function describeMapping(m: VariantMapping): string {
  const parts = [...m.pairs].map(([a, b]) => `${a} → ${b}`);
  if (m.all !== undefined) parts.push(`* → ${m.all}`);
  return parts.length ? parts.join(', ') : 'identity';
}

export function generationVariantOf(c: Candidate): string {
  return c.promptVariant || DEFAULT_GENERATION_VARIANT;
}

export function trainingVariantFor(generation: string, mapping: VariantMapping): string {
  return mapping.pairs.get(generation) ?? mapping.all ?? generation;
}

export interface Recontextualized {
  readonly generationVariant: string;
  readonly trainingVariant: string;
  readonly prompt: readonly ChatMessage[];
  /** Byte-identical to the input completion. */
  readonly completion: string;
}

/**
 * Parses mapping specs: `to` alone maps every generation variant to `to`; `from=to` (or `from:to`,
 * `from->to`) maps one. Each name must be a known variant.
 */
export function parseMapping(specs: readonly string[], variants: ReadonlyMap<string, PromptVariant>): VariantMapping {
  const out = new Map<string, string>();
  let all: string | undefined;
  for (const spec of specs) {
    const parts = spec.split(/=|->|:/).map((s) => s.trim());
    if (parts.length > 2 || parts.some((p) => !p))
      throw new VariantError(`bad variant mapping ${JSON.stringify(spec)}: write FROM=TO or TO`);
    for (const p of parts) requireVariant(p, variants);
    if (parts.length === 1) all = parts[0]!;
    else out.set(parts[0]!, parts[1]!);
  }
  return all === undefined ? { pairs: out } : { pairs: out, all };
}

export function requireVariant(name: string, variants: ReadonlyMap<string, PromptVariant>): PromptVariant {
  const v = variants.get(name);
  if (!v) throw new VariantError(`unknown prompt variant ${JSON.stringify(name)} (known: ${[...variants.keys()].join(', ')})`);
  return v;
}

/**
 * Renders one problem's prompts once per training variant. A cache lives for one problem; a fresh
 * one per problem keeps memory flat.
 */
export class PromptCache {
  private problem: Problem | undefined;
  private readonly byVariant = new Map<string, readonly ChatMessage[]>();
  constructor(private readonly variants: ReadonlyMap<string, PromptVariant>) {}

  prompt(problem: Problem, variantName: string): readonly ChatMessage[] {
    if (problem !== this.problem) {
      this.problem = problem;
      this.byVariant.clear();
    }
    let p = this.byVariant.get(variantName);
    if (!p) {
      const v = this.variants.get(variantName);
      if (!v) {
        throw new VariantError(
          `unknown prompt variant ${JSON.stringify(variantName)} (known: ${[...this.variants.keys()].join(', ')}); ` +
            'define it in a variants file or map it to a known one',
        );
      }
      p = renderPrompt(v, problem);
      this.byVariant.set(variantName, p);
    }
    return p;
  }
}

export function recontextualize(
  problem: Problem,
  candidate: Candidate,
  mapping: VariantMapping,
  prompts: PromptCache,
  completion: string = candidate.completion,
): Recontextualized {
  const generationVariant = generationVariantOf(candidate);
  const trainingVariant = trainingVariantFor(generationVariant, mapping);
  return { generationVariant, trainingVariant, prompt: prompts.prompt(problem, trainingVariant), completion };
}

/** The variants file to use: the one given, else `<dataDir>/.loophole/variants.json` when it exists. */
export function variantsFileFor(dataDir: string, explicit?: string): string | undefined {
  if (explicit !== undefined) return explicit;
  const f = path.join(dataDir, '.loophole', 'variants.json');
  return existsSync(f) ? f : undefined;
}
