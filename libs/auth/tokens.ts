import { jwtVerify, SignJWT } from 'jose';
import { webcrypto } from 'node:crypto';
import type { Actor } from '../eventsourcing/event-metadata.js';

/** The roles a token may carry (API.md). */
export const TOKEN_ROLES = ['owner', 'manager', 'agent', 'integration'] as const;
export type TokenRole = (typeof TOKEN_ROLES)[number];

/** Who is calling: the verified claims of the bearer token. */
export interface Principal extends Actor {
  role: TokenRole;
  workspace: string;
}

export class InvalidTokenError extends Error {}

const ALGORITHM = 'HS256';

/**
 * Tokens verified lately, by token: an agent app sends the same token with every request, and
 * a token's signature and claims do not change, so only its expiry needs checking again.
 * Bounded: the oldest entry goes first.
 */
const verifiedTokens = new Map<string, { secret: string; principal: Principal; expiresAtSeconds: number }>();
const MAX_VERIFIED_TOKENS = 10_000;

export async function verifyToken(token: string, secret: string): Promise<Principal> {
  const verified = verifiedTokens.get(token);
  if (verified && verified.secret === secret && Date.now() / 1000 < verified.expiresAtSeconds) return { ...verified.principal };
  const { principal, expiresAtSeconds } = await verifySignedToken(token, secret);
  if (verifiedTokens.size >= MAX_VERIFIED_TOKENS) verifiedTokens.delete(verifiedTokens.keys().next().value!);
  verifiedTokens.set(token, { secret, principal, expiresAtSeconds });
  return { ...principal };
}

async function verifySignedToken(token: string, secret: string): Promise<{ principal: Principal; expiresAtSeconds: number }> {
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(token, await key(secret), { algorithms: [ALGORITHM] }));
  } catch (error) {
    throw new InvalidTokenError(describeJoseError(error));
  }
  const { sub, workspace, role } = payload;
  if (typeof sub !== 'string' || sub === '') throw new InvalidTokenError('the token has no subject (sub)');
  if (typeof workspace !== 'string' || workspace === '') throw new InvalidTokenError('the token has no workspace claim');
  if (!isTokenRole(role)) throw new InvalidTokenError(`the token's role must be one of ${TOKEN_ROLES.join(', ')}`);
  const expiresAtSeconds = typeof payload.exp === 'number' ? payload.exp : Number.POSITIVE_INFINITY;
  return { principal: { id: sub, workspace, role }, expiresAtSeconds };
}

export async function mintToken(
  claims: { sub: string; workspace: string; role: TokenRole },
  secret: string,
  expiresIn: string | number = '12h',
): Promise<string> {
  return new SignJWT({ workspace: claims.workspace, role: claims.role })
    .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
    .setSubject(claims.sub)
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(await key(secret));
}

export function isTokenRole(role: unknown): role is TokenRole {
  return typeof role === 'string' && (TOKEN_ROLES as readonly string[]).includes(role);
}

/** Imported HMAC keys by secret: WebCrypto's import costs more than the verification itself. */
const importedKeys = new Map<string, Promise<webcrypto.CryptoKey>>();
const MAX_IMPORTED_KEYS = 16;

function key(secret: string): Promise<webcrypto.CryptoKey> {
  let imported = importedKeys.get(secret);
  if (!imported) {
    if (importedKeys.size >= MAX_IMPORTED_KEYS) importedKeys.delete(importedKeys.keys().next().value!);
    imported = webcrypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
    importedKeys.set(secret, imported);
  }
  return imported;
}

function describeJoseError(error: unknown): string {
  const code = (error as { code?: string }).code;
  if (code === 'ERR_JWT_EXPIRED') return 'the token has expired';
  if (code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED') return 'the token signature is invalid';
  if (code === 'ERR_JOSE_ALG_NOT_ALLOWED') return 'the token must be signed with HS256';
  return 'the token is malformed';
}
