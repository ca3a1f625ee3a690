import type { ContactField } from '../../index.js';
import { tagKey } from '../../../workspace/tag-name.js';

/** What search indexes of a contact: its effective values (a `ContactView` is one). */
export type SearchableContact = {
  id: string;
  fields: Record<ContactField, { value: string | null }>;
  tags: readonly string[];
  /** Values of the searchable custom fields (text, word, choices). */
  customValues?: readonly string[];
};

const MIN_PHONE_SUFFIX = 3;
const PHONE_QUERY = /^[\d\s+\-.()/]+$/;
const EDGE_PUNCTUATION = /^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu;
const INNER_SEPARATORS = /[^\p{L}\p{N}]+/u;

/** Lower case without accents: "Zoë" and "zoe" are one word. */
function normalized(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}

/**
 * The tokens a contact is found by, matched by prefix: the words of the name (whole, and their
 * parts when they hold punctuation, as in "jean-luc"), every digit suffix of the phone of at
 * least three digits (so any trailing part of the number, however typed, is a prefix of one),
 * the e-mail whole, its local part, its domain and each domain label, `tag:<tag>`, and the
 * words of searchable custom-field values.
 */
export function searchTokensOf(contact: SearchableContact): string[] {
  const { name, phone, email } = contact.fields;
  const tokens = new Set<string>([
    ...(name.value ? wordsOf(name.value) : []),
    ...(phone.value ? phoneTokensOf(phone.value) : []),
    ...(email.value ? emailTokensOf(email.value) : []),
    ...contact.tags.map(tagToken),
    ...(contact.customValues ?? []).flatMap(wordsOf),
  ]);
  return [...tokens].sort();
}

/** The token of a tag: tags are found whatever their case. */
export function tagToken(tag: string): string {
  return `tag:${tagKey(tag)}`;
}

/** A query of digits and phone punctuation is one phone-digits token; any other is its words. */
export function queryTokensOf(q: string): string[] {
  if (PHONE_QUERY.test(q)) {
    const digits = q.replace(/\D/g, '');
    return digits ? [digits] : [];
  }
  return [...new Set(q.split(/\s+/).map(trimmedWord).filter(Boolean))];
}

/** Named contacts sort by name; unnamed ones after all of them, by id. */
export function sortKeyOf(contact: SearchableContact): string {
  const name = contact.fields.name.value;
  const words = name ? name.split(/\s+/).map(trimmedWord).filter(Boolean) : [];
  return words.length > 0 ? `1${words.join(' ')}` : `2${contact.id}`;
}

function wordsOf(text: string): string[] {
  return text.split(/\s+/).map(trimmedWord).filter(Boolean).flatMap((word) => [word, ...word.split(INNER_SEPARATORS)]);
}

function trimmedWord(word: string): string {
  return normalized(word).replace(EDGE_PUNCTUATION, '');
}

function phoneTokensOf(phone: string): string[] {
  const digits = phone.replace(/\D/g, '');
  const suffixes: string[] = [];
  for (let start = 0; digits.length - start >= MIN_PHONE_SUFFIX; start++) suffixes.push(digits.slice(start));
  return suffixes;
}

function emailTokensOf(email: string): string[] {
  const address = normalized(email.trim());
  const at = address.lastIndexOf('@');
  if (at < 0) return [address];
  const domain = address.slice(at + 1);
  return [address, address.slice(0, at), domain, ...domain.split('.')].filter(Boolean);
}
