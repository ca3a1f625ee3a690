/**
 * The contact is erased (owners and managers, irreversible): its key is destroyed, so every
 * personal value its events carry reads as null from then on, and read models drop it. The
 * channel identity starts a new contact (a new id) if it is reported again.
 */
export type ContactDeleted = { type: 'ContactDeleted'; data: Record<string, never> };
