/**
 * A link for the customer to see and edit their own data (Engage). `linkId` is the SHA-256 of
 * the link's secret: the log never holds a usable token.
 */
export type SelfServiceLinkIssued = { type: 'SelfServiceLinkIssued'; data: { linkId: string; expiresAt: string } };

export type SelfServiceLinkRevoked = { type: 'SelfServiceLinkRevoked'; data: { linkId: string } };

export type SelfServiceLinkEvent = SelfServiceLinkIssued | SelfServiceLinkRevoked;
