import { createHash, randomBytes } from 'node:crypto';

/**
 * A self-service token is `<contactId>.<secret>`: the contact it opens, and 32 random
 * characters. The log keeps only the SHA-256 of the secret (the link id).
 */
const TOKEN = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.([A-Za-z0-9_-]{32})$/;

export function newSelfServiceToken(contactId: string): { token: string; linkId: string } {
  const secret = randomBytes(24).toString('base64url');
  return { token: `${contactId}.${secret}`, linkId: linkIdOf(secret) };
}

/** The contact and link a token names; undefined for anything that is not a token. */
export function parseSelfServiceToken(token: string): { contactId: string; linkId: string } | undefined {
  const match = TOKEN.exec(token);
  return match ? { contactId: match[1]!, linkId: linkIdOf(match[2]!) } : undefined;
}

function linkIdOf(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}
