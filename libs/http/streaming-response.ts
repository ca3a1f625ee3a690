import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { FastifyReply } from 'fastify';
import { RequestValidationError } from './request-validation.js';

/** What an SSE or NDJSON answer is, once its headers are sent. */
export type StreamContentType = 'application/x-ndjson' | 'text/event-stream';

/**
 * A response written piece by piece after the handler took it over from Fastify (`hijack`).
 * Two ways to write, for the two kinds of reader:
 * - `write` waits while the socket's buffer is full: a slow reader slows the producer down,
 *   and the server never holds more than one socket buffer for it (the event stream);
 * - `push` never waits: a reader that lets more than `maxBufferedBytes` pile up, or does not
 *   drain within `stallTimeoutMs`, is cut off (live pushes, which must not hold anyone back).
 */
export class StreamingResponse {
  private static readonly openStreams: Record<StreamContentType, number> = { 'application/x-ndjson': 0, 'text/event-stream': 0 };

  /** Streams of this type open right now in this process (the metrics' open SSE clients). */
  static openCount(contentType: StreamContentType): number {
    return StreamingResponse.openStreams[contentType];
  }

  private open = true;
  private stallTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly closeListeners = new Set<() => void>();

  private constructor(
    private readonly raw: ServerResponse,
    private readonly limits: { maxBufferedBytes: number; stallTimeoutMs: number },
    contentType: StreamContentType,
  ) {
    StreamingResponse.openStreams[contentType]++;
    raw.on('close', () => {
      StreamingResponse.openStreams[contentType]--;
      this.open = false;
      clearTimeout(this.stallTimer);
      for (const listener of this.closeListeners) listener();
      this.closeListeners.clear();
    });
  }

  /** Takes the reply over from Fastify and sends the headers at once, with those set so far (security, CORS). */
  static start(
    reply: FastifyReply,
    contentType: StreamContentType,
    limits: { maxBufferedBytes?: number; stallTimeoutMs?: number } = {},
  ): StreamingResponse {
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      ...(reply.getHeaders() as OutgoingHttpHeaders),
      'content-type': contentType === 'text/event-stream' ? 'text/event-stream; charset=utf-8' : 'application/x-ndjson; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      // Proxies such as nginx would otherwise buffer the stream.
      'x-accel-buffering': 'no',
    });
    raw.flushHeaders();
    return new StreamingResponse(raw, { maxBufferedBytes: limits.maxBufferedBytes ?? 1024 * 1024, stallTimeoutMs: limits.stallTimeoutMs ?? 30_000 }, contentType);
  }

  get isOpen(): boolean {
    return this.open;
  }

  /** Called once when the reader goes away (or the stream is ended). */
  onClose(listener: () => void): void {
    if (this.open) this.closeListeners.add(listener);
    else listener();
  }

  /** Writes, then waits until the socket can take more; false once the reader has gone. */
  async write(chunk: string): Promise<boolean> {
    if (!this.open) return false;
    if (!this.raw.write(chunk)) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          this.raw.off('drain', done);
          this.closeListeners.delete(done);
          resolve();
        };
        this.raw.once('drain', done);
        this.onClose(done);
      });
    }
    return this.open;
  }

  /** Writes without waiting; cuts a reader off that has stopped reading. False once it is gone. */
  push(chunk: string): boolean {
    if (!this.open) return false;
    this.raw.write(chunk);
    if (this.raw.writableLength > this.limits.maxBufferedBytes) {
      this.cutOff();
      return false;
    }
    if (this.raw.writableNeedDrain && this.stallTimer === undefined) {
      this.stallTimer = setTimeout(() => this.cutOff(), this.limits.stallTimeoutMs);
      this.raw.once('drain', () => {
        clearTimeout(this.stallTimer);
        this.stallTimer = undefined;
      });
    }
    return true;
  }

  /** A keep-alive line, written only when nothing waits in the buffer (a busy stream needs none). */
  ping(chunk: string): void {
    if (this.open && this.raw.writableLength === 0) this.raw.write(chunk);
  }

  end(): void {
    if (this.open) this.raw.end();
  }

  private cutOff(): void {
    this.raw.destroy();
  }
}

/** One SSE message: `id:`, optional `event:`, and the data (JSON on one line). */
export function sseMessage(id: number | string, data: unknown, event?: string): string {
  return `${event ? `event: ${event}\n` : ''}id: ${id}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** An SSE comment line: keeps the connection open through proxies, ignored by EventSource. */
export function sseComment(text: string): string {
  return `: ${text}\n\n`;
}

/** True when the client asked for SSE (`Accept: text/event-stream`). */
export function wantsEventStream(accept: string | undefined): boolean {
  return (accept ?? '').split(',').some((type) => type.split(';')[0]!.trim().toLowerCase() === 'text/event-stream');
}

/** The SSE `Last-Event-ID` header as a log position; undefined when absent, 400 when it is no position. */
export function lastEventPosition(header: string | string[] | undefined): number | undefined {
  const value = (Array.isArray(header) ? header[0] : header)?.trim();
  if (value === undefined || value === '') return undefined;
  if (!/^\d{1,15}$/.test(value)) {
    throw new RequestValidationError([{ field: 'Last-Event-ID', message: 'must be the id of an event received (a log position)' }]);
  }
  return Number(value);
}
