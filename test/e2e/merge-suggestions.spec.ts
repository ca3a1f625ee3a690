import { randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { rebuildCommand } from '../../apps/cli/rebuild.command.js';
import { startApi, type ApiHarness } from '../support/api-harness.js';

const stacks: Array<[string, () => Record<string, string>]> = [
  ['embedded (SQLite + SQLite read models)', () => ({})],
  ['SQLite + MongoDB protocol (FerretDB)', () => ({ MONGODB_URI: mongoUri(), MONGODB_DATABASE: `e2e_${randomUUID().slice(0, 8)}` })],
];

function mongoUri(): string {
  const uri = process.env.MONGODB_URI;
  if (!uri) throw new Error('MONGODB_URI is not set: start FerretDB (npm test does) to run the MongoDB stack');
  return uri;
}

describe.each(stacks)('merge suggestions over HTTP on %s', (_, envOf) => {
  let api: ApiHarness;
  let env: Record<string, string>;
  let integration: string;
  let owner: string;

  beforeAll(async () => {
    env = envOf();
    api = await startApi(env);
    integration = await api.token('integration');
    owner = await api.token('owner');
  });
  afterAll(async () => {
    await api.close();
    if (env.MONGODB_URI) {
      const client = await MongoClient.connect(env.MONGODB_URI);
      await client.db(env.MONGODB_DATABASE).dropDatabase();
      await client.close();
    }
  });

  const get = (path: string, token = owner) => api.request('GET', path, { token });
  const post = (path: string, body?: unknown, token = owner) => api.request('POST', path, { token, ...(body !== undefined ? { body } : {}) });

  let seq = 0;
  /** Two contacts of different channels with one phone number; answers their ids and the last position. */
  async function lookalikes(name = 'Ann Lee'): Promise<{ a: string; b: string; position: number }> {
    const phone = `+4420794620${String(seq++).padStart(2, '0')}`;
    const a = await post('/v1/channel-contacts', { channel: 'whatsapp', channelContactId: phone, name }, integration);
    const b = await post('/v1/channel-contacts', { channel: 'telegram', channelContactId: `tg-${randomUUID()}`, phone }, integration);
    return { a: a.body.contactId, b: b.body.contactId, position: b.body.position };
  }

  async function suggestionOf(a: string, b: string, position: number) {
    const { body } = await get(`/v1/merge-suggestions?minPosition=${position}&limit=100`);
    return body.items.find((item: { contactIds: string[] }) => item.contactIds.includes(a) && item.contactIds.includes(b));
  }

  it('lists contacts of different channels with the same phone, with the reason', async () => {
    const { a, b, position } = await lookalikes();
    const suggestion = await suggestionOf(a, b, position);
    expect(suggestion).toEqual({
      id: expect.any(String),
      contactIds: [a, b].sort(),
      reason: expect.stringMatching(/^same phone number \+44207946200\d$/),
      reasons: [{ rule: 'phone', value: expect.stringMatching(/^\+44/) }],
    });
    expect((await get('/v1/merge-suggestions', integration)).status).toBe(403);
    expect((await get('/v1/merge-suggestions', await api.token('owner', { workspace: 'globex' }))).body.items).toEqual([]);
  });

  it('accept attaches both to a new profile named after a contact; the suggestion vanishes', async () => {
    const { a, b, position } = await lookalikes('Bea Merged');
    const suggestion = await suggestionOf(a, b, position);
    const accepted = await post(`/v1/merge-suggestions/${suggestion.id}/accept`);
    expect(accepted.status).toBe(200);
    expect(accepted.body).toEqual({ id: suggestion.id, profileId: expect.any(String), position: expect.any(Number) });
    const profile = await get(`/v1/profiles/${accepted.body.profileId}?minPosition=${accepted.body.position}`);
    expect(profile.body).toMatchObject({ name: 'Bea Merged' });
    expect(profile.body.contacts.map((c: { id: string }) => c.id).sort()).toEqual([a, b].sort());
    expect(await suggestionOf(a, b, accepted.body.position)).toBeUndefined();
    expect((await post(`/v1/merge-suggestions/${suggestion.id}/accept`)).status).toBe(404);
  });

  it('accept attaches the other contact to the profile one of them has', async () => {
    const { a, b } = await lookalikes('Cy Existing');
    const created = await post('/v1/profiles', { name: 'Cy Household', contactIds: [b] });
    const suggestion = await suggestionOf(a, b, created.body.position);
    expect(suggestion).toBeDefined();
    const accepted = await post(`/v1/merge-suggestions/${suggestion.id}/accept`, { name: 'Ignored Name' });
    expect(accepted.body.profileId).toBe(created.body.profileId);
    const view = await get(`/v1/contacts/${a}?minPosition=${accepted.body.position}`);
    expect(view.body.profileId).toBe(created.body.profileId);
  });

  it('dismiss keeps the pair away, also after a rebuild of the read model; it is an event in the log', async () => {
    const { a, b, position } = await lookalikes('Dee Dismissed');
    const suggestion = await suggestionOf(a, b, position);
    const before = await api.logSize();
    const dismissed = await post(`/v1/merge-suggestions/${suggestion.id}/dismiss`);
    expect(dismissed.status).toBe(200);
    expect(dismissed.body).toEqual({ id: suggestion.id, version: 1, position: expect.any(Number) });
    expect(await api.logSize()).toBe(before + 1);
    expect(await suggestionOf(a, b, dismissed.body.position)).toBeUndefined();
    // A suggestion shows no version: an If-Match (stale or not) is not a condition of the dismissal.
    const again = await api.request('POST', `/v1/merge-suggestions/${suggestion.id}/dismiss`, { token: owner, headers: { 'if-match': '"7"' } });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(dismissed.body);
    expect(await api.logSize()).toBe(before + 1);

    // The operators' rebuild (`npm run cli -- rebuild merge-suggestions`), under the running API.
    await rebuildCommand(['merge-suggestions'], { ...env, DATA_DIR: api.config.dataDir, AUTH_JWT_SECRET: api.config.jwtSecret });
    const { body } = await get('/v1/merge-suggestions?limit=100');
    expect(body.items.find((item: { id: string }) => item.id === suggestion.id)).toBeUndefined();
    const other = await lookalikes();
    expect(await suggestionOf(other.a, other.b, other.position)).toBeDefined();
  });

  it('refuses unknown suggestions, foreign workspaces and agents without permission, writing nothing', async () => {
    const { a, b, position } = await lookalikes();
    const suggestion = await suggestionOf(a, b, position);
    const before = await api.logSize();
    const foreign = await api.token('owner', { workspace: 'globex' });
    expect((await post(`/v1/merge-suggestions/${suggestion.id}/accept`, undefined, foreign)).status).toBe(404);
    expect((await post(`/v1/merge-suggestions/${suggestion.id}/dismiss`, undefined, foreign)).status).toBe(404);
    expect((await post(`/v1/merge-suggestions/${randomUUID()}/dismiss`)).status).toBe(404);
    expect((await post(`/v1/merge-suggestions/${suggestion.id}/accept`, undefined, await api.token('agent', { sub: 'no-permission' }))).status).toBe(403);
    expect((await post(`/v1/merge-suggestions/${suggestion.id}/accept`, { colour: 'red' })).status).toBe(400);
    expect((await post(`/v1/merge-suggestions/${suggestion.id}/accept`, { name: '1' })).status).toBe(422);
    expect(await api.logSize()).toBe(before);
  });
});
