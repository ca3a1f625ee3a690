import { HttpException, HttpStatus } from '@nestjs/common';
import {
  ForbiddenError,
  InvalidValuesError,
  NotFoundError,
  StateConflictError,
  VersionConflictError,
} from '../eventsourcing/domain-errors.js';
import { InvalidCursorError } from '../document-store/keyset-cursor.js';
import { InvalidTokenError } from '../auth/tokens.js';
import { errorResponse, type ErrorResponse } from './error-response.js';
import { RequestValidationError } from './request-validation.js';
import { RateLimitedError } from './hardening.js';
import { ReadModelsUnavailableError } from '../projections/nest/read-model-monitor.js';
import { DocumentStoreUnavailableError } from '../document-store/document-store.port.js';
import { EventStoreUnavailableError } from '../event-store/event-store.port.js';
import { isSqliteBusy, isSqliteFull } from '../sqlite/sqlite-errors.js';

/** Seconds a client should wait before retrying a 503 (the `Retry-After` header). */
export const RETRY_AFTER_SECONDS = 5;

/**
 * Maps anything thrown while serving a request to its status and body; `undefined` for a bug (500).
 * Body-parsing errors (bad JSON, over 64 KiB, unsupported media type) reach Nest as HttpExceptions.
 */
export function toErrorResponse(error: unknown): ErrorResponse | undefined {
  if (error instanceof RequestValidationError) return errorResponse(400, error.message, error.errors);
  if (error instanceof InvalidValuesError) return errorResponse(422, 'Some values are invalid', error.errors);
  if (error instanceof ForbiddenError) return errorResponse(403, error.message, error.errors);
  if (error instanceof NotFoundError) return errorResponse(404, error.message);
  if (error instanceof VersionConflictError) return errorResponse(409, error.message);
  if (error instanceof StateConflictError) return errorResponse(409, error.message);
  if (error instanceof InvalidCursorError) return errorResponse(400, error.message, [{ field: 'cursor', message: error.message }]);
  if (error instanceof InvalidTokenError) return errorResponse(401, error.message);
  if (error instanceof ReadModelsUnavailableError) return errorResponse(503, error.message);
  if (error instanceof RateLimitedError) return errorResponse(429, error.message);
  if (isOutOfSpace(error)) {
    return errorResponse(503, 'A store has no disk space left; nothing is known to be written unless a retry says so. Retry later.');
  }
  if (error instanceof DocumentStoreUnavailableError || error instanceof EventStoreUnavailableError || isSqliteBusy(error)) {
    return errorResponse(503, 'A store did not answer in time; nothing is known to be written unless a retry says so. Retry after a few seconds.');
  }
  if (error instanceof HttpException) return fromHttpException(error);
  return undefined;
}

function fromHttpException(error: HttpException): ErrorResponse {
  const status = error.getStatus();
  const body = error.getResponse();
  const message =
    typeof body === 'string'
      ? body
      : Array.isArray((body as { message?: unknown }).message)
        ? ((body as { message: string[] }).message).join('; ')
        : String((body as { message?: unknown }).message ?? error.message);
  return errorResponse(status, status === HttpStatus.NOT_FOUND && message.startsWith('Cannot ') ? 'No such route' : message);
}

/** A SQLite file (the log, the keys, the embedded read models) could not grow: SQLITE_FULL, here or as a cause. */
function isOutOfSpace(error: unknown): boolean {
  for (let cause = error, depth = 0; cause && depth < 5; cause = (cause as { cause?: unknown }).cause, depth++) {
    if (isSqliteFull(cause)) return true;
  }
  return false;
}
