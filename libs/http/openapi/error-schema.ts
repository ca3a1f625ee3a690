import { Type, type Static } from './schema.js';

export const FieldErrorSchema = Type.Object(
  {
    field: Type.String({ description: 'The property, query parameter or header at fault, e.g. `email`, `customFields.size`, `If-Match`' }),
    message: Type.String({ description: 'What is wrong and how to write it (a formatting tip)' }),
  },
  { $id: 'FieldError' },
);

/** The one error shape of the API (API.md, "Conventions"). */
export const ErrorResponseSchema = Type.Object(
  {
    statusCode: Type.Integer({ minimum: 400, maximum: 599, description: 'The HTTP status, repeated' }),
    error: Type.String({ description: 'The reason phrase of the status, e.g. `Unprocessable Entity`' }),
    message: Type.String({ description: 'What went wrong, for a person' }),
    errors: Type.Optional(Type.Array(FieldErrorSchema, { description: 'One entry per field at fault (400, 403, 422)' })),
  },
  {
    $id: 'ErrorResponse',
    examples: [
      {
        statusCode: 422,
        error: 'Unprocessable Entity',
        message: 'Some values are invalid',
        errors: [{ field: 'email', message: 'Enter an e-mail like login@example.com.' }],
      },
    ],
  },
);
export type ErrorResponseBody = Static<typeof ErrorResponseSchema>;

/** The error statuses the API answers, with what each means on any operation. */
export const ERROR_MEANINGS = {
  400: 'Malformed request: invalid JSON, wrong types, unknown properties, bad query parameters or headers; `errors` names each one. Nothing was written.',
  401: 'No bearer token, or a malformed, expired or badly signed one.',
  403: "Not allowed: the token's role may not do this, the field is locked, or the agent lacks the contact-editing permission. Nothing was written.",
  404: 'Not found in this workspace (an id of another workspace is not found either).',
  409: 'Conflict: `If-Match` names a version the stream has moved past. Nothing was written; read again and retry.',
  413: 'The body is larger than 64 KiB.',
  414: 'A path segment (an id, a token, a name) is longer than 100 characters.',
  415: 'The body is not `application/json`.',
  422: 'Invalid values: `errors` has one formatting tip per bad field. Nothing was written.',
  429: 'Too many requests for this token (or, without a valid token, this address) in the window (`RATE_LIMIT_MAX` per `RATE_LIMIT_WINDOW_MS`); `Retry-After` says when to retry. Nothing was written.',
  503: 'A store (the event log or the read models) did not answer in time. Nothing was half-written; retry later.',
} as const;
export type ErrorStatus = keyof typeof ERROR_MEANINGS;
