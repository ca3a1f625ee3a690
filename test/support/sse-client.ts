import { createParser, type EventSourceMessage } from 'eventsource-parser';

/**
 * A Server-Sent Events client for tests, over fetch: it sends the headers EventSource cannot
 * (Authorization), parses the stream with eventsource-parser, and counts comment lines.
 */
export class SseClient {
  readonly messages: EventSourceMessage[] = [];
  comments = 0;
  status = 0;
  private readonly abort = new AbortController();
  private waiters: Array<() => void> = [];
  private done: Promise<void> = Promise.resolve();
  ended = false;

  static async open(url: string, headers: Record<string, string>): Promise<SseClient> {
    const client = new SseClient();
    const response = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: client.abort.signal });
    client.status = response.status;
    client.contentType = response.headers.get('content-type');
    if (!response.ok || !response.body) {
      client.errorBody = await response.text();
      client.ended = true;
      return client;
    }
    const parser = createParser({
      onEvent: (message) => {
        client.messages.push(message);
        client.wake();
      },
      onComment: () => {
        client.comments++;
        client.wake();
      },
    });
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    client.done = (async () => {
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          parser.feed(value);
        }
      } catch {
        // aborted by close(), or cut off by the server
      } finally {
        client.ended = true;
        client.wake();
      }
    })();
    return client;
  }

  contentType: string | null = null;
  errorBody = '';

  /** Resolves once `predicate` holds; fails after `timeoutMs`. */
  async until(predicate: () => boolean, timeoutMs = 5_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error(`SSE: condition not met within ${timeoutMs} ms (${this.messages.length} messages, ended: ${this.ended})`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remaining);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async close(): Promise<void> {
    this.abort.abort();
    await this.done;
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    waiters.forEach((wake) => wake());
  }
}
