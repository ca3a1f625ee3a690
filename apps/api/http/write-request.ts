import { randomUUID } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { HandleOptions } from '../../../libs/event-store/aggregate-store.js';
import type { CommandContext, Source } from '../../../libs/shared-kernel/event-metadata.js';
import type { Principal } from '../auth/tokens.js';
import { RequestValidationError } from './request-validation.js';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/** The command context of a request: who acts, from where, under which correlation id. */
export function commandContextOf(principal: Principal, request: FastifyRequest): CommandContext {
  const correlationHeader = request.headers['x-correlation-id'];
  return {
    workspace: principal.workspace,
    actor: { id: principal.id, role: principal.role },
    source: sourceOf(principal),
    correlationId: typeof correlationHeader === 'string' && correlationHeader.length <= 128 ? correlationHeader : randomUUID(),
    causationId: null,
    now: new Date(),
  };
}

function sourceOf(principal: Principal): Source {
  return principal.role === 'integration' ? 'channel' : 'agent';
}

/** `If-Match: <version>` (quotes and W/ accepted, as for an ETag) and `Idempotency-Key`. */
export function writeOptionsOf(request: FastifyRequest): HandleOptions {
  const ifMatch = request.headers['if-match'];
  const key = request.headers['idempotency-key'];
  const options: HandleOptions = {};
  if (ifMatch !== undefined) {
    const match = /^(?:W\/)?"?(\d{1,15})"?$/.exec(String(ifMatch).trim());
    if (!match) throw new RequestValidationError([{ field: 'If-Match', message: 'must be a version number, e.g. If-Match: 3' }]);
    options.expectedVersion = Number(match[1]);
  }
  if (key !== undefined) {
    if (typeof key !== 'string' || !IDEMPOTENCY_KEY.test(key)) {
      throw new RequestValidationError([{ field: 'Idempotency-Key', message: 'must be 1 to 255 printable ASCII characters' }]);
    }
    options.idempotencyKey = key;
  }
  return options;
}
