import { expect } from 'chai';
import { placeHold, type PlaceHoldInput } from '../../commands/placingHold/handler.ts';
import { domainEventCodec } from '../../commands/shared/eventCodec.ts';
import { createManualClock, testIds } from '../../commands/shared/testing/fixedIds.ts';
import { registerResource } from '../../commands/shared/testing/reservationFixtures.ts';
import type { WriteSide } from '../../commands/shared/writeSide.ts';
import { bookingsProjection } from '../../projections/bookings/project.ts';
import { sampleNightly } from '../../domain/resource/testing/sampleResources.ts';
import { ConflictError } from '../../domain/shared/errors.ts';
import type { Principal } from '../../domain/access/principal.ts';
import { getPostgresEventStore } from '../eventStore/postgres/postgresEventStore.ts';
import { createTestDatabase, type TestDatabase } from '../postgres/testing.ts';
import { createProjectionRunner, type ProjectionRunner } from '../projections/projectionRunner.ts';
import { createLiveTableResolver } from '../projections/readSide.ts';
import { ensureLiveVersion } from '../projections/versions.ts';
import { getReadModelHoldCap } from './holdCap.ts';

const PARTNER: Principal = { id: 'key-9', role: 'partner', partnerId: 'partner-capped' };
const caller = { principal: PARTNER, requestId: 'req-cap', idempotencyKey: undefined };

describe('hold cap per partner (bookings read model)', function () {
  this.timeout(30_000);
  let db: TestDatabase;
  let runner: ProjectionRunner;
  let writeSide: WriteSide;
  const clock = createManualClock('2026-12-01T09:00:00.000Z');

  before(async () => {
    db = await createTestDatabase({ max: 5, prefix: 'cap' });
    const store = getPostgresEventStore(db.pool, {
      schema: db.schema,
      connectionString: db.connectionString,
    });
    // As the composition root does before serving: the read model's tables exist from the start.
    await ensureLiveVersion(db.pool, bookingsProjection);
    runner = createProjectionRunner({
      pool: db.pool,
      connectionString: db.connectionString,
      schema: db.schema,
      postgres: [bookingsProjection],
      leaseRetryMs: 100,
      pollIntervalMs: 50,
    });
    runner.start();
    writeSide = {
      store,
      codec: domainEventCodec,
      ids: testIds,
      clock,
      holdCap: getReadModelHoldCap({
        db: db.pool,
        liveTable: createLiveTableResolver(db.pool, bookingsProjection, 0),
        maxActiveHoldsPerPartner: 2,
        now: () => clock.now(),
      }),
    };
  });
  after(async () => {
    await runner.stop();
    await db.dispose();
  });

  const holdOn = async (resourceId: string, checkIn: string, checkOut: string) => {
    const input: PlaceHoldInput = {
      resourceId,
      period: { kind: 'nights', checkIn, checkOut },
      quantity: 1,
      guest: { guestId: 'guest-cap' },
    };
    const held = await placeHold(writeSide, input, caller);
    if (held.position) {
      const waited = await runner.waitForPosition('bookings', held.position, 5_000);
      expect(waited.reached, 'the bookings projection caught up').to.equal(true);
    }
    return held;
  };

  it('refuses a partner its third active hold, and counts expired holds no more', async () => {
    const resourceId = await registerResource(writeSide, sampleNightly({ capacity: 10 }));
    await holdOn(resourceId, '2026-12-20', '2026-12-21');
    await holdOn(resourceId, '2026-12-21', '2026-12-22');
    const refused = await holdOn(resourceId, '2026-12-22', '2026-12-23').catch(
      (error: unknown) => error,
    );
    expect(refused).to.be.instanceOf(ConflictError);
    expect((refused as ConflictError).code).to.equal('HOLD_LIMIT_REACHED');
    expect((refused as ConflictError).details).to.include({ active: 2, max: 2 });

    clock.advance(60 * 60_000);
    const afterExpiry = await holdOn(resourceId, '2026-12-22', '2026-12-23');
    expect(afterExpiry.reservation.status).to.equal('HELD');
  });
});
