import { describe, expect, it } from '@jest/globals';
import { MongoClient } from 'mongodb';
import { DocumentStoreUnavailableError } from '../../libs/document-store/document-store.port.js';
import { RenewingClient } from '../../libs/document-store/mongodb/renewing-client.js';
import { startFreezableProxy } from '../support/freezable-proxy.js';

const uri = process.env.MONGODB_URI;
const database = `renewing_client_${process.pid}`;

/**
 * The symptom of the projector's stuck driver monitor (docs/notes/issue-11.md): server selection
 * fails on every call. Here the client's server goes away for good (a proxy in front of FerretDB,
 * closed); its renewal connects to FerretDB itself. While nothing answers a renewal, the client
 * stays as it is and tries again later.
 */
describe('RenewingClient', () => {
  it('replaces a client whose server selection has failed on every call for the renewal time, once a new one has connected', async () => {
    if (!uri) throw new Error('MONGODB_URI is not set: start FerretDB with `export MONGODB_URI=$(bash test/support/ferretdb.sh start)`');
    const { hostname, port } = new URL(uri);
    const proxy = await startFreezableProxy(hostname, Number(port));
    const options = { serverSelectionTimeoutMS: 200, connectTimeoutMS: 200, directConnection: true };
    const first = await MongoClient.connect(`mongodb://127.0.0.1:${proxy.port}/`, options);
    let serverBack = false;
    const attempts: string[] = [];
    const client = new RenewingClient(
      first,
      async () => {
        attempts.push(serverBack ? 'server back' : 'server away');
        return MongoClient.connect(serverBack ? uri : 'mongodb://127.0.0.1:9/', options);
      },
      database,
      1_000,
    );
    const ping = () => client.call(() => client.db().command({ ping: 1 }));
    try {
      expect(await ping()).toEqual({ ok: 1 });
      await proxy.close();

      const started = Date.now();
      const failures: unknown[] = [];
      while (Date.now() - started < 2_500) failures.push(await ping().then(() => 'answered', (error: unknown) => error));
      expect(failures.length).toBeGreaterThan(3);
      expect(failures.every((failure) => failure instanceof DocumentStoreUnavailableError)).toBe(true);
      expect(client.renewals).toBe(0);
      expect(attempts[0]).toBe('server away');

      serverBack = true;
      let answer: unknown;
      while (Date.now() - started < 15_000 && answer === undefined) answer = await ping().catch(() => undefined);
      expect(answer).toEqual({ ok: 1 });
      expect(client.renewals).toBe(1);
      expect(attempts.at(-1)).toBe('server back');
      // Working calls keep it.
      for (let i = 0; i < 3; i++) await ping();
      expect(client.renewals).toBe(1);
    } finally {
      await client.close();
      await first.close();
      await proxy.close().catch(() => undefined);
    }
  }, 30_000);
});
