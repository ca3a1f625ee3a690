/**
 * The one way to describe a response body: a TypeBox schema. It is plain JSON Schema, so the
 * same object documents the operation (OpenAPI 3.1 is JSON Schema 2020-12), types the code
 * that produces the body (`Static<typeof X>`), and can drive Fastify's serializer.
 * Give a schema `$id: 'Name'` to publish it as `#/components/schemas/Name`.
 */
import Type, { type Static, type TSchema } from 'typebox';

export { Type, type Static, type TSchema };

/**
 * `T | null`: `type: ['string', 'null']` for a primitive (Fastify's serializer handles it
 * without trying branches), `anyOf` otherwise.
 */
export function Nullable<T extends TSchema>(schema: T, options: { description?: string } = {}) {
  const { type } = schema as { type?: unknown };
  if (typeof type === 'string' && type !== 'object' && type !== 'array') {
    return Type.Unsafe<Static<T> | null>({ ...schema, type: [type, 'null'], ...options });
  }
  return Type.Unsafe<Static<T> | null>(Type.Union([schema, Type.Null()], options));
}

/** An object whose keys are free (e.g. custom field names) and whose values all match `values`. */
export const MapOf = <T extends TSchema>(values: T, options: { description?: string } = {}) =>
  Type.Unsafe<Record<string, Static<T>>>({ type: 'object', additionalProperties: values, ...options });

/** An ISO 8601 time as `Date.prototype.toISOString()` writes it. */
export const IsoTime = (options: { description?: string } = {}) => Type.String({ format: 'date-time', ...options });
