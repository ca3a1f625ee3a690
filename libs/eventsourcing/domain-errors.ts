/** Errors the domain and the application raise; the HTTP layer maps each to one status code. */

export interface FieldError {
  field: string;
  message: string;
}

/** One or more values are invalid (422). Nothing is written. */
export class InvalidValuesError extends Error {
  constructor(readonly errors: FieldError[]) {
    super(errors.map((e) => `${e.field}: ${e.message}`).join('; '));
    this.name = 'InvalidValuesError';
  }
}

/** The actor may not do this (403): locked field, missing permission, wrong role. */
export class ForbiddenError extends Error {
  constructor(message: string, readonly errors: FieldError[] = []) {
    super(message);
    this.name = 'ForbiddenError';
  }
}

/** The thing does not exist, or belongs to another workspace (404). */
export class NotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotFoundError';
  }
}

/** The caller's expected version is not the current one (409). */
export class VersionConflictError extends Error {
  constructor(readonly expectedVersion: number, readonly actualVersion: number) {
    super(`expected version ${expectedVersion} but the current version is ${actualVersion}`);
    this.name = 'VersionConflictError';
  }
}

/** The thing is in a state that refuses the command, such as an archived profile (409). */
export class StateConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StateConflictError';
  }
}
