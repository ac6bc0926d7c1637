import { describeEventStoreContract } from '../contract/eventStoreContract.ts';
import { getInMemoryEventStore } from './inMemoryEventStore.ts';

describeEventStoreContract(
  'in memory',
  () => Promise.resolve({ store: getInMemoryEventStore(), dispose: () => Promise.resolve() }),
  { propertyRuns: 100 },
);
