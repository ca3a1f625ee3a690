import { randomUUID } from 'node:crypto';
import type { ApiHarness } from '../support/api-harness.js';
import { expectNothingWritten, E2E_STACKS as STACKS, startStack } from '../support/stacks.js';

describe.each(STACKS)('tags and blocking over HTTP on %s', (_, envOf) => {
  let api: ApiHarness;
  let stop: () => Promise<void>;
  let integration: string;
  let owner: string;

  beforeAll(async () => {
    ({ api, stop } = await startStack(envOf()));
    integration = await api.token('integration');
    owner = await api.token('owner');
  });
  afterAll(() => stop());

  const get = (path: string, token = owner) => api.request('GET', path, { token });
  const ids = (response: { body: { items: Array<{ id: string }> } }) => response.body.items.map((item) => item.id).sort();

  async function newContact(name: string): Promise<string> {
    const { status, body } = await api.request('POST', '/v1/channel-contacts', { token: integration, body: { channel: 'telegram', channelContactId: randomUUID(), name } });
    expect(status).toBe(201);
    return body.contactId;
  }

  it('assigns, lists with counts and suggestions, filters, removes; case-insensitive with the first spelling kept', async () => {
    const tag = `VIP${randomUUID().slice(0, 4)}`;
    const ann = await newContact('Ann Tagged');
    const bob = await newContact('Bob Tagged');

    const first = await api.request('POST', `/v1/contacts/${ann}/tags`, { token: owner, body: { tag: `  ${tag} ` } });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ id: ann, tags: [tag], version: 3, position: expect.any(Number) });

    const before = await api.logSize();
    const again = await api.request('POST', `/v1/contacts/${ann}/tags`, { token: owner, body: { tag: tag.toLowerCase() } });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ tags: [tag], version: 3 });
    expect(await api.logSize()).toBe(before);

    const second = await api.request('POST', `/v1/contacts/${bob}/tags`, { token: owner, body: { tag: tag.toUpperCase() } });
    expect(second.body.tags).toEqual([tag]);
    const lead = await api.request('POST', `/v1/contacts/${bob}/tags`, { token: owner, body: { tag: `lead${tag}` } });
    expect(lead.body.tags).toEqual([tag, `lead${tag}`]);

    const tags = await get(`/v1/tags?minPosition=${lead.body.position}`);
    expect(tags.status).toBe(200);
    expect(tags.body.items).toEqual(expect.arrayContaining([{ name: tag, contacts: 2 }, { name: `lead${tag}`, contacts: 1 }]));
    expect((await get(`/v1/tags?prefix=${tag.toLowerCase()}`)).body).toEqual({ items: [{ name: tag, contacts: 2 }] });
    expect((await get('/v1/tags?prefix=nothing-starts-so')).body).toEqual({ items: [] });
    expect((await get('/v1/tags?limit=1')).body.items).toHaveLength(1);
    expect((await get('/v1/tags?limit=1001')).status).toBe(400);

    expect(ids(await get(`/v1/contacts?tag=${tag.toLowerCase()}`))).toEqual([ann, bob].sort());
    expect(ids(await get(`/v1/contacts?tag=${tag}&tag=lead${tag}`))).toEqual([bob]);
    expect(ids(await get(`/v1/contacts?q=ann&tag=${tag}`))).toEqual([ann]);

    const removed = await api.request('DELETE', `/v1/contacts/${bob}/tags/${encodeURIComponent(tag.toLowerCase())}`, { token: owner });
    expect(removed.status).toBe(200);
    expect(removed.body.tags).toEqual([`lead${tag}`]);
    expect((await get(`/v1/tags?prefix=${tag}&minPosition=${removed.body.position}`)).body.items[0]).toEqual({ name: tag, contacts: 1 });
    expect(ids(await get(`/v1/contacts?tag=${tag}`))).toEqual([ann]);

    const lastRemoved = await api.request('DELETE', `/v1/contacts/${ann}/tags/${encodeURIComponent(tag)}`, { token: owner });
    expect((await get(`/v1/tags?prefix=${tag}&minPosition=${lastRemoved.body.position}`)).body.items[0]).toEqual({ name: tag, contacts: 0 });
    const unchanged = await api.logSize();
    expect((await api.request('DELETE', `/v1/contacts/${ann}/tags/${encodeURIComponent(tag)}`, { token: owner })).status).toBe(200);
    expect(await api.logSize()).toBe(unchanged);

    const history = await get(`/v1/contacts/${bob}/history?field=tags&minPosition=${lastRemoved.body.position}`);
    expect(history.body.map((entry: { from: unknown; to: unknown; eventType: string }) => [entry.eventType, entry.from, entry.to])).toEqual([
      ['TagAssigned', null, tag],
      ['TagAssigned', null, `lead${tag}`],
      ['TagRemoved', tag, null],
    ]);
  });

  it('blocks and unblocks; the view, search and history follow; a repeated block writes nothing', async () => {
    const name = `Blocky${randomUUID().slice(0, 6)}`;
    const id = await newContact(name);
    const other = await newContact(`${name} Other`);
    const blocked = await api.request('POST', `/v1/contacts/${id}/block`, { token: owner });
    expect(blocked.status).toBe(200);
    expect(blocked.body).toMatchObject({ id, blocked: true, version: 3 });

    const before = await api.logSize();
    expect((await api.request('POST', `/v1/contacts/${id}/block`, { token: owner })).body).toMatchObject({ blocked: true, version: 3 });
    expect(await api.logSize()).toBe(before);

    expect(ids(await get(`/v1/contacts?q=${name}&blocked=true&minPosition=${blocked.body.position}`))).toEqual([id]);
    expect(ids(await get(`/v1/contacts?q=${name}&blocked=false`))).toEqual([other]);
    expect((await get(`/v1/contacts/${id}`)).body.blocked).toBe(true);

    const unblocked = await api.request('POST', `/v1/contacts/${id}/unblock`, { token: owner });
    expect(unblocked.body).toMatchObject({ blocked: false, version: 4 });
    expect(ids(await get(`/v1/contacts?q=${name}&blocked=false&minPosition=${unblocked.body.position}`))).toEqual([id, other].sort());
    const history = await get(`/v1/contacts/${id}/history?field=blocked`);
    expect(history.body.map((entry: { from: unknown; to: unknown; eventType: string; actor: { id: string } }) => [entry.eventType, entry.from, entry.to, entry.actor.id])).toEqual([
      ['ContactBlocked', false, true, 'owner-1'],
      ['ContactUnblocked', true, false, 'owner-1'],
    ]);
  });

  it('answers a retry with the same Idempotency-Key with the first result', async () => {
    const id = await newContact('Idem Potent');
    const headers = { 'idempotency-key': `tag-${randomUUID()}` };
    const first = await api.request('POST', `/v1/contacts/${id}/tags`, { token: owner, body: { tag: 'retried' }, headers });
    const size = await api.logSize();
    const retry = await api.request('POST', `/v1/contacts/${id}/tags`, { token: owner, body: { tag: 'retried' }, headers });
    expect(retry.body).toMatchObject({ version: first.body.version, position: first.body.position, tags: ['retried'] });
    expect(await api.logSize()).toBe(size);
  });

  it('refuses bad requests and writes nothing', async () => {
    const id = await newContact('Refused Person');
    const agent = await api.token('agent', { sub: 'agent-without-permission' });
    const foreign = await api.token('owner', { workspace: `other-${randomUUID().slice(0, 6)}` });
    const post = (path: string, body: unknown, token = owner, headers: Record<string, string> = {}) => api.request('POST', path, { token, body, headers });

    const unknownField = await expectNothingWritten(api, () => post(`/v1/contacts/${id}/tags`, { tag: 'x', colour: 'red' }), 400);
    expect(unknownField.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'colour' })]));
    await expectNothingWritten(api, () => post(`/v1/contacts/${id}/tags`, { tag: 42 }), 400);
    await expectNothingWritten(api, () => post(`/v1/contacts/${id}/tags`, {}), 400);
    await expectNothingWritten(api, () => api.request('POST', `/v1/contacts/${id}/tags`, { token: owner, rawBody: '{"tag":', headers: { 'content-type': 'application/json' } }), 400);
    for (const tag of ['   ', 'x'.repeat(65)]) {
      const invalid = await expectNothingWritten(api, () => post(`/v1/contacts/${id}/tags`, { tag }), 422);
      expect(invalid.errors).toEqual([{ field: 'tag', message: expect.stringContaining('1 to 64 characters') }]);
    }
    await expectNothingWritten(api, () => post(`/v1/contacts/${id}/tags`, { tag: 'no-permission' }, agent), 403);
    await expectNothingWritten(api, () => post(`/v1/contacts/${id}/block`, {}, agent), 403);
    await expectNothingWritten(api, () => post(`/v1/contacts/${id}/tags`, { tag: 'connector' }, integration), 403);
    await expectNothingWritten(api, () => post(`/v1/contacts/${id}/tags`, { tag: 'foreign' }, foreign), 404);
    await expectNothingWritten(api, () => post(`/v1/contacts/${id}/block`, {}, foreign), 404);
    await expectNothingWritten(api, () => api.request('DELETE', `/v1/contacts/${id}/tags/x`, { token: foreign }), 404);
    await expectNothingWritten(api, () => post(`/v1/contacts/${randomUUID()}/tags`, { tag: 'nobody' }), 404);
    await expectNothingWritten(api, () => post(`/v1/contacts/${id}/tags`, { tag: 'stale' }, owner, { 'if-match': '1' }), 409);
    await expectNothingWritten(api, () => post(`/v1/contacts/${id}/unblock`, {}, owner, { 'if-match': '1' }), 409);
    expect((await get('/v1/tags?prefix=foreign')).body.items).toEqual([]);
    expect((await get('/v1/tags', foreign)).body.items).toEqual([]);
    expect((await get('/v1/contacts?blocked=maybe')).status).toBe(400);
    expect((await get('/v1/tags?colour=red')).status).toBe(400);
    expect((await api.request('GET', '/v1/tags')).status).toBe(401);
  });
});
