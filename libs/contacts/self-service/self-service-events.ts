import Type from 'typebox';
import type { EventsOf } from '../../eventsourcing/event-schemas.js';

const LinkId = Type.String({ pattern: '^[0-9a-f]{64}$', description: "SHA-256 (hex) of the link's secret: the log never holds a usable token" });

/** A link for the customer to see and edit their own data (Engage). */
export const SELF_SERVICE_EVENT_DATA = {
  SelfServiceLinkIssued: Type.Object(
    { linkId: LinkId, expiresAt: Type.String({ format: 'date-time', description: 'When the link stops working' }) },
    {
      additionalProperties: false,
      description: 'A link was issued for the customer to see and edit their own data',
      examples: [{ linkId: 'a3f1c2d4e5b60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90', expiresAt: '2026-11-24T10:00:00.000Z' }],
    },
  ),
  SelfServiceLinkRevoked: Type.Object(
    { linkId: LinkId },
    {
      additionalProperties: false,
      description: 'The self-service link was revoked before it expired',
      examples: [{ linkId: 'a3f1c2d4e5b60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90' }],
    },
  ),
};

export type SelfServiceLinkEvent = EventsOf<typeof SELF_SERVICE_EVENT_DATA>;
