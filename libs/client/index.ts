/**
 * The typed client of the contact-profiles API for agent apps and connectors: openapi-fetch
 * over the types openapi-typescript generated from the API's OpenAPI document
 * (`npm run client:generate`; CI fails when they are stale). Paths, parameters, bodies and
 * answers — errors included — are checked by the compiler.
 */
import createClient, { type Client } from 'openapi-fetch';
import type { components, paths } from './openapi-types.js';

export type { components, paths };
export type Schemas = components['schemas'];
export type ContactView = Schemas['ContactView'];
export type ContactHistoryEntry = Schemas['ContactHistoryEntry'];
export type ErrorResponse = Schemas['ErrorResponse'];
export type ContactProfilesClient = Client<paths>;

export interface ContactProfilesClientOptions {
  /** Where the API is, e.g. `https://contacts.example.com`. */
  baseUrl: string;
  /** The bearer token, or a function that gives the current one (tokens expire). */
  token: string | (() => string | Promise<string>);
  /** Another `fetch` (tests, instrumentation); the global one by default. */
  fetch?: (request: Request) => Promise<Response>;
}

export function createContactProfilesClient({ baseUrl, token, fetch }: ContactProfilesClientOptions): ContactProfilesClient {
  const client = createClient<paths>({ baseUrl, ...(fetch ? { fetch } : {}) });
  client.use({
    async onRequest({ request }) {
      request.headers.set('authorization', `Bearer ${typeof token === 'function' ? await token() : token}`);
      return request;
    },
  });
  return client;
}
