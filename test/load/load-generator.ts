/**
 * Concurrent agents on loopback: each edits, reads (with `?minPosition=` of its last write),
 * searches and reads histories of random contacts until the time is up. Every request is
 * bounded by `requestTimeoutMs`: one that runs out is counted, never awaited for ever.
 */
export interface LoadOptions {
  baseUrl: string;
  ownerToken: string;
  contactIds: readonly string[];
  clients: number;
  seconds: number;
  requestTimeoutMs: number;
  /** The position of the seeding's last write: reads wait for it, as a client that just wrote would. */
  startPosition: number;
}

export interface LoadFigures {
  requests: number;
  edits: number;
  byStatus: Record<string, number>;
  /** Requests that got no answer within requestTimeoutMs. */
  timedOut: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Of each contact, the position of the last acknowledged edit. */
  lastPosition: number;
}

const NAMES = ['Ann Lee', 'Bob Ray', 'Cleo Stone', 'Dan Park', 'Eve Moss', 'Finn Hart', 'Gia Lund', 'Hal Birk'];

export async function runLoad(options: LoadOptions): Promise<LoadFigures> {
  const until = Date.now() + options.seconds * 1000;
  const durations: number[] = [];
  const byStatus: Record<string, number> = {};
  let timedOut = 0;
  let edits = 0;
  let lastPosition = 0;

  const request = async (method: string, path: string, body?: unknown): Promise<{ status: number; body: any } | null> => {
    const started = performance.now();
    try {
      const response = await fetch(`${options.baseUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${options.ownerToken}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
        ...(body !== undefined && { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(options.requestTimeoutMs),
      });
      const text = await response.text();
      durations.push(performance.now() - started);
      byStatus[response.status] = (byStatus[response.status] ?? 0) + 1;
      return { status: response.status, body: text.startsWith('{') || text.startsWith('[') ? JSON.parse(text) : text };
    } catch (error) {
      durations.push(performance.now() - started);
      if ((error as Error).name === 'TimeoutError') timedOut++;
      else byStatus.network = (byStatus.network ?? 0) + 1;
      return null;
    }
  };

  const agent = async (n: number): Promise<void> => {
    let minPosition = options.startPosition;
    for (let i = 0; Date.now() < until; i++) {
      const id = options.contactIds[(n * 7 + i * 13) % options.contactIds.length]!;
      const roll = (n + i) % 10;
      if (roll < 4) {
        const answer = await request('PATCH', `/v1/contacts/${id}`, { name: `${NAMES[(n + i) % NAMES.length]} ${n}x${i}` });
        if (answer?.status === 200) {
          edits++;
          minPosition = answer.body.position;
          lastPosition = Math.max(lastPosition, minPosition);
        }
      } else if (roll < 7) {
        await request('GET', `/v1/contacts/${id}?minPosition=${minPosition}`);
      } else if (roll < 9) {
        await request('GET', `/v1/contacts?q=${encodeURIComponent(NAMES[i % NAMES.length]!.split(' ')[0]!.toLowerCase())}&limit=10`);
      } else {
        await request('GET', `/v1/contacts/${id}/history?limit=20`);
      }
    }
  };
  await Promise.all(Array.from({ length: options.clients }, (_, n) => agent(n)));

  durations.sort((a, b) => a - b);
  const at = (q: number) => Math.round(durations[Math.min(durations.length - 1, Math.floor(q * durations.length))] ?? 0);
  return { requests: durations.length, edits, byStatus, timedOut, p50Ms: at(0.5), p99Ms: at(0.99), maxMs: Math.round(durations.at(-1) ?? 0), lastPosition };
}
