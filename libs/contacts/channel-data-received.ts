import Type, { type Static, type TSchema } from 'typebox';
import type { JsonObject } from '../event-store/event-store.port.js';
import { Personal, type Upcaster } from '../eventsourcing/event-schemas.js';
import { CONTACT_FIELDS, type ChannelField } from './contact-fields.js';

/*
 * ChannelDataReceived: what a channel reported that differs from what it gave before.
 *
 * Version 1 kept a field the channel stopped providing as a null among the values, under
 * `personal`: encrypted with the values, and lost with them when the contact is deleted.
 * Version 2 splits the two: `personal.values` holds only values, `withdrawn` the fields the
 * channel no longer provides. Field names are no personal data (history keeps them after an
 * erasure too), so analytics can count withdrawals without the contact's key.
 */

const channelValuesOf = <V extends TSchema>(value: V, description: string) =>
  Type.Object(
    {
      name: Type.Optional(value),
      phone: Type.Optional(value),
      email: Type.Optional(value),
      country: Type.Optional(value),
      language: Type.Optional(value),
      avatarUrl: Type.Optional(value),
      document: Type.Optional(value),
    } satisfies Record<ChannelField, TSchema>,
    { additionalProperties: false, description },
  );

const ChannelValuesSchema = channelValuesOf(Type.Union([Type.String(), Type.Null()], { description: "The channel's value; null: the channel no longer provides it" }), 'The channel values that changed, by field; null: the channel no longer provides the field');

/** What a channel reports, field by field: a value, or null for a field it no longer provides (the command's shape). */
export type ChannelValues = Static<typeof ChannelValuesSchema>;

export const ChannelDataReceivedSchema = Type.Object(
  {
    personal: Personal({ values: channelValuesOf(Type.String({ description: "The channel's new value" }), 'The values the channel reported that differ from its previous ones') }),
    withdrawn: Type.Array(Type.Enum(CONTACT_FIELDS, { type: 'string' }), {
      uniqueItems: true,
      description: 'The fields the channel no longer provides (not personal data: readable without the key, and after a deletion)',
    }),
  },
  {
    additionalProperties: false,
    description: "The channel reported values of the contact that differ from the ones it gave before, or stopped providing fields; an agent's edit still wins",
    examples: [{ personal: { values: { name: 'ann', phone: '+15551234567' } }, withdrawn: ['avatarUrl'] }],
  },
);

type ChannelDataReceivedData = Static<typeof ChannelDataReceivedSchema>;

const ChannelDataReceivedV1Schema = Type.Object(
  { personal: Personal({ values: ChannelValuesSchema }) },
  {
    additionalProperties: false,
    description:
      "The channel reported values of the contact that differ from the ones it gave before; an agent's edit still wins. " +
      'In this version a field the channel no longer provides is a null among the (personal) values; version 2 lists it in `withdrawn`',
    examples: [{ personal: { values: { name: 'ann', phone: '+15551234567', avatarUrl: null } } }],
  },
);

/** The event of a channel's changed values: the values apart from the fields it no longer provides. */
export function channelDataReceived(changed: ChannelValues): { type: 'ChannelDataReceived'; data: ChannelDataReceivedData } {
  const entries = Object.entries(changed) as Array<[ChannelField, string | null]>;
  return {
    type: 'ChannelDataReceived',
    data: {
      personal: { values: Object.fromEntries(entries.filter(([, value]) => value !== null)) },
      withdrawn: entries.filter(([, value]) => value === null).map(([field]) => field),
    },
  };
}

/**
 * What the event changes, field by field: the channel's new value, or null for a field it no
 * longer provides. The values of an erased contact read as null too (libs/personal-data).
 */
export function channelChangesOf(data: ChannelDataReceivedData): Array<[ChannelField, string | null]> {
  const values = Object.entries(data.personal.values) as Array<[ChannelField, string | null]>;
  return [...values, ...data.withdrawn.map((field): [ChannelField, null] => [field, null])];
}

/** Version 1 → 2: the nulls among the values become `withdrawn`. */
export const WITHDRAWN_APART: Upcaster = {
  type: 'ChannelDataReceived',
  fromVersion: 1,
  schema: ChannelDataReceivedV1Schema,
  upcast(data: JsonObject, metadata: JsonObject): JsonObject {
    const { values } = data.personal as { values: ChannelValues };
    // Erased, every value reads as null: which of them were withdrawals is unknowable, so none is.
    if (metadata.personalDataErased === true) return { personal: { values }, withdrawn: [] };
    return channelDataReceived(values).data;
  },
};
