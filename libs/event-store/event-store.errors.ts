/** Errors of the EventStore port besides WrongExpectedRevisionError (event-store.port.ts). */

/**
 * A position this log cannot start a read after: not a non-negative safe integer, beyond the
 * log's head, or (EventStoreDB) not the position of a record of this log — typically a
 * checkpoint taken on another log (SQLite ↔ EventStoreDB, or another EventStoreDB database).
 */
export class InvalidPositionError extends Error {
  constructor(
    readonly position: unknown,
    readonly reason: 'not-a-safe-integer' | 'beyond-head' | 'not-a-record-boundary',
    detail = '',
  ) {
    super(`position ${String(position)} cannot be read after: ${reason.replaceAll('-', ' ')}${detail ? ` (${detail})` : ''}`);
    this.name = 'InvalidPositionError';
  }
}

/** An event the log holds but the port cannot carry: its data or metadata is not a JSON object. */
export interface PoisonEvent {
  id: string;
  streamId: string;
  revision: number;
  position: number;
  type: string;
  reason: string;
}

/**
 * Raised by `readStream` for a stream holding a poison event: folding the stream without it
 * would decide commands on a wrong state, so the stream is refused, naming the event.
 */
export class UndecodableEventError extends Error {
  constructor(readonly poison: PoisonEvent) {
    super(
      `event ${poison.id} (${poison.type}) of stream ${poison.streamId} at revision ${poison.revision}, ` +
        `position ${poison.position}, cannot be decoded: ${poison.reason}`,
    );
    this.name = 'UndecodableEventError';
  }
}

/** `after` as the port takes it: a non-negative safe integer, else InvalidPositionError. */
export function assertPosition(after: number): number {
  if (!Number.isSafeInteger(after) || after < 0) throw new InvalidPositionError(after, 'not-a-safe-integer');
  return after;
}
