import type { ApiHarness } from './api-harness.js';

export interface EveryEventWorkload {
  /** A contact edited, tagged, blocked, linked to a profile then detached from it, then attached through an accepted merge. */
  ann: string;
  tg: string;
  /** Deleted at the end. */
  mail: string;
  profileId: string;
}

/**
 * Writes every event type the service has through the API, as the inbox and the connectors do:
 * channel reports, edits, custom fields (one archived), tags, blocking, self-service links,
 * permissions, a profile with notes, merge suggestions dismissed and accepted, a deletion.
 */
export async function writeEveryEventType(api: ApiHarness): Promise<EveryEventWorkload> {
  const owner = await api.token('owner');
  const integration = await api.token('integration');
  const call = async (method: string, path: string, body?: unknown, token = owner) => {
    const response = await api.request(method, path, { token, ...(body !== undefined ? { body } : {}) });
    if (response.status >= 300) throw new Error(`${method} ${path} answered ${response.status}: ${JSON.stringify(response.body)}`);
    return response.body;
  };

  const phone = '+442079460500';
  const ann = (await call('POST', '/v1/channel-contacts', { channel: 'whatsapp', channelContactId: phone, name: 'ann', email: 'ann@example.com', avatarUrl: 'https://example.com/ann.png' }, integration)).contactId;
  await call('POST', '/v1/channel-contacts', { channel: 'whatsapp', channelContactId: phone, name: 'ann lee', avatarUrl: null }, integration);
  const tg = (await call('POST', '/v1/channel-contacts', { channel: 'telegram', channelContactId: 'tg-ann', phone }, integration)).contactId;
  const mail = (await call('POST', '/v1/channel-contacts', { channel: 'sms', channelContactId: phone, phone }, integration)).contactId;
  await call('PUT', '/v1/permissions/contact-editing', { agentIds: ['agent-1'], allowed: true });
  await call('PUT', '/v1/permissions/contact-editing', { agentIds: ['agent-1'], allowed: false });
  await call('POST', '/v1/custom-fields', { name: 'loyalty', label: 'Loyalty', type: 'single_choice', options: ['gold', 'silver'] });
  await call('POST', '/v1/custom-fields', { name: 'seen_at', label: 'Seen at', type: 'location', visibleToCustomer: true });
  await call('PATCH', `/v1/contacts/${ann}`, { name: 'Ann Lee', email: null, customFields: { loyalty: 'gold', seen_at: { lat: 51.5, lng: -0.1 } } });
  await call('PATCH', `/v1/contacts/${ann}`, { customFields: { loyalty: null } });
  await call('DELETE', '/v1/custom-fields/loyalty');
  await call('POST', `/v1/contacts/${ann}/restore-from-channel`, { fields: ['email'] });
  await call('POST', `/v1/contacts/${ann}/tags`, { tag: 'VIP' });
  await call('DELETE', `/v1/contacts/${ann}/tags/vip`);
  await call('POST', `/v1/contacts/${ann}/block`);
  await call('POST', `/v1/contacts/${ann}/unblock`);
  const link = await call('POST', `/v1/contacts/${ann}/self-service-links`, {});
  await call('DELETE', `/v1/contacts/${ann}/self-service-links/${link.token}`);
  const profile = await call('POST', '/v1/profiles', { name: 'Ann Lee', contactIds: [ann] });
  await call('PATCH', `/v1/profiles/${profile.profileId}`, { name: 'Ann Lee-Smith' });
  const note = await call('POST', `/v1/profiles/${profile.profileId}/notes`, { text: 'Prefers e-mail' });
  await call('PATCH', `/v1/profiles/${profile.profileId}/notes/${note.noteId}`, { text: 'Prefers e-mail after 6 pm' });
  await call('DELETE', `/v1/profiles/${profile.profileId}/notes/${note.noteId}`);
  await call('DELETE', `/v1/profiles/${profile.profileId}/contacts/${ann}`);
  await call('POST', `/v1/profiles/${profile.profileId}/archive`);
  const { position } = await call('POST', '/v1/channel-contacts', { channel: 'sms', channelContactId: phone, name: 'Ann' }, integration);
  const suggestions = (await call('GET', `/v1/merge-suggestions?minPosition=${position}&limit=100`)).items as Array<{ id: string; contactIds: string[] }>;
  const pair = (a: string, b: string) => suggestions.find(({ contactIds }) => contactIds.includes(a) && contactIds.includes(b))!;
  await call('POST', `/v1/merge-suggestions/${pair(tg, mail).id}/dismiss`);
  await call('POST', `/v1/merge-suggestions/${pair(ann, tg).id}/accept`);
  await call('DELETE', `/v1/contacts/${mail}`);
  return { ann, tg, mail, profileId: profile.profileId };
}
