/**
 * How the contract states a shape once: a TypeBox schema is both the JSON Schema that validators (ajv on
 * the server and in the extension host, `jsonschema` in the Python tests) check values against and,
 * through `Wire`, the TypeScript type both sides compile against. A bound, an enum or a default written
 * here cannot differ between the two.
 */
import { type Static, type TSchema, Type } from 'typebox';

/**
 * Read-only all the way down: what crosses a boundary is never mutated by the receiver. An optional
 * property is absent or holds a value, never `undefined` (JSON has no undefined), which is what
 * `exactOptionalPropertyTypes` expects of the types the handlers take.
 */
export type Frozen<T> = T extends readonly (infer U)[]
  ? readonly Frozen<U>[]
  : T extends object
    ? { readonly [K in keyof T]: Frozen<Exclude<T[K], undefined>> }
    : T;

/** The TypeScript type of a value that a schema accepts. */
export type Wire<S extends TSchema> = Frozen<Static<S>>;

/** A non-empty string: ids, paths, names. */
export const Name = () => Type.String({ minLength: 1 });
/** A seed for the seeded choices (random selection, splits): a 32-bit unsigned integer. */
export const Seed = () => Type.Integer({ minimum: 0, maximum: 2 ** 32 - 1 });
/** A share or probability, 0..1 inclusive. */
export const Share = () => Type.Number({ minimum: 0, maximum: 1 });
