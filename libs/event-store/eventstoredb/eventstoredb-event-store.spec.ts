import { describeEventStoreContract } from '../event-store.contract.js';
import { EventStoreDbEventStore } from './eventstoredb-event-store.js';

const connectionString = process.env.EVENTSTORE_CONNECTION_STRING;

// The one documented exception to "tests run against real engines": no EventStoreDB server can
// run in every environment, so the contract runs only when EVENTSTORE_CONNECTION_STRING points to one
// (e.g. `esdb://localhost:2113?tls=false`, from docker/).
const maybe = connectionString ? describe : describe.skip;

maybe('EventStoreDbEventStore', () => {
  describeEventStoreContract('EventStoreDB', async () => EventStoreDbEventStore.connect(connectionString ?? ''));
});
