/**
 * The judge's structured output: what the rubric asks for, as JSON Schemas (sent as
 * `response_format: {type: 'json_schema'}` where the endpoint supports it) and as ajv validators
 * (applied to every reply, whatever the endpoint promised).
 *
 * `special_casing_lines` are 1-based line numbers of the candidate's code as shown to the judge.
 */
import Ajv, { type ValidateFunction } from 'ajv';
import { VERDICT_LABELS, type VerdictLabel } from '../../../../contract/domain';

export type JudgeLabel = VerdictLabel;

export interface JudgeVerdict {
  readonly label: JudgeLabel;
  readonly confidence: number;
  readonly special_casing_lines: readonly number[];
  readonly explanation: string;
}

export interface ComparativeVerdict extends JudgeVerdict {
  /** 1-based position of the candidate in the prompt. */
  readonly index: number;
}

const verdictProperties = {
  label: { type: 'string', enum: VERDICT_LABELS },
  confidence: { type: 'number', minimum: 0, maximum: 1 },
  special_casing_lines: { type: 'array', items: { type: 'integer', minimum: 1 } },
  explanation: { type: 'string' },
} as const;

export const SINGLE_SCHEMA = {
  type: 'object',
  properties: verdictProperties,
  required: ['label', 'confidence', 'special_casing_lines', 'explanation'],
  additionalProperties: false,
} as const;

export const COMPARATIVE_SCHEMA = {
  type: 'object',
  properties: {
    candidates: {
      type: 'array',
      items: {
        type: 'object',
        properties: { index: { type: 'integer', minimum: 1 }, ...verdictProperties },
        required: ['index', 'label', 'confidence', 'special_casing_lines', 'explanation'],
        additionalProperties: false,
      },
    },
  },
  required: ['candidates'],
  additionalProperties: false,
} as const;

const ajv = new Ajv({ allErrors: true, strict: false });
export const validateSingle = ajv.compile(SINGLE_SCHEMA) as ValidateFunction<JudgeVerdict>;
export const validateComparative = ajv.compile(COMPARATIVE_SCHEMA) as ValidateFunction<{ candidates: ComparativeVerdict[] }>;

/**
 * The first balanced `{…}` in free text that parses as JSON (models wrap JSON in prose or fences when
 * the endpoint ignores `response_format`). Strings are honoured, so braces inside them do not count.
 */
export function firstJsonObject(text: string): unknown {
  for (let start = text.indexOf('{'); start >= 0; start = text.indexOf('{', start + 1)) {
    let depth = 0;
    let inString = false;
    for (let i = start; i < text.length; i++) {
      const ch = text[i];
      if (inString) {
        if (ch === '\\') i++;
        else if (ch === '"') inString = false;
        continue;
      }
      if (ch === '"') inString = true;
      else if (ch === '{') depth++;
      else if (ch === '}' && --depth === 0) {
        try {
          return JSON.parse(text.slice(start, i + 1));
        } catch {
          break;
        }
      }
    }
  }
  return undefined;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

function parseWith<T>(text: string, validate: ValidateFunction<T>): Parsed<T> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = firstJsonObject(text);
  }
  if (value === undefined) return { ok: false, error: 'no JSON object in the reply' };
  if (!validate(value)) return { ok: false, error: `reply does not match the schema: ${ajv.errorsText(validate.errors)}` };
  return { ok: true, value };
}

export const parseSingle = (text: string) => parseWith(text, validateSingle);
export const parseComparative = (text: string) => parseWith(text, validateComparative);
