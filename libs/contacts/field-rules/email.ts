import { accepted, refused, type FieldRule } from './field-rule.js';

const EMAIL_TIP =
  'Enter the address as login@example.com or login@mail.example.com: the login of Latin letters, digits, ".", "_" or "-", and each part after the @ at least two Latin letters, digits or "-".';

/** `login@text.text2` or `login@text.text.text2` (edna's rule). */
const EMAIL = /^([A-Za-z0-9._-]+)@([A-Za-z0-9-]{2,}(?:\.[A-Za-z0-9-]{2,}){1,2})$/;

/** Keeps the login as typed and lower-cases the domain, which is case-insensitive. */
export const normalizeEmail: FieldRule = (raw) => {
  const match = EMAIL.exec(raw.trim());
  if (!match) return refused(EMAIL_TIP);
  return accepted(`${match[1]}@${match[2].toLowerCase()}`);
};
