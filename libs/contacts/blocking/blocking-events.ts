/** The workspace no longer takes messages from the contact (respond.io "Block Contact"). */
export type ContactBlocked = { type: 'ContactBlocked'; data: Record<string, never> };

export type ContactUnblocked = { type: 'ContactUnblocked'; data: Record<string, never> };

export type ContactBlockingEvent = ContactBlocked | ContactUnblocked;
