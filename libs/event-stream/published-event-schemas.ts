import type { TSchema } from 'typebox';
import { EventMetadataSchema } from '../eventsourcing/event-metadata.schema.js';
import type { EventSchemaRegistry } from '../eventsourcing/event-schemas.js';

export type JsonSchema = { [keyword: string]: unknown };

/** `GET /v1/event-schemas` (API.md): `{ "<EventType>": { "<schemaVersion>": <JSON Schema> } }`. */
export type EventSchemasDocument = Record<string, Record<string, JsonSchema>>;

const DIALECT = 'https://json-schema.org/draft/2020-12/schema';
const ENVELOPE_EXAMPLE = {
  id: '5b0c1e9a-4f3d-4c2b-8a1e-9d8c7b6a5f4e',
  streamId: 'contact-0f8e2c1a-5b7d-5e3f-9a1c-2d4e6f8a0b1c',
  revision: 1,
  position: 42,
  occurredAt: '2026-11-23T10:00:00.000Z',
};

/**
 * The JSON Schema of each event type in each of its schema versions: the event as `GET /v1/events`
 * and `cli replay` publish it (API.md's envelope), with the type's `data` schema as the code declares
 * it (libs/* events). Older versions describe events as the log stores them (what a consumer reading
 * EventStoreDB directly sees); the API upcasts them, so it publishes only the current one.
 */
export function publishedEventSchemas(registry: EventSchemaRegistry): EventSchemasDocument {
  return Object.fromEntries(
    registry.dataSchemas().map(({ type, versions }) => [
      type,
      Object.fromEntries(versions.map(({ version, schema }) => [String(version), envelopeSchema(type, version, versions.length, schema)])),
    ]),
  );
}

function envelopeSchema(type: string, version: number, current: number, data: TSchema): JsonSchema {
  const { description, examples, ...dataSchema } = plain(data);
  const personal = (dataSchema.properties as Record<string, JsonSchema> | undefined)?.personal;
  const metadata = plain(EventMetadataSchema);
  const stored =
    version === current
      ? 'The current version: the service writes it, and the API publishes every event of the type in it.'
      : `Stored by earlier versions of the service; the API reads it as version ${current} (upcast), the log keeps it as it was.`;
  return {
    $schema: DIALECT,
    title: `${type} v${version}`,
    description: `${String(description)}.\n\n${stored}`,
    type: 'object',
    required: ['id', 'type', 'schemaVersion', 'streamId', 'revision', 'position', 'occurredAt', 'metadata', 'data'],
    properties: {
      id: { type: 'string', format: 'uuid', description: 'The event id, unique across the log' },
      type: { const: type },
      schemaVersion: { const: version },
      streamId: { type: 'string', description: '`contact-<uuid>`, `profile-<uuid>`, `workspace-<id>` or `merge-suggestion-<uuid>`' },
      revision: { type: 'integer', minimum: 0, description: "The event's revision in its stream" },
      position: { type: 'integer', minimum: 1, description: "The event's position in the log" },
      occurredAt: { type: 'string', format: 'date-time' },
      metadata: { ...metadata, properties: { ...(metadata.properties as object), schemaVersion: { const: version } } },
      data: personal ? { anyOf: [dataSchema, erasedPersonal(dataSchema)] } : dataSchema,
    },
    ...(Array.isArray(examples)
      ? { examples: examples.map((example) => ({ ...ENVELOPE_EXAMPLE, type, schemaVersion: version, metadata: metadataExample(version), data: example })) }
      : {}),
  };
}

function metadataExample(version: number) {
  return {
    workspace: 'acme',
    actor: { id: 'agent-7', role: 'agent' },
    source: 'agent',
    correlationId: '9f1e2d3c-4b5a-4697-8877-665544332211',
    causationId: null,
    schemaVersion: version,
    occurredAt: ENVELOPE_EXAMPLE.occurredAt,
  };
}

/**
 * The data of an event of an erased contact (metadata `personalDataErased: true`): under
 * `personal` the objects keep their properties and every other value reads as null, so which
 * fields changed stays known and no value does (libs/personal-data).
 */
function erasedPersonal(data: JsonSchema): JsonSchema {
  const properties = data.properties as Record<string, JsonSchema>;
  return { ...data, properties: { ...properties, personal: nullLeaves(properties.personal!) } };
}

function nullLeaves(schema: JsonSchema): JsonSchema {
  if (Array.isArray(schema.anyOf)) return { anyOf: (schema.anyOf as JsonSchema[]).map(nullLeaves) };
  if (schema.type !== 'object') return { type: 'null' };
  const { description: _, ...object } = schema;
  const properties = Object.entries((object.properties ?? {}) as Record<string, JsonSchema>).map(([name, property]) => [name, nullLeaves(property)]);
  return { ...object, properties: Object.fromEntries(properties) };
}

/** The schema as plain JSON, without the `$id`s of shared schemas (one consumer may compile every schema together). */
function plain(schema: TSchema): JsonSchema {
  return JSON.parse(JSON.stringify(schema), (key, value: unknown) => (key === '$id' ? undefined : value)) as JsonSchema;
}
