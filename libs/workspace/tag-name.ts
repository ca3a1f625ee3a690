export const TAG_MAX_LENGTH = 64;

const TAG_TIP = `Enter a tag of 1 to ${TAG_MAX_LENGTH} characters on one line.`;

/** A tag as entered: trimmed, 1–64 characters, no control characters. */
export function normalizeTag(raw: string): { ok: true; value: string } | { ok: false; message: string } {
  const tag = raw.trim().normalize('NFC');
  const length = [...tag].length;
  if (length < 1 || length > TAG_MAX_LENGTH || /\p{Cc}/u.test(tag)) return { ok: false, message: TAG_TIP };
  return { ok: true, value: tag };
}

/** What tags are compared by: "VIP", " vip" and "Vip" are one tag. */
export function tagKey(tag: string): string {
  return tag.trim().normalize('NFC').toLowerCase();
}

/** The contact's spelling of the tag, if it carries it. */
export function findTag(tags: readonly string[], tag: string): string | undefined {
  const key = tagKey(tag);
  return tags.find((candidate) => tagKey(candidate) === key);
}
