import { parseArgs } from 'node:util';
import { loadConfig } from '../../libs/shared-kernel/config.js';
import { isTokenRole, mintToken, TOKEN_ROLES } from '../api/auth/tokens.js';

export const TOKEN_USAGE = `token [--sub ID] [--workspace ID] [--role ${TOKEN_ROLES.join('|')}] [--expires 12h]
  Mints a bearer token signed with AUTH_JWT_SECRET (or the secret generated in DATA_DIR).`;

export async function tokenCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      sub: { type: 'string', default: 'owner-1' },
      workspace: { type: 'string', default: 'default' },
      role: { type: 'string', default: 'owner' },
      expires: { type: 'string', default: '12h' },
    },
  });
  if (!isTokenRole(values.role)) throw new Error(`--role must be one of ${TOKEN_ROLES.join(', ')}`);
  const token = await mintToken({ sub: values.sub, workspace: values.workspace, role: values.role }, loadConfig().jwtSecret, values.expires);
  process.stdout.write(`${token}\n`);
}
