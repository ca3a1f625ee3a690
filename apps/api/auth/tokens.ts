import { jwtVerify, SignJWT } from 'jose';
import type { Actor } from '../../../libs/shared-kernel/event-metadata.js';

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

export async function verifyToken(token: string, secret: string): Promise<Principal> {
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(token, key(secret), { algorithms: [ALGORITHM] }));
  } catch (error) {
    throw new InvalidTokenError(describeJoseError(error));
  }
  const { sub, workspace, role } = payload;
  if (typeof sub !== 'string' || sub === '') throw new InvalidTokenError('the token has no subject (sub)');
  if (typeof workspace !== 'string' || workspace === '') throw new InvalidTokenError('the token has no workspace claim');
  if (!isTokenRole(role)) throw new InvalidTokenError(`the token's role must be one of ${TOKEN_ROLES.join(', ')}`);
  return { id: sub, workspace, role };
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
    .sign(key(secret));
}

export function isTokenRole(role: unknown): role is TokenRole {
  return typeof role === 'string' && (TOKEN_ROLES as readonly string[]).includes(role);
}

function key(secret: string): Uint8Array {
  return new TextEncoder().encode(secret);
}

function describeJoseError(error: unknown): string {
  const code = (error as { code?: string }).code;
  if (code === 'ERR_JWT_EXPIRED') return 'the token has expired';
  if (code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED') return 'the token signature is invalid';
  if (code === 'ERR_JOSE_ALG_NOT_ALLOWED') return 'the token must be signed with HS256';
  return 'the token is malformed';
}
