import { STATUS_CODES } from 'node:http';
import type { FieldError } from '../eventsourcing/domain-errors.js';

/** The one error shape of the API (API.md, "Conventions"). */
export interface ErrorResponse {
  statusCode: number;
  error: string;
  message: string;
  errors?: FieldError[];
}

export function errorResponse(statusCode: number, message: string, errors?: FieldError[]): ErrorResponse {
  return {
    statusCode,
    error: STATUS_CODES[statusCode] ?? 'Error',
    message,
    ...(errors && errors.length > 0 ? { errors } : {}),
  };
}
