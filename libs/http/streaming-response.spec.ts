import { once } from 'node:events';
import { createServer, get, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyReply } from 'fastify';
import { StreamingResponse } from './streaming-response.js';

/** A real HTTP exchange on loopback: the server's handler gets a StreamingResponse, the client reads or not. */
async function exchange(handle: (response: StreamingResponse) => Promise<void>) {
  let handled: Promise<void> = Promise.resolve();
  const server = createServer((_request, raw: ServerResponse) => {
    const reply = { hijack: () => undefined, getHeaders: () => ({ 'x-content-type-options': 'nosniff' }), raw } as unknown as FastifyReply;
    handled = handle(StreamingResponse.start(reply, 'text/event-stream', { maxBufferedBytes: 64 * 1024, stallTimeoutMs: 2_000 }));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const request = get(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
  request.on('error', () => undefined); // a cut-off reader sees its connection reset
  const [response] = (await once(request, 'response')) as [IncomingMessage];
  return { response, handled: () => handled, close: () => new Promise((resolve) => server.close(resolve)) };
}

const chunk = `data: ${'x'.repeat(1024)}\n\n`;

it('cuts off a reader that stops reading instead of buffering for it (push)', async () => {
  let pushed = 0;
  const { response, handled, close } = await exchange(async (stream) => {
    while (pushed < 200 * 1024 * 1024 && stream.push(chunk)) {
      pushed += chunk.length;
      if (pushed % (256 * 1024) < chunk.length) await new Promise((resolve) => setImmediate(resolve));
    }
  });
  response.pause();
  response.on('error', () => undefined); // 'aborted': the server cut it off, as it should
  const closed = new Promise((resolve) => response.on('close', resolve));
  await handled();
  await closed;
  // The kernel's socket buffers take some, then at most 64 KB more: far from the 200 MB offered.
  expect(pushed).toBeLessThan(50 * 1024 * 1024);
  response.destroy();
  await close();
});

it('waits for a slow reader and delivers everything (write)', async () => {
  let written = 0;
  const { response, handled, close } = await exchange(async (stream) => {
    for (let i = 0; i < 4_000; i++) if (await stream.write(chunk)) written++;
    stream.end();
  });
  let received = 0;
  response.on('data', (data: Buffer) => {
    received += data.length;
    response.pause();
    setTimeout(() => response.resume(), 1);
  });
  await once(response, 'end');
  await handled();
  expect(written).toBe(4_000);
  expect(received).toBe(4_000 * chunk.length);
  // The headers set on the reply before it was taken over (security, CORS) go out with the stream's own.
  expect(response.headers).toMatchObject({ 'x-content-type-options': 'nosniff', 'content-type': 'text/event-stream; charset=utf-8' });
  await close();
});
