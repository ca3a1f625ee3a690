import { randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { startApi, type ApiHarness } from './api-harness.js';

/** The stacks the end-to-end suites run on: the embedded default, and SQLite + a MongoDB-protocol server. */
export const E2E_STACKS: Array<[string, () => Record<string, string>]> = [
  ['embedded (SQLite log + SQLite read models)', () => ({})],
  ['SQLite + MongoDB protocol (FerretDB)', () => ({ MONGODB_URI: mongoUri(), MONGODB_DATABASE: `e2e_${randomUUID().slice(0, 8)}` })],
];

function mongoUri(): string {
  const uri = process.env.MONGODB_URI;
  if (!uri) throw new Error('MONGODB_URI is not set: start FerretDB (npm test does) to run the MongoDB stack');
  return uri;
}

/** Drops the databases a MongoDB stack's suite used: the read models and the keys. */
export async function dropStackDatabase(env: Record<string, string>): Promise<void> {
  if (!env.MONGODB_URI) return;
  const client = await MongoClient.connect(env.MONGODB_URI);
  await client.db(env.MONGODB_DATABASE).dropDatabase();
  await client.db(`${env.MONGODB_DATABASE}_keys`).dropDatabase();
  await client.close();
}

/** Starts the API on the stack; `stop` closes it and drops the stack's MongoDB database. */
export async function startStack(env: Record<string, string>, dataDir?: string): Promise<{ api: ApiHarness; stop(): Promise<void> }> {
  const api = await startApi(env, dataDir);
  return {
    api,
    async stop() {
      await api.close();
      await dropStackDatabase(env);
    },
  };
}

/** Runs the request and proves it appended nothing to the log; answers the error body. */
export async function expectNothingWritten(api: ApiHarness, run: () => Promise<{ status: number; body: any }>, status: number): Promise<any> {
  const before = await api.logSize();
  const response = await run();
  expect({ status: response.status, body: response.body }).toMatchObject({ status, body: { statusCode: status, error: expect.any(String), message: expect.any(String) } });
  expect(await api.logSize()).toBe(before);
  return response.body;
}
