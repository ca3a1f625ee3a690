import { ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import type { FieldError } from '../eventsourcing/domain-errors.js';

/** The request is malformed: wrong types, unknown properties, missing required ones (400). */
export class RequestValidationError extends Error {
  constructor(readonly errors: FieldError[]) {
    super('The request is malformed');
    this.name = 'RequestValidationError';
  }
}

/** Shape checks of bodies and queries: unknown properties are refused, types are checked. */
export function requestValidationPipe(): ValidationPipe {
  return new StrictValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    exceptionFactory: (errors) => new RequestValidationError(flatten(errors)),
  });
}

/**
 * Names of Object.prototype (`constructor`, `toString`, `valueOf`, `__proto__`…): no DTO declares
 * them, yet `whitelist` takes them for known properties and lets them through.
 */
const PROTOTYPE_KEYS = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype']);

/** Also refuses the prototype keys as unknown properties, at any depth of a body (found by the hostile-input suite). */
class StrictValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body') {
      const path = prototypeKeyIn(value);
      if (path) throw new RequestValidationError([{ field: path, message: `unknown property "${path}"` }]);
    }
    return super.transform(value, metadata);
  }
}

function prototypeKeyIn(value: unknown, parent = ''): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  for (const key of Object.keys(value)) {
    const field = parent ? `${parent}.${key}` : key;
    if (PROTOTYPE_KEYS.has(key)) return field;
    const nested = prototypeKeyIn((value as Record<string, unknown>)[key], field);
    if (nested) return nested;
  }
  return undefined;
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
