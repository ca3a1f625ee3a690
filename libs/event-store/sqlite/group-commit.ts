import type { Transaction } from 'better-sqlite3';

/**
 * Group commit: the appends submitted during one turn of the event loop are written together
 * in one IMMEDIATE transaction, so they share one commit and one sync of the file. The
 * transaction returns one outcome per item in order; each item settles with its own outcome
 * (a wrong expected revision fails that append alone). If the transaction itself fails (the
 * file is locked or full), every item of the group is rejected with that error.
 */
export class GroupCommit<I, O> {
  private pending: Array<{ item: I; resolve: (outcome: O) => void; reject: (error: unknown) => void }> = [];

  constructor(private readonly transaction: Transaction<(items: I[]) => O[]>) {}

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      if (this.pending.length === 0) setImmediate(() => this.flush());
      this.pending.push({ item, resolve, reject });
    });
  }

  private flush(): void {
    const group = this.pending;
    this.pending = [];
    let outcomes: O[];
    try {
      // IMMEDIATE takes the write lock before reading revisions, so another process cannot append in between.
      outcomes = this.transaction.immediate(group.map(({ item }) => item));
    } catch (error) {
      for (const { reject } of group) reject(error);
      return;
    }
    group.forEach(({ resolve }, i) => resolve(outcomes[i]!));
  }
}
