import { createServer, connect, type Server, type Socket } from 'node:net';

/**
 * A loopback TCP proxy in front of a server, that can freeze: connections stay open but no byte
 * goes through, as with a server that stopped answering. For tests of bounded store calls.
 */
export interface FreezableProxy {
  port: number;
  freeze(): void;
  thaw(): void;
  /** How many connections clients have opened through the proxy so far. */
  accepted(): number;
  close(): Promise<void>;
}

export async function startFreezableProxy(targetHost: string, targetPort: number): Promise<FreezableProxy> {
  const sockets = new Set<Socket>();
  let frozen = false;
  const pairs: Array<[Socket, Socket]> = [];
  let accepted = 0;
  const server: Server = createServer((client) => {
    accepted++;
    const upstream = connect(targetPort, targetHost);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => socket.destroy());
    }
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.pipe(upstream);
    upstream.pipe(client);
    pairs.push([client, upstream]);
    if (frozen) [client, upstream].forEach((socket) => socket.pause());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    freeze() {
      frozen = true;
      sockets.forEach((socket) => socket.pause());
    },
    thaw() {
      frozen = false;
      sockets.forEach((socket) => socket.resume());
    },
    accepted: () => accepted,
    async close() {
      sockets.forEach((socket) => socket.destroy());
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
