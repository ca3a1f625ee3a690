import fastJsonStringify from 'fast-json-stringify';
import { serializerSchemaOf } from '../libs/http/openapi/api-answers.js';
import { ContactPageSchema } from '../libs/contacts/http/contact-answers.js';
import { ContactViewSchema } from '../libs/contacts/projections/contact-views/contact-view.schema.js';
import type { ContactView } from '../libs/contacts/projections/contact-views/contact-view.js';
import type { BenchReport } from './bench-report.js';

const ROUND_MS = 500;
const ROUNDS = 3;

/**
 * What `@ApiAnswers({ …, serialize: true })` buys on the hot reads: the serializer Fastify
 * compiles from the answer's schema (fast-json-stringify) against JSON.stringify, on a contact
 * view and on a search page of 20 views. Alternating rounds, best of each: the machine is shared.
 */
export default async function run(): Promise<BenchReport[]> {
  const page = { items: Array.from({ length: 20 }, (_, i) => sampleView(i)), nextCursor: 'c2FtcGxl' };
  return [
    report('one contact view', sampleView(0), ContactViewSchema),
    report('a search page of 20 views', page, ContactPageSchema),
  ];
}

function report(label: string, body: unknown, schema: unknown): BenchReport {
  const compiled = fastJsonStringify(serializerSchemaOf(schema) as Parameters<typeof fastJsonStringify>[0]);
  if (compiled(body).length !== JSON.stringify(body).length) throw new Error(`the schema of ${label} drops or changes properties`);
  let plain = 0;
  let serialized = 0;
  for (let round = 0; round < ROUNDS; round++) {
    plain = Math.max(plain, perSecond(() => JSON.stringify(body)));
    serialized = Math.max(serialized, perSecond(() => compiled(body)));
  }
  return {
    name: `Response serialization of ${label}, best of ${ROUNDS} rounds of ${ROUND_MS} ms`,
    baselineLabel: 'JSON.stringify',
    unit: 'bodies/s',
    rows: [
      { label: 'JSON.stringify', value: plain, ratio: 1 },
      { label: 'fast-json-stringify from the OpenAPI schema', value: serialized, ratio: serialized / plain },
    ],
  };
}

function perSecond(serialize: () => string): number {
  let count = 0;
  const start = process.hrtime.bigint();
  const end = start + BigInt(ROUND_MS) * 1_000_000n;
  while (process.hrtime.bigint() < end) {
    serialize();
    count++;
  }
  return (count * 1000) / ROUND_MS;
}

function sampleView(i: number): ContactView {
  const field = (value: string | null, locked = false) => ({ value, channelValue: value, edited: false, locked });
  const phone = `+4420794600${String(i).padStart(2, '0')}`;
  return {
    id: `3f8c2a54-1b7e-5c1d-9a0e-6f4b8d2c7e${String(i).padStart(2, '0')}`,
    workspace: 'acme',
    channel: 'whatsapp',
    channelContactId: phone,
    fields: {
      name: { value: 'Ann Lee', channelValue: 'ann', edited: true, editedBy: 'agent-7', editedAt: '2026-11-22T10:00:00.000Z', locked: false },
      phone: field(phone, true),
      email: field('ann.lee@example.com'),
      country: { value: 'GB', channelValue: null, edited: false, locked: false, derived: true },
      language: field('en-GB'),
      avatarUrl: field('https://cdn.example.com/avatars/ann.png', true),
      document: field(null),
    },
    tags: ['vip', 'returning'],
    customFields: { size: 42, plan: 'gold' },
    profileId: null,
    blocked: false,
    version: 7,
    updatedAt: '2026-11-22T10:00:00.000Z',
  };
}
