import { accepted, refused, type FieldRule } from './field-rule.js';

export const DOCUMENT_MAX_LENGTH = 64;
const DOCUMENT_TIP = `Enter the tax or identity number as written on the document (e.g. 123.456.789-09), at most ${DOCUMENT_MAX_LENGTH} characters.`;

/**
 * A tax or identity number (Blip Desk's `document`: CPF, CNPJ, passport, VAT number…): free
 * text, since formats differ by country and kind; trimmed, inner whitespace runs made one
 * space, at most 64 characters, no control characters.
 */
export const normalizeDocument: FieldRule = (raw) => {
  const value = raw.trim().replace(/\s+/g, ' ');
  if (value.length > DOCUMENT_MAX_LENGTH || /\p{Cc}/u.test(value)) return refused(DOCUMENT_TIP);
  return accepted(value);
};
