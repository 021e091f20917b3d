/**
 * Checking a value against a contract schema, with an error a person can act on: which field, what was
 * expected, what came instead (`'limit' must be an integer in [0, 1000000], got number -1`). Used by the
 * server for request params and by the extension host for webview messages; the webview bundles never
 * import it (ajv compiles validators with `new Function`, which their CSP forbids).
 */
import Ajv, { type ErrorObject } from 'ajv';
import type { TSchema } from 'typebox';
import type { Wire } from './schema';

const ajv = new Ajv({ allErrors: false, strict: true });

/** The value as valid (a fresh copy without unknown fields), or what is wrong with it. */
export type Checked<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly message: string };

/**
 * A checker for one schema. Unknown object fields are dropped from the value it returns (senders may be
 * newer than the receiver); everything else must match. `what` names the value in messages when the
 * value itself, not one of its fields, is wrong (`params`, `message`).
 */
export function checker<S extends TSchema>(schema: S, what = 'the value'): (value: unknown) => Checked<Wire<S>> {
  const validate = ajv.compile(schema);
  return (value) => {
    if (validate(value)) return { ok: true, value: known(schema, value) as Wire<S> };
    return { ok: false, message: explain(schema, value, validate.errors?.[0], what) };
  };
}

/** The first error in words: `'field' must be <expected>, got <value>`; nested fields name their parent. */
function explain(schema: TSchema, value: unknown, e: ErrorObject | undefined, what: string): string {
  if (!e) return `${what} is not valid`;
  const path = e.instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (e.keyword === 'required') path.push(String((e.params as { missingProperty: string }).missingProperty));
  if (e.keyword === 'additionalProperties') {
    const extra = String((e.params as { additionalProperty: string }).additionalProperty);
    return `${where(path)}unknown field '${extra}'`;
  }
  let sub: TSchema | undefined = schema;
  let got: unknown = value;
  for (const seg of path) {
    sub = childSchema(sub, seg);
    got = got !== null && typeof got === 'object' ? (got as Record<string, unknown>)[seg] : undefined;
  }
  const expected = sub ? expectation(sub) : (e.message ?? 'valid');
  if (path.length === 0) return `${what} must be ${expected}, got ${describe(got)}`;
  const last = path.at(-1) ?? '';
  const parent = path.slice(0, -1);
  const isIndex = /^\d+$/.test(last);
  const name = isIndex ? `'${parent[parent.length - 1]}' entries` : `'${last}'`;
  return `${where(isIndex ? parent.slice(0, -1) : parent)}${name} must be ${expected}, got ${describe(got)}`;
}

const where = (path: readonly string[]) => (path.length ? `${path.join(' ')}: ` : '');

function childSchema(s: TSchema | undefined, seg: string): TSchema | undefined {
  if (!s) return undefined;
  const o = s as Record<string, unknown>;
  const props = o.properties as Record<string, TSchema> | undefined;
  if (props?.[seg]) return props[seg];
  const pattern = o.patternProperties as Record<string, TSchema> | undefined;
  if (pattern) return Object.values(pattern)[0];
  if (o.items && typeof o.items === 'object') return o.items as TSchema;
  if (typeof o.additionalProperties === 'object') return o.additionalProperties as TSchema;
  for (const branch of (o.anyOf as TSchema[] | undefined) ?? []) {
    const c = childSchema(branch, seg);
    if (c) return c;
  }
  return undefined;
}

/** What a schema accepts, in words: `a non-empty string`, `an integer in [0, 10]`, `one of 'a', 'b'`. */
export function expectation(s: TSchema): string {
  const o = s as Record<string, unknown>;
  if (Array.isArray(o.anyOf)) return (o.anyOf as TSchema[]).map(expectation).join(' or ');
  if (Array.isArray(o.enum)) return `one of ${(o.enum as unknown[]).map((v) => (typeof v === 'string' ? `'${v}'` : String(v))).join(', ')}`;
  if ('const' in o) return typeof o.const === 'string' ? `'${o.const}'` : String(o.const);
  const range = () => {
    const lo = o.minimum ?? (o.exclusiveMinimum !== undefined ? `(${o.exclusiveMinimum}` : undefined);
    const hi = o.maximum ?? (o.exclusiveMaximum !== undefined ? `${o.exclusiveMaximum})` : undefined);
    if (lo !== undefined && hi !== undefined) return ` in [${lo}, ${hi}]`.replace('[(', '(').replace(')]', ')');
    if (lo !== undefined) return o.minimum !== undefined ? ` ≥ ${lo}` : ` > ${o.exclusiveMinimum}`;
    if (hi !== undefined) return o.maximum !== undefined ? ` ≤ ${hi}` : ` < ${o.exclusiveMaximum}`;
    return '';
  };
  switch (o.type) {
    case 'string':
      if (typeof o.pattern === 'string') return typeof o.description === 'string' ? o.description : `a string matching ${o.pattern}`;
      return (o.minLength as number | undefined) ? 'a non-empty string' : 'a string';
    case 'integer':
      return `an integer${range()}`;
    case 'number':
      return `a number${range()}`;
    case 'boolean':
      return 'a boolean';
    case 'null':
      return 'null';
    case 'array':
      return o.items ? `an array of ${plural(expectation(o.items as TSchema))}` : 'an array';
    case 'object':
      return 'an object';
    default:
      return 'valid';
  }
}

const plural = (x: string) => x.replace(/^an? /, '').replace(/^(string|integer|number|boolean|object)/, '$1s');

/** A value as a message shows it: short strings quoted, anything large named by its kind. */
export function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (typeof v === 'object') return 'an object';
  return `${typeof v} ${String(v)}`;
}

/** A copy of a valid value holding only the fields its schema names (records and arrays kept whole). */
function known(s: TSchema, v: unknown): unknown {
  const o = s as Record<string, unknown>;
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return o.items ? v.map((x) => known(o.items as TSchema, x)) : v;
  const props = o.properties as Record<string, TSchema> | undefined;
  if (!props) {
    if (Array.isArray(o.anyOf)) {
      const branch = (o.anyOf as TSchema[]).find((b) => ajv.validate(b, v));
      return branch ? known(branch, v) : v;
    }
    return v;
  }
  const out: Record<string, unknown> = {};
  for (const [k, sub] of Object.entries(props))
    if ((v as Record<string, unknown>)[k] !== undefined) out[k] = known(sub, (v as Record<string, unknown>)[k]);
  if (o.patternProperties || typeof o.additionalProperties === 'object')
    for (const [k, x] of Object.entries(v)) if (!(k in props)) out[k] = x;
  return out;
}
