import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { ConflictError } from '../../domain/shared/errors.ts';
import { slotStream } from '../../domain/shared/streams.ts';
import { slotDecider } from '../../domain/slot/slotDecider.ts';
import type { SlotCommand } from '../../domain/slot/commands.ts';
import { getInMemoryEventStore } from '../../infra/eventStore/memory/inMemoryEventStore.ts';
import { getPostgresEventStore } from '../../infra/eventStore/postgres/postgresEventStore.ts';
import { createTestDatabase, type TestDatabase } from '../../infra/postgres/testing.ts';
import { handleCommand, loadStream, type WriteDeps } from './commandHandler.ts';
import { domainEventCodec } from './eventCodec.ts';
import type { EventStore } from './eventStore.ts';
import { testIds } from './testing/fixedIds.ts';

const NOW = '2026-12-01T10:00:00.000Z';
const LATER = '2026-12-01T10:10:00.000Z';

const placeHold = (resourceId: string, reservationId: string): SlotCommand => ({
  type: 'PlaceHold',
  resourceId,
  slotKey: '2026-12-24',
  resourceCapacity: 1,
  reservationId,
  quantity: 1,
  expiresAt: LATER,
  now: NOW,
});

const describeRace = (
  name: string,
  makeStore: () => Promise<{ store: EventStore; dispose: () => Promise<void> }>,
) =>
  describe(`handleCommand on ${name}`, () => {
    let store: EventStore;
    let dispose: () => Promise<void>;
    let deps: WriteDeps;
    before(async () => {
      ({ store, dispose } = await makeStore());
      deps = { store, codec: domainEventCodec, ids: testIds };
    });
    after(async () => dispose());

    it('30 concurrent holds on the last unit: exactly one wins, the rest get SLOT_UNAVAILABLE', async () => {
      const resourceId = `r${randomUUID().slice(0, 8)}`;
      const stream = slotStream(resourceId, '2026-12-24');
      const results = await Promise.allSettled(
        Array.from({ length: 30 }, () =>
          handleCommand(
            deps,
            stream,
            slotDecider,
            placeHold(resourceId, randomUUID()),
            {},
            {
              maxAttempts: 50,
            },
          ),
        ),
      );
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(won).to.have.length(1);
      for (const failure of lost) {
        expect(failure.reason).to.be.instanceOf(ConflictError);
        expect((failure.reason as ConflictError).code).to.equal('SLOT_UNAVAILABLE');
      }
      const replayed = await loadStream(deps, stream, slotDecider);
      expect(replayed.state.status).to.equal('Open');
      if (replayed.state.status === 'Open') expect(replayed.state.holds.size).to.equal(1);
    });

    it('an idempotent retry decides nothing and appends nothing', async () => {
      const resourceId = `r${randomUUID().slice(0, 8)}`;
      const stream = slotStream(resourceId, '2026-12-24');
      const reservationId = randomUUID();
      const first = await handleCommand(
        deps,
        stream,
        slotDecider,
        placeHold(resourceId, reservationId),
        {},
      );
      const again = await handleCommand(
        deps,
        stream,
        slotDecider,
        placeHold(resourceId, reservationId),
        {},
      );
      expect(first.events.length).to.be.greaterThan(0);
      expect(again.events).to.deep.equal([]);
      // Nothing new, but still the position to read the first write back with (X-Min-Position).
      expect(again.position).to.equal(first.position);
      expect(again.revision).to.equal(first.revision);
    });
  });

describeRace('the in-memory store', () =>
  Promise.resolve({ store: getInMemoryEventStore(), dispose: () => Promise.resolve() }),
);

describeRace('the PostgreSQL store', async () => {
  const db: TestDatabase = await createTestDatabase({ max: 10, prefix: 'cmd' });
  return {
    store: getPostgresEventStore(db.pool, {
      schema: db.schema,
      connectionString: db.connectionString,
    }),
    dispose: () => db.dispose(),
  };
});
