import { Type, type Static } from '../../http/openapi/schema.js';

export const TagUsageSchema = Type.Object(
  {
    name: Type.String({ description: "The workspace's spelling of the tag (the first one used)" }),
    contacts: Type.Integer({ minimum: 0, description: 'How many contacts carry it' }),
  },
  { $id: 'TagUsage' },
);

export const TagListSchema = Type.Object(
  { items: Type.Array(TagUsageSchema, { description: 'By name, case-insensitively' }) },
  { $id: 'TagList', examples: [{ items: [{ name: 'lead', contacts: 12 }, { name: 'VIP', contacts: 3 }] }] },
);
export type TagList = Static<typeof TagListSchema>;
