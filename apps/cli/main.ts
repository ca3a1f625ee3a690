import { COPY_LOG_USAGE, copyLogCommand } from './copy-log.command.js';
import { REBUILD_USAGE, rebuildCommand } from './rebuild.command.js';
import { REPLAY_USAGE, replayCommand } from './replay.command.js';
import { TOKEN_USAGE, tokenCommand } from './token.command.js';
import { VERIFY_USAGE, verifyCommand } from './verify.command.js';

const commands: Record<string, { usage: string; run: (args: string[]) => Promise<void> }> = {
  token: { usage: TOKEN_USAGE, run: tokenCommand },
  replay: { usage: REPLAY_USAGE, run: replayCommand },
  rebuild: { usage: REBUILD_USAGE, run: rebuildCommand },
  'copy-log': { usage: COPY_LOG_USAGE, run: async (args) => void (await copyLogCommand(args)) },
  verify: { usage: VERIFY_USAGE, run: async (args) => void (await verifyCommand(args)) },
};

const [name, ...args] = process.argv.slice(2);
const command = name ? commands[name] : undefined;
if (!command) {
  process.stderr.write(`usage: npm run cli -- <command> [options]\n\n${Object.values(commands).map((c) => c.usage).join('\n\n')}\n`);
  process.exit(name ? 2 : 0);
}
try {
  await command.run(args);
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
