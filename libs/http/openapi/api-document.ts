import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { ERROR_MEANINGS, ErrorResponseSchema, type ErrorStatus } from './error-schema.js';
import { publishSchemaComponents } from './schema-components.js';
import { UNLIMITED_ROUTES } from '../hardening.js';

type Operation = {
  parameters?: Array<{ in: string; name: string }>;
  requestBody?: unknown;
  responses: Record<string, unknown>;
  security?: unknown[];
  description?: string;
  'x-public'?: boolean;
  'x-roles'?: string[];
};

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

/**
 * The OpenAPI 3.1 document of the app: Nest's scan of the controllers (request DTOs,
 * parameters, @ApiAnswers), completed with what holds for every operation — bearer security,
 * the errors any operation can answer — and the TypeBox schemas published as components.
 */
export function buildApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setOpenAPIVersion('3.1.0')
    .setTitle('contact-profiles')
    .setDescription(
      'Event-sourced profiles of the customer contacts of an omnichannel inbox. Every `/v1` call needs `Authorization: Bearer <JWT>` ' +
        '(HS256; claims `sub`, `workspace`, `role`). Writes answer the new stream `version` (also as `ETag`) and the event-log `position`; ' +
        'a read with `?minPosition=<position>` waits up to 5 s until the read models reached it. Errors have one shape: `ErrorResponse`.\n\n' +
        '**Security.** `bearer` (HS256 JWT) on every operation that lists it. Operations with `security: []` take no bearer token: ' +
        '`/health`, and the customer self-service operations under `/v1/self-service/{token}`, whose credential is the `token` path ' +
        'parameter of a link an agent or connector issued (`POST /v1/contacts/{id}/self-service-links`; it expires, can be revoked, ' +
        'and an expired, revoked or forged token answers 404). OpenAPI security schemes cannot describe a credential carried in the path, ' +
        'so that scheme is documented here and on the `token` parameter.',
    )
    .setVersion('1')
    .setLicense('UNLICENSED', 'https://spdx.org/licenses/')
    .addServer('/', 'The origin that serves this document')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'HS256 JWT with `sub`, `workspace` and `role` (owner, manager, agent, integration)' }, 'bearer')
    .addSecurityRequirements('bearer')
    .build();
  const document = SwaggerModule.createDocument(app, config, {
    operationIdFactory: (controller, method) => `${controller.replace(/Controller$/, '')}_${method}`,
  });
  for (const operation of operationsOf(document)) completeOperation(operation.path, operation.method, operation.operation);
  closeRequestBodies(document);
  return publishSchemaComponents(document);
}

export function serveApiDocument(app: INestApplication, document: OpenAPIObject): void {
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}

/** The validation pipe refuses unknown properties of every body (400): the request DTOs' schemas say so. */
function closeRequestBodies(document: OpenAPIObject): void {
  const schemas = (document.components?.schemas ?? {}) as Record<string, { additionalProperties?: unknown }>;
  for (const { operation } of operationsOf(document)) {
    const ref = (operation.requestBody as { content?: Record<string, { schema?: { $ref?: string } }> } | undefined)?.content?.['application/json']?.schema?.$ref;
    const schema = ref ? schemas[ref.replace('#/components/schemas/', '')] : undefined;
    if (schema) schema.additionalProperties ??= false;
  }
}

function* operationsOf(document: OpenAPIObject): Generator<{ path: string; method: (typeof METHODS)[number]; operation: Operation }> {
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const operation = (item as Record<string, Operation | undefined>)[method];
      if (operation) yield { path, method, operation };
    }
  }
}

/** Adds what every operation of its kind has; what an operation documents itself wins. */
function completeOperation(path: string, method: (typeof METHODS)[number], operation: Operation): void {
  const isPublic = operation['x-public'] === true;
  delete operation['x-public'];
  if (isPublic) operation.security = [];
  const roles = operation['x-roles'];
  if (roles) operation.description = [operation.description, `Roles: ${roles.join(', ')}.`].filter(Boolean).join('\n\n');

  const errors: ErrorStatus[] = [];
  const hasInput = (operation.parameters?.length ?? 0) > 0 || operation.requestBody !== undefined;
  if (hasInput) errors.push(400);
  if (!isPublic) errors.push(401);
  if (roles) errors.push(403);
  if (operation.parameters?.some((parameter) => parameter.in === 'path')) errors.push(404, 414);
  // Any write method may carry a body, and its parser answers before the route: too large, or not JSON.
  if (operation.requestBody !== undefined || method !== 'get') errors.push(413, 415);
  if (!UNLIMITED_ROUTES.has(path)) errors.push(429);
  if (path.startsWith('/v1/')) errors.push(503);
  for (const status of errors) {
    operation.responses[status] ??= { description: ERROR_MEANINGS[status], content: { 'application/json': { schema: { ...ErrorResponseSchema } } } };
  }
  operation.responses = Object.fromEntries(Object.entries(operation.responses).sort(([a], [b]) => a.localeCompare(b)));
}
