import { expect } from 'chai';
import { providePaymentMethod } from '../../commands/authorizingPayment/handler.ts';
import { placeHold, type PlaceHoldInput } from '../../commands/placingHold/handler.ts';
import { domainEventCodec } from '../../commands/shared/eventCodec.ts';
import { createResourceCache } from '../../commands/shared/resourceCache.ts';
import { createManualClock, testIds } from '../../commands/shared/testing/fixedIds.ts';
import { registerResource } from '../../commands/shared/testing/reservationFixtures.ts';
import type { WriteSide } from '../../commands/shared/writeSide.ts';
import type { Principal } from '../../domain/access/principal.ts';
import { sampleNightly } from '../../domain/resource/testing/sampleResources.ts';
import { handleCommand } from '../../commands/shared/commandHandler.ts';
import { resourceDecider } from '../../domain/resource/resourceDecider.ts';
import { resourceStream } from '../../domain/shared/streams.ts';
import { getPostgresEventStore } from '../eventStore/postgres/postgresEventStore.ts';
import { createTestDatabase, type TestDatabase } from '../postgres/testing.ts';

const ADMIN: Principal = { id: 'admin-rt', role: 'admin' };
const caller = { principal: ADMIN, requestId: 'req-rt', idempotencyKey: undefined };

/**
 * SQL round trips per write, counted on the pool the store uses, so they cannot
 * creep back. The NOTIFY sent after a commit (coalesced, fire-and-forget, see
 * createAppendNotifier) wakes subscribers and is not part of the write.
 */
describe('SQL round trips per write', function () {
  this.timeout(30_000);
  let db: TestDatabase;
  let writeSide: WriteSide;
  const statements: string[] = [];
  const clock = createManualClock('2026-12-01T09:00:00.000Z');

  before(async () => {
    db = await createTestDatabase({ max: 5, prefix: 'rt' });
    const query = db.pool.query.bind(db.pool) as (...args: unknown[]) => unknown;
    (db.pool as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      const [first] = args;
      const text = typeof first === 'string' ? first : (first as { text: string }).text;
      if (!text.includes('pg_notify')) statements.push(text);
      return query(...args);
    };
    writeSide = {
      store: getPostgresEventStore(db.pool, {
        schema: db.schema,
        connectionString: db.connectionString,
      }),
      codec: domainEventCodec,
      ids: testIds,
      clock,
      resourceCache: createResourceCache(),
    };
  });
  after(() => db.dispose());

  const counted = async <T>(run: () => Promise<T>): Promise<{ result: T; roundTrips: number }> => {
    statements.length = 0;
    const result = await run();
    return { result, roundTrips: statements.length };
  };

  const hold = (resourceId: string, checkIn: string, checkOut: string) => {
    const input: PlaceHoldInput = {
      resourceId,
      period: { kind: 'nights', checkIn, checkOut },
      quantity: 1,
      guest: { guestId: 'guest-rt' },
    };
    return placeHold(writeSide, input, caller);
  };

  it('a hold of a resource seen before is one read and one append, however many nights', async () => {
    const resourceId = await registerResource(writeSide, sampleNightly({ capacity: 5 }));
    const first = await counted(() => hold(resourceId, '2026-12-20', '2026-12-21'));
    expect(first.roundTrips, 'the first hold also reads the resource').to.equal(3);

    const oneNight = await counted(() => hold(resourceId, '2026-12-21', '2026-12-22'));
    expect(oneNight.roundTrips, oneNight.result.reservation.status).to.equal(2);
    const threeNights = await counted(() => hold(resourceId, '2026-12-23', '2026-12-26'));
    expect(threeNights.roundTrips).to.equal(2);
    expect(threeNights.result.reservation.slots).to.have.length(3);
  });

  it('a hold decided on a cached resource that changed since retries on the current one', async () => {
    const resourceId = await registerResource(writeSide, sampleNightly({ capacity: 5 }));
    await hold(resourceId, '2026-12-20', '2026-12-21');
    // Another process retires the resource: this process's cache does not know.
    const other = { ...writeSide, resourceCache: createResourceCache() };
    await handleCommand(
      other,
      resourceStream(resourceId),
      resourceDecider,
      { type: 'RetireResource', resourceId, reason: 'closed', now: clock.now().toISOString() },
      { correlationId: 'retire' },
    );
    const refused = await hold(resourceId, '2026-12-21', '2026-12-22').catch(
      (error: unknown) => error,
    );
    expect(refused).to.have.property('code', 'RESOURCE_RETIRED');
  });

  it('a confirm (payment method) is one read and one append', async () => {
    const resourceId = await registerResource(writeSide, sampleNightly({ capacity: 5 }));
    const { reservation } = await hold(resourceId, '2026-12-28', '2026-12-29');
    const confirm = await counted(() =>
      providePaymentMethod(writeSide, caller, reservation.reservationId, 'pm_card_visa'),
    );
    expect(confirm.roundTrips).to.equal(2);
  });
});
