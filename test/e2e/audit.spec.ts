import { parse } from 'csv-parse/sync';
import { randomUUID } from 'node:crypto';
import { startApi, type ApiHarness } from '../support/api-harness.js';
import { dropStackDatabase, E2E_STACKS } from '../support/stacks.js';

describe.each(E2E_STACKS)('GET /v1/audit on %s', (_, envOf) => {
  let api: ApiHarness;
  let env: Record<string, string>;
  let owner: string;
  let manager: string;
  let ids: string[];
  let head: number;

  beforeAll(async () => {
    env = envOf();
    api = await startApi(env);
    const integration = await api.token('integration');
    owner = await api.token('owner');
    manager = await api.token('manager', { sub: 'auditor-manager' });
    ids = [];
    for (const name of ['Ann', 'Bob']) {
      const { body } = await api.request('POST', '/v1/channel-contacts', { token: integration, body: { channel: 'telegram', channelContactId: randomUUID(), name } });
      ids.push(body.contactId);
    }
    await api.request('PATCH', `/v1/contacts/${ids[0]}`, { token: owner, body: { name: 'Ann Lee, "the first"', country: 'GB' } });
    head = (await api.request('PATCH', `/v1/contacts/${ids[1]}`, { token: manager, body: { name: 'Robert' } })).body.position;
    const foreign = await api.token('integration', { workspace: 'globex' });
    await api.request('POST', '/v1/channel-contacts', { token: foreign, body: { channel: 'telegram', channelContactId: 'x', name: 'Foreign' } });
  });
  afterAll(async () => {
    await api.close();
    await dropStackDatabase(env);
  });

  const audit = (query: string, headers: Record<string, string> = {}) => api.request('GET', `/v1/audit?minPosition=${head}&${query}`, { token: owner, headers });

  it("answers the workspace's trail oldest first, with contactId, filtered by actor, field and time", async () => {
    const all = await audit('');
    expect(all.status).toBe(200);
    expect(all.body.map((entry: any) => [entry.contactId, entry.field, entry.to])).toEqual([
      [ids[0], 'name', 'Ann'],
      [ids[1], 'name', 'Bob'],
      [ids[0], 'name', 'Ann Lee, "the first"'],
      [ids[0], 'country', 'GB'],
      [ids[1], 'name', 'Robert'],
    ]);
    expect((await audit('actorId=auditor-manager')).body.map((entry: any) => entry.to)).toEqual(['Robert']);
    expect((await audit('field=country')).body.map((entry: any) => entry.to)).toEqual(['GB']);
    const edit = all.body[2];
    expect((await audit(`from=${encodeURIComponent(edit.at)}&field=name`)).body.map((entry: any) => entry.to)).toEqual(['Ann Lee, "the first"', 'Robert']);
    expect((await audit(`to=${encodeURIComponent('2000-01-01T00:00:00Z')}`)).body).toEqual([]);
  });

  it('pages with the Next-Cursor header, each entry once', async () => {
    const all = (await audit('')).body;
    const paged: unknown[] = [];
    let cursor = '';
    do {
      const page = await audit(`limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      paged.push(...page.body);
      cursor = page.headers.get('next-cursor') ?? '';
    } while (cursor);
    expect(paged).toEqual(all);
  });

  it('gives CSV with a header line for Accept: text/csv, which a CSV library parses back to the entries', async () => {
    const json = (await audit('')).body;
    const csv = await audit('', { accept: 'text/csv' });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const records = parse(csv.body as string, { columns: true }) as Record<string, string>[];
    expect(Object.keys(records[0]!)).toEqual(['at', 'contactId', 'actorId', 'actorRole', 'source', 'field', 'from', 'to', 'erased', 'eventType', 'eventId', 'position']);
    expect(records.map((record) => [record.contactId, record.actorId, record.field, record.from, record.to, Number(record.position)])).toEqual(
      json.map((entry: any) => [entry.contactId, entry.actor.id, entry.field, entry.from ?? '', entry.to, entry.position]),
    );
  });

  it('is for owners and managers only, and checks its parameters', async () => {
    expect((await api.request('GET', '/v1/audit', { token: await api.token('agent') })).status).toBe(403);
    expect((await api.request('GET', '/v1/audit', { token: manager })).status).toBe(200);
    expect((await api.request('GET', '/v1/audit?from=yesterday', { token: owner })).status).toBe(400);
    expect((await api.request('GET', '/v1/audit?cursor=@@', { token: owner })).status).toBe(400);
  });
});
