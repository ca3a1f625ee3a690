import type { Filter } from '../document-store.port.js';
import { compareValues, isPlainObject, sameType, valuesAt, valuesEqual } from './document-values.js';

export type DocumentPredicate = (document: unknown) => boolean;

/** Compiles a filter of the port's operators into a predicate, with MongoDB's matching rules. */
export function compileFilter(filter: Filter): DocumentPredicate {
  const clauses = Object.entries(filter).map(([key, condition]) => compileClause(key, condition));
  if (clauses.length === 1) return clauses[0]!;
  return (document) => clauses.every((clause) => clause(document));
}

function compileClause(key: string, condition: unknown): DocumentPredicate {
  switch (key) {
    case '$and': {
      const parts = filtersOf(key, condition).map(compileFilter);
      return (document) => parts.every((part) => part(document));
    }
    case '$or': {
      const parts = filtersOf(key, condition).map(compileFilter);
      return (document) => parts.some((part) => part(document));
    }
    case '$nor': {
      const parts = filtersOf(key, condition).map(compileFilter);
      return (document) => !parts.some((part) => part(document));
    }
  }
  if (key.startsWith('$')) throw new Error(`unsupported query operator ${key}`);
  const test = isOperatorObject(condition) ? compileOperators(condition) : equalTo(condition);
  return (document) => test(valuesAt(document, key));
}

function filtersOf(operator: string, condition: unknown): Filter[] {
  if (!Array.isArray(condition) || condition.length === 0) throw new Error(`${operator} needs a non-empty array of filters`);
  return condition as Filter[];
}

type ValuesTest = (values: unknown[]) => boolean;

function compileOperators(condition: Record<string, unknown>): ValuesTest {
  const tests = Object.entries(condition)
    .filter(([operator]) => operator !== '$options')
    .map(([operator, operand]) => compileOperator(operator, operand, condition.$options));
  return (values) => tests.every((test) => test(values));
}

function compileOperator(operator: string, operand: unknown, options: unknown): ValuesTest {
  switch (operator) {
    case '$eq':
      return equalTo(operand);
    case '$ne': {
      const equal = equalTo(operand);
      return (values) => !equal(values);
    }
    case '$in': {
      const tests = arrayOperand(operator, operand).map(equalTo);
      return (values) => tests.some((test) => test(values));
    }
    case '$nin': {
      const tests = arrayOperand(operator, operand).map(equalTo);
      return (values) => !tests.some((test) => test(values));
    }
    case '$all': {
      const tests = arrayOperand(operator, operand).map(equalTo);
      return (values) => tests.length > 0 && tests.every((test) => test(values));
    }
    case '$gt':
      return comparing(operand, (order) => order > 0);
    case '$gte':
      return comparing(operand, (order) => order >= 0);
    case '$lt':
      return comparing(operand, (order) => order < 0);
    case '$lte':
      return comparing(operand, (order) => order <= 0);
    case '$exists':
      return (values) => values.some((value) => value !== undefined) === Boolean(operand);
    case '$regex': {
      const pattern = operand instanceof RegExp ? operand : new RegExp(String(operand), typeof options === 'string' ? options : '');
      return (values) => values.some((value) => typeof value === 'string' && pattern.test(value));
    }
    default:
      throw new Error(`unsupported query operator ${operator}`);
  }
}

function arrayOperand(operator: string, operand: unknown): unknown[] {
  if (!Array.isArray(operand)) throw new Error(`${operator} needs an array`);
  return operand;
}

/** Equality as MongoDB matches it: the value, or an element of an array; null also matches a missing field. */
function equalTo(expected: unknown): ValuesTest {
  if (expected === null) return (values) => values.some((value) => value === null || value === undefined);
  if (typeof expected !== 'object') return (values) => values.includes(expected);
  return (values) => values.some((value) => valuesEqual(value, expected));
}

function comparing(operand: unknown, accept: (order: number) => boolean): ValuesTest {
  return (values) =>
    values.some((value) => value !== undefined && !Array.isArray(value) && sameType(value, operand) && accept(compareValues(value, operand)));
}

export function isOperatorObject(value: unknown): value is Record<string, unknown> {
  if (!isPlainObject(value)) return false;
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((key) => key.startsWith('$'));
}
