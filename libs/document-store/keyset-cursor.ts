/** A `cursor` that is not a `nextCursor` this service gave (the API answers 400). */
export class InvalidCursorError extends Error {
  constructor() {
    super('cursor must be the nextCursor of a previous page');
    this.name = 'InvalidCursorError';
  }
}

/** The sort key and `_id` of the last item of a page, opaque to clients (base64url JSON). */
export type Keyset<K extends string | number> = [key: K, id: string];

function encodeCursor<K extends string | number>(keyset: Keyset<K>): string {
  return Buffer.from(JSON.stringify(keyset)).toString('base64url');
}

export function decodeCursor<K extends string | number>(cursor: string, keyType: 'string' | 'number'): Keyset<K> {
  let keyset: unknown;
  try {
    keyset = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError();
  }
  if (!Array.isArray(keyset) || keyset.length !== 2 || typeof keyset[0] !== keyType || typeof keyset[1] !== 'string') {
    throw new InvalidCursorError();
  }
  return keyset as Keyset<K>;
}

/** The filter for the items after the keyset in the order (key, `_id`), both ascending. */
export function afterKeyset(keyPath: string, [key, id]: Keyset<string | number>): { $or: object[] } {
  return { $or: [{ [keyPath]: { $gt: key } }, { [keyPath]: key, _id: { $gt: id } }] };
}

/** One page from `limit + 1` items sorted by (key, `_id`): the items, and the cursor when more follow. */
export function pageOf<D extends { _id: string }, K extends string | number>(
  found: readonly D[],
  limit: number,
  keyOf: (document: D) => K,
): { documents: D[]; nextCursor: string | null } {
  const documents = found.slice(0, limit);
  const last = documents.at(-1);
  return { documents, nextCursor: found.length > limit && last ? encodeCursor([keyOf(last), last._id]) : null };
}
