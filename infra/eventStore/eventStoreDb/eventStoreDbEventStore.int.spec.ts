import { EventStoreDBClient } from '@eventstore/db-client';
import { describeEventStoreContract } from '../contract/eventStoreContract.ts';
import { getEventStoreDbEventStore } from './eventStoreDbEventStore.ts';

// No EventStoreDB server runs on our machines; users with one run the suite
// with EVENTSTORE_URL set (docs/eventstoredb.md).
const url = process.env['EVENTSTORE_URL'];
const SKIPPED =
  'EventStoreDB contract suite skipped: set EVENTSTORE_URL=esdb://host:2113?tls=false to run it';

if (url) {
  describeEventStoreContract(
    'EventStoreDB',
    () => {
      const client = EventStoreDBClient.connectionString(url);
      return Promise.resolve({
        store: getEventStoreDbEventStore(client, { backoff: { initialMs: 50, maxMs: 1000 } }),
        dispose: () => client.dispose(),
      });
    },
    // Every property run is several network round trips per append.
    { propertyRuns: 20 },
  );
} else {
  describe('EventStoreDB event store contract', () => {
    it(SKIPPED, function (this: Mocha.Context) {
      console.log(`      ${SKIPPED}`);
      this.skip();
    });
  });
}
