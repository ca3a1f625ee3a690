import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { MongoClient, type Db, type Document } from 'mongodb';
import { MongoDbDocumentStore } from '../../../document-store/mongodb/mongodb-document-store.js';
import { describeWithMongoDb } from '../../../document-store/testing/describe-with-mongodb.js';
import { projectionCollections } from '../../../projections/projection.js';
import { CONTACT_SEARCH_COLLECTION, contactSearchProjection } from './contact-search.projection.js';
import { searchFindOf } from './search-contacts.js';

/** Every stage of a MongoDB query plan, depth first. */
function stagesOf(plan: Document | undefined): Document[] {
  if (!plan) return [];
  return [plan, ...stagesOf(plan.inputStage as Document | undefined), ...((plan.inputStages as Document[] | undefined) ?? []).flatMap(stagesOf)];
}

describeWithMongoDb('the search query on a MongoDB-protocol server (explain)', (uri) => {
  const database = `search_explain_${process.pid}_${Date.now()}`;
  let client: MongoClient;
  let db: Db;
  let store: MongoDbDocumentStore;

  beforeAll(async () => {
    store = await MongoDbDocumentStore.connect(uri, database);
    await contactSearchProjection.setup(projectionCollections(store, contactSearchProjection));
    client = await MongoClient.connect(uri);
    db = client.db(database);
    await db.collection<{ _id: string }>(CONTACT_SEARCH_COLLECTION).insertMany(
      Array.from({ length: 50 }, (_, i) => ({ _id: `c${i}`, workspace: i % 2 ? 'acme' : 'globex', tokens: [`name${i}`, 'common'], sortKey: `1name${i}` })),
    );
  });
  afterAll(async () => {
    await store.close();
    await db.dropDatabase();
    await client.close();
  });

  it('reads the {workspace, tokens, sortKey, _id} index by range on MongoDB; on FerretDB says what it does not push down', async () => {
    const { filter, options } = searchFindOf({ workspace: 'acme', q: 'name1', limit: 20 });
    const explained = await db.collection(CONTACT_SEARCH_COLLECTION).find(filter, options).explain('queryPlanner');
    const build = await db.admin().command({ buildInfo: 1 });
    if (build.ferretdbVersion) {
      // FerretDB 1.x (SQLite backend) scans the collection: it pushes down only a lone `_id` equality.
      expect(explained).toMatchObject({ filterPushdown: false, sortPushdown: false, limitPushdown: false });
      return;
    }
    const scan = stagesOf(explained.queryPlanner.winningPlan as Document).find((stage) => stage.stage === 'IXSCAN');
    expect(scan).toMatchObject({ stage: 'IXSCAN', keyPattern: { workspace: 1, tokens: 1, sortKey: 1, _id: 1 } });
    expect(scan!.indexBounds.workspace).toEqual(['["acme", "acme"]']);
    expect(scan!.indexBounds.tokens).toContain('["name1", "name2")');
  });
});
