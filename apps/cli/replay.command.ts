import { parseArgs } from 'node:util';
import { contactStreamId } from '../../libs/domain/contacts/index.js';
import { openEventStore } from '../../libs/event-store/open-event-store.js';
import { loadConfig } from '../../libs/shared-kernel/config.js';

export const REPLAY_USAGE = `replay <contactId> [--from-revision N]
  Writes the contact's raw events, oldest first, as NDJSON on stdout (for auditors).`;

export async function replayCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { 'from-revision': { type: 'string', default: '0' } } });
  const [contactId] = positionals;
  if (!contactId) throw new Error(`usage: ${REPLAY_USAGE}`);
  const fromRevision = Number(values['from-revision']);
  if (!Number.isInteger(fromRevision) || fromRevision < 0) throw new Error('--from-revision must be a whole number');
  const store = openEventStore(loadConfig());
  try {
    const events = await store.readStream(contactStreamId(contactId), { fromRevision });
    if (events.length === 0 && fromRevision === 0) throw new Error(`no events for contact ${contactId}`);
    for (const event of events) process.stdout.write(`${JSON.stringify(event)}\n`);
  } finally {
    await store.close();
  }
}
