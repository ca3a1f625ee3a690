import { expect, it } from '@jest/globals';
import { InvalidTokenError, mintToken, verifyToken } from './tokens.js';

const SECRET = 'tokens-spec-secret-tokens-spec-secret';
const claims = { sub: 'agent-7', workspace: 'acme', role: 'agent' as const };

it('verifies a token again and again, each time answering its principal', async () => {
  const token = await mintToken(claims, SECRET);
  for (let i = 0; i < 3; i++) expect(await verifyToken(token, SECRET)).toEqual({ id: 'agent-7', workspace: 'acme', role: 'agent' });
});

it('refuses a token it verified before under another secret', async () => {
  const token = await mintToken(claims, SECRET);
  await verifyToken(token, SECRET);
  await expect(verifyToken(token, `${SECRET}-other`)).rejects.toThrow(new InvalidTokenError('the token signature is invalid'));
});

it('refuses a token it verified before once the token has expired', async () => {
  const expiresAt = Math.floor(Date.now() / 1000) + 2;
  const token = await mintToken(claims, SECRET, expiresAt);
  expect(await verifyToken(token, SECRET)).toMatchObject({ id: 'agent-7' });
  await new Promise((resolve) => setTimeout(resolve, expiresAt * 1000 - Date.now() + 50));
  await expect(verifyToken(token, SECRET)).rejects.toThrow(new InvalidTokenError('the token has expired'));
});
