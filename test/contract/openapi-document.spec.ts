import { readFileSync } from 'node:fs';
import { createConfig, lintFromString } from '@redocly/openapi-core';
import type { OpenAPIObject } from '@nestjs/swagger';
import { apiDocument, clientFilesOf } from '../../apps/client-generator/client-files.js';

/** Every operation of API.md; the ones no engineer has built yet are listed apart and leave the list as they land. */
const API_MD_OPERATIONS = [
  'POST /v1/channel-contacts',
  'GET /v1/contacts/{id}',
  'PATCH /v1/contacts/{id}',
  'POST /v1/contacts/{id}/restore-from-channel',
  'GET /v1/contacts/{id}/history',
  'GET /v1/contacts',
  'POST /v1/contacts/{id}/tags',
  'DELETE /v1/contacts/{id}/tags/{tag}',
  'GET /v1/tags',
  'POST /v1/custom-fields',
  'GET /v1/custom-fields',
  'POST /v1/contacts/{id}/block',
  'POST /v1/contacts/{id}/unblock',
  'DELETE /v1/contacts/{id}',
  'POST /v1/contacts/{id}/self-service-links',
  'DELETE /v1/contacts/{id}/self-service-links/{token}',
  'GET /v1/self-service/{token}',
  'PATCH /v1/self-service/{token}',
  'POST /v1/profiles',
  'GET /v1/profiles/{id}',
  'PATCH /v1/profiles/{id}',
  'POST /v1/profiles/{id}/contacts',
  'DELETE /v1/profiles/{id}/contacts/{contactId}',
  'POST /v1/profiles/{id}/notes',
  'PATCH /v1/profiles/{id}/notes/{noteId}',
  'DELETE /v1/profiles/{id}/notes/{noteId}',
  'GET /v1/profiles/{id}/timeline',
  'GET /v1/profiles',
  'GET /v1/merge-suggestions',
  'POST /v1/merge-suggestions/{id}/accept',
  'POST /v1/merge-suggestions/{id}/dismiss',
  'GET /v1/events',
  'GET /v1/event-schemas',
  'GET /v1/live/contacts',
  'GET /v1/audit',
];

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;
type Operation = { summary?: string; security?: unknown[]; responses: Record<string, { content?: Record<string, { schema?: unknown }> }> };

function operationsOf(document: OpenAPIObject): Array<[string, Operation]> {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    METHODS.filter((method) => (item as Record<string, unknown>)[method]).map((method): [string, Operation] => [
      `${method.toUpperCase()} ${path}`,
      (item as Record<string, Operation>)[method]!,
    ]),
  );
}

describe('the OpenAPI document', () => {
  let document: OpenAPIObject;
  beforeAll(async () => {
    document = await apiDocument();
  });

  it('is OpenAPI 3.1 and passes the Redocly linter (recommended rules) with no error and only the warnings it must keep', async () => {
    expect(document.openapi).toBe('3.1.0');
    const config = await createConfig({ extends: ['recommended'] });
    const problems = await lintFromString({ source: JSON.stringify(document), absoluteRef: 'openapi.json', config });
    const errors = problems.filter((problem) => problem.severity === 'error');
    expect(errors.map((problem) => `${problem.ruleId}: ${problem.message} at ${problem.location[0]?.pointer}`)).toEqual([]);
    // The probes answer no 4xx: public, no input, never rate limited. Documenting one would make the document lie.
    const warnings = problems.filter((problem) => problem.severity === 'warn').map((problem) => `${problem.ruleId} at ${problem.location[0]?.pointer}`);
    expect(warnings).toEqual(['operation-4xx-response at #/paths/~1health/get/responses', 'operation-4xx-response at #/paths/~1metrics/get/responses']);
  });

  it('has every operation of API.md that is built', () => {
    const documented = new Set(operationsOf(document).map(([name]) => name));
    expect(API_MD_OPERATIONS.filter((name) => !documented.has(name))).toEqual([]);
  });

  it('documents, for every operation, a summary, its success bodies and its errors in the one error shape', () => {
    const gaps: string[] = [];
    for (const [name, operation] of operationsOf(document)) {
      if (!operation.summary) gaps.push(`${name}: no summary (@ApiOperation)`);
      const statuses = Object.keys(operation.responses);
      const successes = statuses.filter((status) => status.startsWith('2'));
      if (successes.length === 0) gaps.push(`${name}: no success response (@ApiAnswers)`);
      for (const status of successes) {
        const content = operation.responses[status]!.content;
        if (status !== '204' && !Object.values(content ?? {}).some((media) => media.schema)) gaps.push(`${name}: ${status} has no body schema (@ApiAnswers)`);
      }
      for (const status of statuses.filter((status) => /^[45]/.test(status))) {
        const schema = operation.responses[status]!.content?.['application/json']?.schema;
        if (JSON.stringify(schema) !== JSON.stringify({ $ref: '#/components/schemas/ErrorResponse' })) gaps.push(`${name}: ${status} is not an ErrorResponse`);
      }
      if (name.includes(' /v1/') && operation.security?.length !== 0 && !statuses.includes('401')) gaps.push(`${name}: no 401`);
    }
    expect(gaps).toEqual([]);
  });

  it('is what libs/client was generated from: `npm run client:generate` after changing the API', async () => {
    const stale = Object.entries(await clientFilesOf(document)).filter(([path, text]) => readFileSync(path, 'utf8') !== text);
    expect(stale.map(([path]) => `${path} is stale: run npm run client:generate`)).toEqual([]);
  });
});
