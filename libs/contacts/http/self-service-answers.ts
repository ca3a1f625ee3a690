import { IsoTime, Nullable, Type, type Static } from '../../http/openapi/schema.js';
import { WRITE_ANSWER_PROPERTIES } from '../../http/openapi/write-answer.js';

export const SelfServiceLinkSchema = Type.Object(
  {
    url: Type.String({ description: 'The page to give the customer (it carries the token)' }),
    token: Type.String({ description: 'The secret of the link: `<contactId>.<32 characters>`; only its hash is stored' }),
    expiresAt: IsoTime({ description: 'When the link stops working' }),
    ...WRITE_ANSWER_PROPERTIES,
  },
  { $id: 'SelfServiceLink' },
);
export type SelfServiceLink = Static<typeof SelfServiceLinkSchema>;

const CustomerField = Type.Object({ value: Nullable(Type.String()), locked: Type.Boolean({ description: 'The channel identifies the customer by it: not editable' }) });

export const CustomerViewSchema = Type.Object(
  {
    contactId: Type.String({ format: 'uuid' }),
    fields: Type.Object({ name: CustomerField, phone: CustomerField, email: CustomerField }),
    customFields: Type.Unsafe<Record<string, { label: string; type: string; options: string[] | null; value: unknown }>>({
      type: 'object',
      description: 'The custom fields shown to customers, by name, with their current value (null when none)',
      additionalProperties: {
        type: 'object',
        properties: { label: { type: 'string' }, type: { type: 'string' }, options: { type: ['array', 'null'], items: { type: 'string' } }, value: {} },
        required: ['label', 'type', 'options', 'value'],
      },
    }),
    expiresAt: IsoTime(),
  },
  { $id: 'CustomerView' },
);
