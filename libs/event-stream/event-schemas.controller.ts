import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { EventSchemaRegistry } from '../eventsourcing/event-schemas.js';
import { ApiAnswers } from '../http/openapi/api-answers.js';
import { MapOf, Type } from '../http/openapi/schema.js';
import { publishedEventSchemas, type EventSchemasDocument } from './published-event-schemas.js';

const PublishedJsonSchema = Type.Object(
  {
    $schema: Type.Literal('https://json-schema.org/draft/2020-12/schema'),
    title: Type.String({ examples: ['ContactFieldEdited v1'] }),
    description: Type.String({ description: 'What the event means' }),
    type: Type.Literal('object'),
    required: Type.Array(Type.String()),
    properties: Type.Object({}, { additionalProperties: true, description: 'The envelope of API.md, with `data` as the type declares it' }),
  },
  { additionalProperties: true, description: 'A JSON Schema (2020-12) of the event as `GET /v1/events` publishes it' },
);

const EventSchemasSchema = MapOf(MapOf(PublishedJsonSchema, { description: 'By schema version (`"1"`, `"2"`, …)' }), {
  description: 'By event type',
});

/** `GET /v1/event-schemas`: the event contract (API.md). */
@ApiTags('events')
@Controller('v1')
export class EventSchemasController {
  private readonly document: EventSchemasDocument;

  constructor(@Inject(EventSchemaRegistry) registry: EventSchemaRegistry) {
    this.document = publishedEventSchemas(registry);
  }

  @Get('event-schemas')
  @ApiOperation({
    summary: 'The JSON Schema of every event type the service writes, in each of its schema versions',
    description:
      "`{ \"<EventType>\": { \"<schemaVersion>\": <JSON Schema> } }`. Each schema describes the event as `GET /v1/events` publishes it; `data` as the code declares it. " +
      'The stream always carries the current (highest) version: older events are upcast on read. docs/events in the repository holds the same schemas and a catalogue.\n\n' +
      '`curl -H "Authorization: Bearer $TOKEN" http://localhost:3000/v1/event-schemas`',
  })
  @ApiAnswers({ 200: { description: 'Every event type with its JSON Schema per version', schema: EventSchemasSchema } })
  eventSchemas(): EventSchemasDocument {
    return this.document;
  }
}
