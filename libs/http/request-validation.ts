import { ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
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

/**
 * Also refuses the prototype keys as unknown properties, at any depth of a body (found by the
 * hostile-input suite). An empty query (most GETs) is checked once per DTO class: once it passed,
 * it always does, and class-validator costs a tenth of a GET's CPU.
 */
class StrictValidationPipe extends ValidationPipe {
  private readonly emptyQueryPasses = new WeakSet<object>();

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'query' && metadata.metatype && isEmptyObject(value)) {
      if (this.emptyQueryPasses.has(metadata.metatype)) return plainToInstance(metadata.metatype, {});
      const checked = await super.transform(value, metadata);
      this.emptyQueryPasses.add(metadata.metatype);
      return checked;
    }
    if (metadata.type === 'body') {
      const path = prototypeKeyIn(value);
      if (path) throw new RequestValidationError([{ field: path, message: `unknown property "${path}"` }]);
    }
    return super.transform(value, metadata);
  }
}

function isEmptyObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 0;
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
