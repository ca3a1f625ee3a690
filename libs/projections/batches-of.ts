const NOT_YET = Symbol('not yet');

/**
 * Groups a stream of items into batches of what is already available: a batch takes items as
 * long as the source yields them without waiting (before the next macrotask), up to `maxSize`.
 * A catch-up thus goes in large batches, and a live event on its own at once. `maxSize` is asked
 * again for each batch when it is a function.
 */
export async function* batchesOf<T>(source: AsyncIterable<T>, maxSize: number | (() => number)): AsyncGenerator<T[]> {
  const limitOf = typeof maxSize === 'function' ? maxSize : () => maxSize;
  const iterator = source[Symbol.asyncIterator]();
  let pending = iterator.next();
  for (;;) {
    const first = await pending;
    if (first.done) return;
    const batch = [first.value];
    pending = iterator.next();
    const waited = nextMacrotask();
    const limit = limitOf();
    while (batch.length < limit) {
      const next = await Promise.race([pending, waited]);
      if (next === NOT_YET) break;
      if (next.done) {
        yield batch;
        return;
      }
      batch.push(next.value);
      pending = iterator.next();
    }
    yield batch;
  }
}

let turnEnd: Promise<typeof NOT_YET> | null = null;

/**
 * One promise for every batch begun in the same turn: the batches of all the loops that an append
 * woke close together, so their writes fall in one wave of microtasks and share one commit of the
 * SQLite store (sqlite-document-store.ts).
 */
function nextMacrotask(): Promise<typeof NOT_YET> {
  return (turnEnd ??= new Promise((resolve) =>
    setImmediate(() => {
      turnEnd = null;
      resolve(NOT_YET);
    }),
  ));
}
