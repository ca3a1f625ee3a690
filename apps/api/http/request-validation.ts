import { ValidationPipe, type ValidationError } from '@nestjs/common';
import type { FieldError } from '../../../libs/shared-kernel/domain-errors.js';

/** The request is malformed: wrong types, unknown properties, missing required ones (400). */
export class RequestValidationError extends Error {
  constructor(readonly errors: FieldError[]) {
    super('The request is malformed');
    this.name = 'RequestValidationError';
  }
}

/** Shape checks of bodies and queries: unknown properties are refused, types are checked. */
export function requestValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    exceptionFactory: (errors) => new RequestValidationError(flatten(errors)),
  });
}

function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message: unknownPropertyMessage(message, field) }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

function unknownPropertyMessage(message: string, field: string): string {
  return message.endsWith('should not exist') ? `unknown property "${field}"` : message;
}
