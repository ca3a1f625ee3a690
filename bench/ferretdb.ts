import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { MongoClient } from 'mongodb';
import { MongoDbDocumentStore } from '../libs/document-store/mongodb/mongodb-document-store.js';

const SCRIPT = fileURLToPath(new URL('../../test/support/ferretdb.sh', import.meta.url));
/** Not the tests' 27027, so a benchmark never stops a server that a test run is using. */
const PORT = '27050';

/**
 * Runs `work` on a MongoDbDocumentStore over a fresh database of MONGODB_URI, or of a FerretDB
 * started for the occasion (and stopped after); the database is dropped at the end.
 */
export async function withMongoDbStore<T>(purpose: string, work: (store: MongoDbDocumentStore) => Promise<T>): Promise<T> {
  const given = process.env.MONGODB_URI;
  const uri = given ?? execFileSync('bash', [SCRIPT, 'start', PORT], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
  const database = `bench_${purpose}_${process.pid}_${Date.now()}`;
  try {
    const store = await MongoDbDocumentStore.connect(uri, database);
    try {
      return await work(store);
    } finally {
      await store.close();
      await dropDatabase(uri, database);
    }
  } finally {
    if (!given) execFileSync('bash', [SCRIPT, 'stop', PORT], { stdio: ['ignore', 'ignore', 'inherit'] });
  }
}

async function dropDatabase(uri: string, database: string): Promise<void> {
  const client = await MongoClient.connect(uri);
  try {
    await client.db(database).dropDatabase();
  } finally {
    await client.close();
  }
}
