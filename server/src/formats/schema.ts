/**
 * Validates lines of the `loophole` format against `review-set.schema.json` (compiled once, on first
 * use) and turns ajv's errors into one sentence a person can act on, naming the record type and the
 * field: `candidate.problemId: required string is missing`.
 */
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import schema from './review-set.schema.json';

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  compiled ??= new Ajv2020({ discriminator: true, allErrors: true, verbose: true, strict: false }).compile(schema);
  return compiled;
}

/** `undefined` when `value` is a valid line; otherwise the reasons, most useful first. */
export function validateRecord(value: unknown): string | undefined {
  const validate = validator();
  if (validate(value)) return undefined;
  const record =
    typeof value === 'object' && value !== null && typeof (value as { record?: unknown }).record === 'string'
      ? (value as { record: string }).record
      : undefined;
  const errors = (validate.errors ?? []).filter(
    (e, _i, all) =>
      // a failed discriminator on a missing tag repeats the `required` error
      !(e.keyword === 'discriminator' && all.some((o) => o.keyword === 'required' && o.instancePath === e.instancePath)),
  );
  const messages = [...new Set(errors.map((e) => describe(e, record)))];
  const shown = messages.slice(0, 3).join('; ');
  return messages.length > 3 ? `${shown}; and ${messages.length - 3} more` : shown;
}

function describe(e: ErrorObject, record: string | undefined): string {
  const path = fieldPath(e.instancePath);
  const where = (field: string): string => {
    const full = [path, field].filter(Boolean).join('.').replace(/\.\[/g, '[');
    if (!record || (full === 'record' && !path)) return full || '(line)';
    return `${record}.${full}`.replace(/\.$/, '');
  };
  switch (e.keyword) {
    case 'required': {
      const missing = (e.params as { missingProperty: string }).missingProperty;
      const sub = (e.parentSchema as { properties?: Record<string, { type?: string; enum?: unknown[]; const?: unknown; $ref?: string }> })
        ?.properties?.[missing];
      const what =
        sub?.type ??
        (sub?.enum
          ? `value (one of ${sub.enum.join(', ')})`
          : sub?.const !== undefined
            ? JSON.stringify(sub.const)
            : sub?.$ref?.endsWith('/role')
              ? 'role (visible, incorrect or heldout)'
              : 'field');
      return `${where(missing)}: required ${what} is missing`;
    }
    case 'type':
      return `${where('')}: expected ${(e.params as { type: string }).type}, got ${typeName(e.data)}`;
    case 'enum':
      return `${where('')}: must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')} (got ${shortJson(e.data)})`;
    case 'const':
      return `${where('')}: must be ${JSON.stringify((e.params as { allowedValue: unknown }).allowedValue)} (got ${shortJson(e.data)})`;
    case 'discriminator': {
      const p = e.params as { tag: string; tagValue?: unknown };
      const allowed = p.tag === 'record' ? 'header, problem, candidate' : 'assert, stdio';
      return `${where(p.tag)}: must be one of ${allowed} (got ${shortJson(p.tagValue ?? (e.data as Record<string, unknown>)?.[p.tag])})`;
    }
    case 'minLength':
      return `${where('')}: must not be empty`;
    case 'minimum':
      return `${where('')}: ${e.message ?? 'too small'} (got ${shortJson(e.data)})`;
    default:
      return `${where('')}: ${e.message ?? e.keyword}`;
  }
}

/** `/tests/0/role` → `tests[0].role`. */
function fieldPath(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? `[${s}]` : `.${s}`))
    .join('')
    .replace(/^\./, '');
}

function typeName(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
}

function shortJson(v: unknown): string {
  const s = v === undefined ? 'nothing' : JSON.stringify(v);
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}
