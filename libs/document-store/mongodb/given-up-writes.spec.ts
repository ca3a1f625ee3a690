import { describe, expect, it } from '@jest/globals';
import { GivenUpWrites } from './bounded-mongodb.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const pending = (): { promise: Promise<void>; resolve: () => void } => {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
};

/** The bookkeeping behind the ordering of a collection's writes (test/ferretdb/bounded-calls.spec.ts shows it on a frozen server). */
describe('GivenUpWrites', () => {
  it('is settled at once when no write was given up on', async () => {
    await expect(new GivenUpWrites().settled()).resolves.toBeDefined();
  });

  it('is settled once every write given up on has been answered, failed ones included', async () => {
    const writes = new GivenUpWrites();
    const first = pending();
    const second = pending();
    writes.add(first.promise);
    writes.add(second.promise.then(() => Promise.reject(new Error('refused'))));
    let settled = false;
    const waiting = writes.settled().then(() => (settled = true));
    first.resolve();
    await sleep(10);
    expect(settled).toBe(false);
    second.resolve();
    await waiting;
    expect(settled).toBe(true);
  });

  it('forgets a write that never settles after its limit (the driver can leave one pending for good)', async () => {
    const writes = new GivenUpWrites(100);
    writes.add(new Promise<void>(() => undefined));
    const stateWithin = (ms: number) => Promise.race([writes.settled().then(() => 'settled'), sleep(ms).then(() => 'pending')]);
    expect(await stateWithin(20)).toBe('pending');
    await sleep(100);
    expect(await stateWithin(20)).toBe('settled');
  });
});
