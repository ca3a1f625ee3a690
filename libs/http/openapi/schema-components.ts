import type { OpenAPIObject } from '@nestjs/swagger';

const REF_PREFIX = '#/components/schemas/';

/**
 * Every schema in the document that carries `$id: 'Name'` becomes `$ref: '#/components/schemas/Name'`,
 * defined once under components (nested ones too). Two different schemas with one name are a bug.
 */
export function publishSchemaComponents(document: OpenAPIObject): OpenAPIObject {
  const published: Record<string, unknown> = {};
  const json = new Map<string, string>();

  const visit = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(visit);
    if (typeof node !== 'object' || node === null) return node;
    const { $id, ...rest } = node as Record<string, unknown>;
    if (typeof $id === 'string') {
      const text = JSON.stringify(rest);
      const seen = json.get($id);
      if (seen === undefined) {
        json.set($id, text);
        published[$id] = null; // reserved before visiting, for recursive schemas
        published[$id] = visitChildren(rest);
      } else if (seen !== text) {
        throw new Error(`Two different schemas are named ${$id}: give one another $id`);
      }
      return { $ref: `${REF_PREFIX}${$id}` };
    }
    return visitChildren(rest);
  };
  const visitChildren = (node: Record<string, unknown>) => Object.fromEntries(Object.entries(node).map(([key, value]) => [key, visit(value)]));

  const paths = visit(document.paths) as OpenAPIObject['paths'];
  const components = (document.components ?? {}) as Record<string, unknown>;
  const otherSchemas = visit(components.schemas ?? {}) as Record<string, unknown>;
  return {
    ...document,
    paths,
    components: { ...components, schemas: sortedByName({ ...otherSchemas, ...published }) },
  } as OpenAPIObject;
}

function sortedByName(schemas: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(schemas).sort(([a], [b]) => a.localeCompare(b)));
}
