import { applyDecorators } from '@nestjs/common';
import { ApiHeader, ApiResponse, type ApiResponseOptions } from '@nestjs/swagger';
import { RouteSchema } from '@nestjs/platform-fastify';
import { ERROR_MEANINGS, ErrorResponseSchema, type ErrorStatus } from './error-schema.js';
import type { TSchema } from './schema.js';

/** Response headers, with what they mean, for `headers` of an answer. */
export const RESPONSE_HEADERS = {
  ETag: { description: 'The stream version after this request, quoted (`"3"`): send it back as `If-Match`.', schema: { type: 'string', examples: ['"3"'] } },
  'Next-Cursor': { description: 'Present when there is a next page: send it back as `?cursor=`.', schema: { type: 'string' } },
  'X-Read-Consistency': {
    description: '`stale` when `?minPosition=` was not reached within 5 s: the read answered anyway, maybe without that write.',
    schema: { type: 'string', enum: ['stale'] },
  },
} as const;
export type ResponseHeaderName = keyof typeof RESPONSE_HEADERS;

/** Request headers, with what they mean. */
export const REQUEST_HEADERS = {
  'If-Match': 'The version you last saw (a write\'s `version`, or the `ETag` of a read): the write happens only if the stream is still at that version, else 409 and nothing is written. `"3"` and `W/"3"` are accepted.',
  'Idempotency-Key': 'Up to 255 printable ASCII characters. A retry with the same key answers the first result again and writes nothing new (the event ids derive from the key).',
  'Last-Event-ID': 'The `id:` of the last SSE event received (a log position): the stream resumes after it.',
} as const;

export interface Answer {
  description: string;
  /** The body's schema; none for an empty body (204). */
  schema?: TSchema;
  /** `application/json` unless given (`application/x-ndjson`, `text/event-stream`, `text/csv`…). */
  contentType?: string;
  /** More representations of the same answer, chosen by the `Accept` header (e.g. `text/csv`). */
  alternatives?: Record<string, { schema?: TSchema; example?: unknown }>;
  headers?: ResponseHeaderName[];
  example?: unknown;
  /** Fastify serializes the body with this schema (faster than JSON.stringify on hot paths; drops undeclared properties). */
  serialize?: boolean;
}

export interface AnswerOptions {
  /**
   * The errors specific to this operation, each with its usual meaning or the one given.
   * 400, 401, 413, 415, 503 (and 403 for @Roles routes) are added to every operation they
   * can happen on when the document is built: list them here only to say something specific.
   */
  errors?: Array<ErrorStatus | { status: ErrorStatus; description: string }>;
}

/**
 * Documents what an operation answers: each success status with its body's schema and its
 * headers, and its errors in the one error shape. The schemas are the TypeBox objects the
 * handler's return type is derived from, so the document cannot drift from the code.
 *
 *   @ApiAnswers({ 200: { description: 'The contact view', schema: ContactViewSchema, headers: ['ETag'] } }, { errors: [404] })
 */
export function ApiAnswers(answers: Record<number, Answer>, options: AnswerOptions = {}): MethodDecorator {
  const decorators = Object.entries(answers).map(([status, answer]) =>
    ApiResponse(<ApiResponseOptions>{
      status: Number(status),
      description: answer.description,
      ...(answer.headers ? { headers: Object.fromEntries(answer.headers.map((name) => [name, { ...RESPONSE_HEADERS[name] }])) } : {}),
      ...(answer.schema || answer.alternatives ? { content: contentOf(answer) } : {}),
    }),
  );
  for (const error of options.errors ?? []) {
    const { status, description } = typeof error === 'number' ? { status: error, description: ERROR_MEANINGS[error] } : error;
    decorators.push(ApiResponse({ status, description, content: { 'application/json': { schema: copyOf(ErrorResponseSchema) } } }));
  }
  const serialized = Object.entries(answers).filter(([, answer]) => answer.serialize && answer.schema);
  if (serialized.length > 0) {
    decorators.push(RouteSchema({ response: Object.fromEntries(serialized.map(([status, answer]) => [status, serializerSchemaOf(answer.schema!)])) }));
  }
  return applyDecorators(...decorators);
}

/** `If-Match` and `Idempotency-Key`, documented on a write. */
export const WriteHeaders = () =>
  applyDecorators(
    ApiHeader({ name: 'If-Match', required: false, description: REQUEST_HEADERS['If-Match'], schema: { type: 'string', examples: ['"3"'] } }),
    ApiHeader({ name: 'Idempotency-Key', required: false, description: REQUEST_HEADERS['Idempotency-Key'], schema: { type: 'string', maxLength: 255 } }),
  );

function contentOf(answer: Answer) {
  const content: Record<string, { schema?: unknown; example?: unknown }> = {};
  if (answer.schema) content[answer.contentType ?? 'application/json'] = withExample(copyOf(answer.schema), answer.example);
  for (const [type, alternative] of Object.entries(answer.alternatives ?? {})) {
    content[type] = withExample(alternative.schema ? copyOf(alternative.schema) : undefined, alternative.example);
  }
  return content;
}

function withExample(schema: unknown, example: unknown) {
  return { ...(schema ? { schema } : {}), ...(example !== undefined ? { example } : {}) };
}

/** The document builder edits what it is given: it gets copies, never the shared schema objects. */
function copyOf(schema: TSchema): Record<string, unknown> {
  return JSON.parse(JSON.stringify(schema)) as Record<string, unknown>;
}

/** The serializer gets the schema inlined, without `$id`s (a nested `$id` would be registered twice) nor examples. */
export function serializerSchemaOf(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(serializerSchemaOf);
  if (typeof schema !== 'object' || schema === null) return schema;
  const entries = Object.entries(schema).filter(([key]) => key !== '$id' && key !== 'examples');
  return Object.fromEntries(
    entries.map(([key, value]) =>
      key === 'properties' || key === 'patternProperties' || key === '$defs'
        ? [key, Object.fromEntries(Object.entries(value as object).map(([name, property]) => [name, serializerSchemaOf(property)]))]
        : [key, serializerSchemaOf(value)],
    ),
  );
}
