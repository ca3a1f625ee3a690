import { parseArgs } from 'node:util';
import { loadConfig } from '../../libs/config/config.js';
import { isTokenRole, mintToken, TOKEN_ROLES, type TokenRole } from '../../libs/auth/tokens.js';

export const TOKEN_USAGE = `token [--role ${TOKEN_ROLES.join('|')}] [--sub ID] [--workspace ID] [--expires 12h]
  Mints a bearer token signed with AUTH_JWT_SECRET (or the secret generated in DATA_DIR).
  --sub is the actor id that edits are recorded under; without it, <role>-1 (owner-1, agent-1, …).`;

export async function tokenCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      sub: { type: 'string' },
      workspace: { type: 'string', default: 'default' },
      role: { type: 'string', default: 'owner' },
      expires: { type: 'string', default: '12h' },
    },
  });
  if (!isTokenRole(values.role)) throw new Error(`--role must be one of ${TOKEN_ROLES.join(', ')}`);
  const sub = subjectOf(values.role, values.sub);
  if (values.sub === undefined) process.stderr.write(`token: no --sub given: the token acts as ${sub}\n`);
  const token = await mintToken({ sub, workspace: values.workspace, role: values.role }, loadConfig().jwtSecret, values.expires);
  process.stdout.write(`${token}\n`);
}

/** The actor id a token carries: the one given, else one derived from the role, so that a connector's edits never show as an owner's. */
export function subjectOf(role: TokenRole, sub: string | undefined): string {
  if (sub === undefined) return `${role}-1`;
  if (sub.trim() === '') throw new Error('--sub must not be empty');
  return sub;
}
