import { InvalidValuesError } from '../eventsourcing/domain-errors.js';
import { normalizeField } from '../contacts/index.js';

export const NOTE_MAX_LENGTH = 5_000;

/** A profile is named like a contact: at least two characters with a letter, at most 200. */
export function checkedProfileName(raw: string): string {
  const checked = normalizeField('name', raw);
  if (!checked.ok) throw new InvalidValuesError([{ field: 'name', message: checked.message }]);
  return checked.value;
}

/** 1 to 5,000 characters, not only whitespace; kept as written (line breaks included), trimmed at the ends. */
export function checkedNoteText(raw: string): string {
  const text = raw.trim();
  const length = [...text].length;
  if (length === 0) throw new InvalidValuesError([{ field: 'text', message: 'Write the note: it cannot be empty or only spaces.' }]);
  if (length > NOTE_MAX_LENGTH) throw new InvalidValuesError([{ field: 'text', message: `Enter at most ${NOTE_MAX_LENGTH} characters.` }]);
  return text;
}
