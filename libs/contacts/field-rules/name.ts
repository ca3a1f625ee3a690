import { accepted, refused, type FieldRule } from './field-rule.js';

export const NAME_MAX_LENGTH = 200;

const NAME_TIP =
  'Enter at least two characters including a letter; a name cannot consist only of spaces, punctuation, special characters or digits.';

/** At least two characters, at least one a letter of any script; no control characters. */
export const normalizeName: FieldRule = (raw) => {
  const name = raw.trim();
  const length = [...name].length;
  if (length > NAME_MAX_LENGTH) return refused(`Enter at most ${NAME_MAX_LENGTH} characters.`);
  if (/\p{Cc}/u.test(name)) return refused('Enter the name on one line, without control characters.');
  if (length < 2 || !/\p{L}/u.test(name)) return refused(NAME_TIP);
  return accepted(name);
};
