import type { FastifyRequest } from 'fastify';
import type { CommandContext, Source } from '../eventsourcing/event-metadata.js';
import type { Principal } from '../auth/tokens.js';
import { RequestValidationError } from './request-validation.js';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/**
 * The command context of a request: who acts, from where, under which correlation id (the request's
 * id, see correlation-id.ts), and the write's conditions: `If-Match: <version>` (quotes and W/ accepted, as for an ETag) and `Idempotency-Key`.
 */
export function commandContextOf(principal: Principal, request: FastifyRequest): CommandContext {
  return {
    workspace: principal.workspace,
    actor: { id: principal.id, role: principal.role },
    source: sourceOf(principal),
    correlationId: request.id,
    causationId: null,
    now: new Date(),
    ...writeConditionsOf(request),
  };
}

function sourceOf(principal: Principal): Source {
  return principal.role === 'integration' ? 'channel' : 'agent';
}

function writeConditionsOf(request: FastifyRequest): Pick<CommandContext, 'expectedVersion' | 'idempotencyKey'> {
  const ifMatch = request.headers['if-match'];
  const key = request.headers['idempotency-key'];
  const conditions: Pick<CommandContext, 'expectedVersion' | 'idempotencyKey'> = {};
  if (ifMatch !== undefined) {
    const match = /^(?:W\/)?"?(\d{1,15})"?$/.exec(String(ifMatch).trim());
    if (!match) throw new RequestValidationError([{ field: 'If-Match', message: 'must be a version number, e.g. If-Match: 3' }]);
    conditions.expectedVersion = Number(match[1]);
  }
  if (key !== undefined) {
    if (typeof key !== 'string' || !IDEMPOTENCY_KEY.test(key)) {
      throw new RequestValidationError([{ field: 'Idempotency-Key', message: 'must be 1 to 255 printable ASCII characters' }]);
    }
    conditions.idempotencyKey = key;
  }
  return conditions;
}
