import { AGENT, type ContactLog } from '../../contacts/testing/contact-log.js';

/** A log where contacts are reported, edited, cleared, restored and reported again, between workspace events. */
export async function fillBusyLog(log: ContactLog, contacts = 12): Promise<void> {
  await log.grantEditing([AGENT.id]);
  for (let i = 0; i < contacts; i++) {
    const { contactId } = await log.report(i % 2 ? 'whatsapp' : 'telegram', `+4420794600${String(i).padStart(2, '0')}`, {
      name: `Person ${i}`,
      email: `person${i}@mail.example.com`,
    });
    await log.edit(contactId, { name: `Edited ${i}`, country: 'GB', ...(i % 3 ? { language: null } : {}) }, { actor: AGENT });
    if (i % 2) await log.report('whatsapp', `+4420794600${String(i).padStart(2, '0')}`, { name: `Channel ${i}` });
    if (i % 4 === 0) await log.restore(contactId, ['name']);
    if (i % 5 === 0) await log.grantEditing([`agent-${i}`], { workspace: `w-${i}` });
  }
}
