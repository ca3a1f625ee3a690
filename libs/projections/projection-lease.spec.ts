import { afterEach, beforeEach, expect, it } from '@jest/globals';
import type { RecordedEvent } from '../event-store/event-store.port.js';
import type { DocumentStore } from '../document-store/document-store.port.js';
import { contactViewsProjection } from '../contacts/projections/contact-views/contact-views.projection.js';
import { ContactLog } from '../contacts/testing/contact-log.js';
import { describeWithDocumentStores } from '../document-store/testing/document-store-targets.js';
import type { Projection } from './projection.js';
import type { ProjectionRunner } from './projection-runner.js';
import { acquireLease, LEASES_COLLECTION, leaseHolders } from './projection-lease.js';
import { caughtUp, testRunner } from './testing/run-projections.js';

/** The contact views, counting the events each instance applies. */
function counted(applied: RecordedEvent[]): Projection {
  return {
    ...contactViewsProjection,
    async applyBatch(events, db) {
      applied.push(...events);
      await contactViewsProjection.applyBatch(events, db);
    },
  };
}

describeWithDocumentStores('one active instance per projection (lease)', (open) => {
  let log: ContactLog;
  let store: DocumentStore;
  const runners: ProjectionRunner[] = [];

  beforeEach(async () => {
    log = ContactLog.open();
    store = await open();
  });
  afterEach(async () => {
    await Promise.all(runners.splice(0).map((runner) => runner.stop()));
    await log.close();
  });

  const started = async (applied: RecordedEvent[]): Promise<ProjectionRunner> => {
    const runner = testRunner(log, store, [counted(applied)]);
    runners.push(runner);
    await runner.start();
    return runner;
  };

  it('lets one instance apply the events while the other waits, following the stored checkpoint', async () => {
    const [first, second]: RecordedEvent[][] = [[], []];
    const a = await started(first);
    const b = await started(second);
    for (let i = 0; i < 20; i++) await log.report('telegram', `lease-${i}`, { name: `Person ${i}` });

    await caughtUp(a, log);
    await caughtUp(b, log);
    const head = await log.head();
    expect(first.length === 0 || second.length === 0).toBe(true);
    expect(first.length + second.length).toBe(head);
    const holders = await leaseHolders(store, ['contact-views']);
    expect(holders['contact-views']).toMatchObject({ holder: expect.any(String), expiresAt: expect.any(String) });
  });

  it('hands over when the holder stops: the waiting instance goes on from the checkpoint', async () => {
    const [first, second]: RecordedEvent[][] = [[], []];
    const a = await started(first);
    const before = await log.report('telegram', 'before', { name: 'Before Handover' });
    await caughtUp(a, log);
    const b = await started(second);
    await a.stop();

    await log.report('telegram', 'after', { name: 'After Handover' });
    await caughtUp(b, log);
    expect(second.length).toBeGreaterThan(0);
    expect(second.every((event) => event.position > before.position)).toBe(true);
    expect(new Set([...first, ...second].map((event) => event.position)).size).toBe(await log.head());
  });

  it('gives a free lease to exactly one of many instances asking at once, and lets none renew a term it does not hold', async () => {
    const holders = Array.from({ length: 8 }, (_, i) => `instance-${i}`);
    const outcomes = await Promise.all(holders.map((holder) => acquireLease(store, 'contact-views', holder)));
    const winners = holders.filter((_, i) => outcomes[i] !== null);
    expect(winners).toHaveLength(1);

    const renewals = await Promise.all(holders.map((holder) => acquireLease(store, 'contact-views', holder)));
    expect(holders.filter((_, i) => renewals[i] !== null)).toEqual(winners);
    expect((await leaseHolders(store, ['contact-views']))['contact-views']).toMatchObject({ holder: winners[0] });
  });

  it('hands an expired lease to exactly one of the instances that race for it', async () => {
    await acquireLease(store, 'contact-views', 'a-dead-process', 1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const holders = Array.from({ length: 8 }, (_, i) => `instance-${i}`);
    const outcomes = await Promise.all(holders.map((holder) => acquireLease(store, 'contact-views', holder)));
    expect(outcomes.filter((outcome) => outcome !== null)).toHaveLength(1);
  });

  it("takes over a dead instance's lease once it expires", async () => {
    await acquireLease(store, 'contact-views', 'a-dead-process', 1_500);
    const applied: RecordedEvent[] = [];
    const runner = await started(applied);
    await log.report('telegram', 'late', { name: 'Late Person' });

    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(applied).toEqual([]);
    await caughtUp(runner, log);
    expect(applied.length).toBe(await log.head());
    expect((await leaseHolders(store, ['contact-views']))['contact-views']?.holder).not.toBe('a-dead-process');
    expect(await store.collection(LEASES_COLLECTION).count({ holder: 'a-dead-process' })).toBe(0);
  });
});
