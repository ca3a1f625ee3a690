/** Keys remembered at most: past them (a rebuild of millions of contacts), the queries take over. */
const REMEMBERED_KEYS = 2_000_000;

/**
 * In a rebuild's collections, the contacts written under each match key, so that a batch finds
 * the contacts sharing its keys without a query: FerretDB answers a `$in` on an array field with a
 * scan of the collection, once per batch. A superset of what is stored: a contact's new keys count
 * from the moment its write is sent, its old ones go once the write has landed; the caller reads
 * the contacts and checks their keys.
 */
export class CandidatesByKey {
  private readonly ids = new Map<string, Set<string>>();
  private entries = 0;
  private overflowed = false;

  constructor(private readonly remembered = REMEMBERED_KEYS) {}

  /** Whether it holds every written contact's keys (false once it outgrew its bound). */
  get complete(): boolean {
    return !this.overflowed;
  }

  /** The contacts that may hold one of these keys. */
  idsWith(keys: Iterable<string>): string[] {
    const found = new Set<string>();
    for (const key of keys) for (const id of this.ids.get(key) ?? []) found.add(id);
    return [...found];
  }

  /** Before the write of these contacts: their keys count from now. */
  writing(contacts: readonly { _id: string; keys: readonly string[] }[]): void {
    for (const { _id, keys } of contacts) for (const key of keys) this.add(key, _id);
  }

  /** After the write landed: the keys each contact held before and holds no more go. */
  written(contacts: readonly { _id: string; keys: readonly string[] }[], before: (id: string) => readonly string[]): void {
    for (const { _id, keys } of contacts) for (const key of before(_id)) if (!keys.includes(key)) this.remove(key, _id);
  }

  private add(key: string, id: string): void {
    if (this.overflowed) return;
    let ids = this.ids.get(key);
    if (!ids) this.ids.set(key, (ids = new Set()));
    if (ids.has(id)) return;
    ids.add(id);
    if (++this.entries > this.remembered) {
      this.overflowed = true;
      this.ids.clear();
    }
  }

  private remove(key: string, id: string): void {
    const ids = this.ids.get(key);
    if (!ids?.delete(id)) return;
    this.entries--;
    if (ids.size === 0) this.ids.delete(key);
  }
}
