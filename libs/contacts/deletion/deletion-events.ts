import { NoData, type EventOf } from '../../eventsourcing/event-schemas.js';

/**
 * The contact is erased (owners and managers, irreversible): its key is destroyed, so every
 * personal value its events carry reads as null from then on, and read models drop it. The
 * channel identity starts a new contact (a new id) if it is reported again.
 */
export const DELETION_EVENT_DATA = {
  ContactDeleted: NoData(
    'The contact was erased (irreversible): its key is destroyed, so every value under `data.personal` of its events reads as null from then on',
  ),
};

export type ContactDeleted = EventOf<typeof DELETION_EVENT_DATA, 'ContactDeleted'>;
