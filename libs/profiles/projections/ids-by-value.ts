/** Values remembered at most: past them (a rebuild of millions of contacts), the queries take over. */
const REMEMBERED_VALUES = 2_000_000;

/**
 * In a rebuild's collections, the documents written under each value of an array field (a
 * contact's match keys, the profiles it was ever attached to), so that a batch finds the documents
 * holding its values without a query: FerretDB answers a `$in` on an array field with a scan of
 * the collection, once per batch. A superset of what is stored: a document's new values count
 * from the moment its write is sent, its old ones go once the write has landed; the caller reads
 * the documents and checks their values (findHoldingAny).
 */
export class IdsByValue<D extends { _id: string }> {
  private readonly ids = new Map<string, Set<string>>();
  private entries = 0;
  private overflowed = false;

  constructor(
    private readonly valuesOf: (document: D) => readonly string[],
    private readonly remembered = REMEMBERED_VALUES,
  ) {}

  /** Whether it holds every written document's values (false once it outgrew its bound). */
  get complete(): boolean {
    return !this.overflowed;
  }

  /** The documents that may hold one of these values. */
  idsWith(values: Iterable<string>): string[] {
    const found = new Set<string>();
    for (const value of values) for (const id of this.ids.get(value) ?? []) found.add(id);
    return [...found];
  }

  /** Whether the document holds one of these values. */
  holdsAny(document: D, values: ReadonlySet<string>): boolean {
    return this.valuesOf(document).some((value) => values.has(value));
  }

  /** Before the write of these documents: their values count from now. */
  writing(documents: readonly D[]): void {
    for (const document of documents) for (const value of this.valuesOf(document)) this.add(value, document._id);
  }

  /** After the write landed: the values each document held before and holds no more go. */
  written(documents: readonly D[], before: (id: string) => readonly string[]): void {
    for (const document of documents) {
      const now = this.valuesOf(document);
      for (const value of before(document._id)) if (!now.includes(value)) this.remove(value, document._id);
    }
  }

  private add(value: string, id: string): void {
    if (this.overflowed) return;
    let ids = this.ids.get(value);
    if (!ids) this.ids.set(value, (ids = new Set()));
    if (ids.has(id)) return;
    ids.add(id);
    if (++this.entries > this.remembered) {
      this.overflowed = true;
      this.ids.clear();
    }
  }

  private remove(value: string, id: string): void {
    const ids = this.ids.get(value);
    if (!ids?.delete(id)) return;
    this.entries--;
    if (ids.size === 0) this.ids.delete(value);
  }
}
