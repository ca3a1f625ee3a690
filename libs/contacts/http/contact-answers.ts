import { Nullable, Type, type Static } from '../../http/openapi/schema.js';
import { WRITE_ANSWER_PROPERTIES } from '../../http/openapi/write-answer.js';
import { ContactViewSchema } from '../projections/contact-views/contact-view.schema.js';
import { ContactHistoryEntrySchema } from '../projections/contact-history/contact-history-entry.schema.js';

/** The bodies the contacts endpoints answer; the controller's return types derive from them. */

export const ChannelContactReportedSchema = Type.Object(
  { contactId: Type.String({ format: 'uuid', description: 'The same for the same (workspace, channel, channelContactId), always' }), ...WRITE_ANSWER_PROPERTIES },
  { $id: 'ChannelContactReported', examples: [{ contactId: '3f8c2a54-1b7e-5c1d-9a0e-6f4b8d2c7e11', version: 2, position: 41 }] },
);
export type ChannelContactReported = Static<typeof ChannelContactReportedSchema>;

/** The view after a write, with the write's version and position. */
export const ContactWrittenSchema = Type.Object({ ...ContactViewSchema.properties, ...WRITE_ANSWER_PROPERTIES }, { $id: 'ContactWritten' });
export type ContactWritten = Static<typeof ContactWrittenSchema>;

export const ContactPageSchema = Type.Object(
  {
    items: Type.Array(ContactViewSchema),
    nextCursor: Nullable(Type.String(), { description: 'Send as `?cursor=` for the next page; null on the last page' }),
  },
  { $id: 'ContactPage' },
);
export type ContactPage = Static<typeof ContactPageSchema>;

export const ContactHistorySchema = Type.Array(ContactHistoryEntrySchema, { description: 'Oldest first; the next page cursor is in `Next-Cursor`' });
export type ContactHistory = Static<typeof ContactHistorySchema>;
