import { NotFoundError } from '../../eventsourcing/domain-errors.js';

/** The contact was deleted: nothing can be done to it any more (404), and its channel identity moves on to a new contact. */
export class ContactDeletedError extends NotFoundError {
  constructor(contactId: string) {
    super(`Contact ${contactId} not found`);
    this.name = 'ContactDeletedError';
  }
}
