import type { Recorded } from '../../../eventsourcing/domain-event.js';
import type { ContactEvent } from '../../contact-events.js';
import type { ContactField } from '../../contact-fields.js';
import type { ContactState } from '../../contact-state.js';
import { applyToContactView, contactViewOf, type ContactView } from './contact-view.js';

/**
 * A read model's own fold of a contact (a read model reads no other one, nor the write model's
 * state): the contact view, folded with the views' own `applyToContactView`; null once deleted.
 */
export type OwnContactView = { view: ContactView | null };

/** Documents written before 2026-12-03 kept the write model's state instead; converted on their next event. */
type Legacy = { state?: ContactState };

export function foldOwnView(document: (Partial<OwnContactView> & Legacy) | null, event: Recorded<ContactEvent>): ContactView | null {
  if (event.type === 'ContactDeleted') return null;
  const view = document ? (document.view ?? legacyView(document.state)) : null;
  if (view === null && event.type !== 'ContactRegistered') return null;
  return applyToContactView(view, event);
}

function legacyView(state: ContactState | undefined): ContactView | null {
  return state?.exists && !state.deleted ? contactViewOf(state) : null;
}

/** The field's value as given by the channel or an agent: a country derived from the phone is none. */
export function givenValue(view: ContactView | null, field: ContactField): string | null {
  const shown = view?.fields[field];
  return shown && !shown.derived ? shown.value : null;
}
