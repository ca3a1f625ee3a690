import { expect, it } from '@jest/globals';
import { batchesOf } from './batches-of.js';

/** Yields `ready` at once, then each of `later` a few milliseconds after the other. */
async function* source<T>(ready: T[], later: T[] = []): AsyncGenerator<T> {
  yield* ready;
  for (const item of later) {
    await new Promise((resolve) => setTimeout(resolve, 5));
    yield item;
  }
}

it('takes into a batch what the source yields without waiting, up to the size asked for each batch', async () => {
  const sizes = [2, 10, 10];
  const batches: number[][] = [];
  for await (const batch of batchesOf(source([1, 2, 3, 4, 5], [6, 7]), () => sizes.shift() ?? 10)) batches.push(batch);
  expect(batches).toEqual([[1, 2], [3, 4, 5], [6], [7]]);
});

it('closes the batches that loops began in the same turn in one wave of microtasks, so that their writes share one commit', async () => {
  // The wave a callback runs in: the number moves on once the microtasks of the current wave have run.
  let wave = 0;
  let moving = false;
  const currentWave = (): number => {
    if (!moving) {
      moving = true;
      process.nextTick(() => {
        moving = false;
        wave++;
      });
    }
    return wave;
  };
  const closedInWave = async (name: string): Promise<number> => {
    for await (const batch of batchesOf(source([name], [`${name} later`]), 10)) {
      expect(batch).toEqual([name]);
      return currentWave();
    }
    throw new Error('no batch');
  };
  const waves = await Promise.all([closedInWave('a'), closedInWave('b'), closedInWave('c')]);
  expect(new Set(waves).size).toBe(1);
});
