import { expect } from 'chai';
import { cancelReservation } from '../../commands/cancellingBooking/handler.ts';
import { expireReservation } from '../../commands/expiringHolds/expireDue.ts';
import { placeHold, type PlaceHoldInput } from '../../commands/placingHold/handler.ts';
import { domainEventCodec } from '../../commands/shared/eventCodec.ts';
import { createManualClock, testIds } from '../../commands/shared/testing/fixedIds.ts';
import { registerResource } from '../../commands/shared/testing/reservationFixtures.ts';
import type { WriteSide } from '../../commands/shared/writeSide.ts';
import { bookingsProjection } from '../../projections/bookings/project.ts';
import { sampleNightly } from '../../domain/resource/testing/sampleResources.ts';
import { ConflictError } from '../../domain/shared/errors.ts';
import { PRE_COMMIT_STATUSES } from '../../domain/reservation/status.ts';
import type { Principal } from '../../domain/access/principal.ts';
import { getPostgresCheckpointStore } from '../eventStore/postgres/checkpointStore.ts';
import { getPostgresEventStore } from '../eventStore/postgres/postgresEventStore.ts';
import { checksumProjection } from '../projections/checksum.ts';
import { rebuildProjection } from '../projections/rebuild.ts';
import { createTestDatabase, type TestDatabase } from '../postgres/testing.ts';
import { createProjectionRunner, type ProjectionRunner } from '../projections/projectionRunner.ts';
import { createLiveTableResolver } from '../projections/readSide.ts';
import { ensureLiveVersion, readVersion } from '../projections/versions.ts';
import { getReadModelHoldCap } from './holdCap.ts';

const PARTNER: Principal = { id: 'key-9', role: 'partner', partnerId: 'partner-capped' };
const callerFor = (partnerId: string) => ({
  principal: { ...PARTNER, partnerId } satisfies Principal,
  requestId: 'req-cap',
  idempotencyKey: undefined,
});
const caller = callerFor('partner-capped');
const CAP = 2;
/** Generous: under a loaded machine (8 suites at once) the projector can trail by seconds. */
const CATCH_UP_MS = 25_000;

describe('hold cap per partner (counter kept by the bookings projection)', function () {
  this.timeout(120_000);
  const queries: string[] = [];
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
        // Every statement of the hold cap goes through here: the test below asserts there is no count.
        db: {
          query: ((text: string, params?: unknown[]) => {
            queries.push(text);
            return db.pool.query(text, params);
          }) as typeof db.pool.query,
        },
        liveTable: createLiveTableResolver(db.pool, bookingsProjection, 0),
        maxActiveHoldsPerPartner: CAP,
      }),
    };
  });
  after(async () => {
    await runner.stop();
    await db.dispose();
  });

  const caughtUp = async (position: string | undefined) => {
    if (!position) return;
    const waited = await runner.waitForPosition('bookings', position, CATCH_UP_MS);
    expect(waited.reached, 'the bookings projection caught up').to.equal(true);
  };

  const holdOn = async (
    resourceId: string,
    checkIn: string,
    checkOut: string,
    who: ReturnType<typeof callerFor> = caller,
  ) => {
    const input: PlaceHoldInput = {
      resourceId,
      period: { kind: 'nights', checkIn, checkOut },
      quantity: 1,
      guest: { guestId: 'guest-cap' },
    };
    const held = await placeHold(writeSide, input, who);
    await caughtUp(held.position);
    return held;
  };

  /** The last reservation event's position (the expiry command returns none). */
  const reservationHead = async () =>
    (await writeSide.store.readAll({ filter: { categories: ['reservation'] } })).at(-1)?.checkpoint;

  const counter = async (partnerId: string): Promise<number> =>
    writeSide.holdCap?.activeHolds(partnerId) ?? Promise.resolve(-1);

  /** The truth the counter summarises, counted the old way (only in the test). */
  const countedActive = async (partnerId: string): Promise<number> => {
    const { rows } = await db.pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM bookings_v1 WHERE partner_id = $1 AND status = ANY($2::text[])`,
      [partnerId, [...PRE_COMMIT_STATUSES]],
    );
    return Number(rows[0]?.n ?? 0);
  };

  const refusal = (error: unknown) => {
    expect(error).to.be.instanceOf(ConflictError);
    expect((error as ConflictError).code).to.equal('HOLD_LIMIT_REACHED');
    return error as ConflictError;
  };

  it('refuses a partner its third active hold, and counts an expired hold no more', async () => {
    const resourceId = await registerResource(writeSide, sampleNightly({ capacity: 10 }));
    const first = await holdOn(resourceId, '2026-12-20', '2026-12-21');
    await holdOn(resourceId, '2026-12-21', '2026-12-22');
    const refused = await holdOn(resourceId, '2026-12-22', '2026-12-23').then(
      () => expect.fail('the cap let a hold through'),
      refusal,
    );
    expect(refused.details).to.include({ active: 2, max: 2 });

    // The deadline passes and the expiry scheduler expires the hold: it leaves the count.
    clock.advance(60 * 60_000);
    const expired = await expireReservation(
      writeSide,
      first.reservation.reservationId,
      clock.now(),
    );
    expect(expired.expired).to.equal(true);
    await caughtUp(await reservationHead());
    expect(await counter('partner-capped')).to.equal(1);
    const afterExpiry = await holdOn(resourceId, '2026-12-22', '2026-12-23');
    expect(afterExpiry.reservation.status).to.equal('HELD');
    expect(await counter('partner-capped')).to.equal(2);
    expect(await countedActive('partner-capped')).to.equal(2);
  });

  it('releases the count when a hold is cancelled, exactly once', async () => {
    const who = callerFor('partner-cancel');
    const resourceId = await registerResource(writeSide, sampleNightly({ capacity: 10 }));
    const a = await holdOn(resourceId, '2026-12-20', '2026-12-21', who);
    await holdOn(resourceId, '2026-12-21', '2026-12-22', who);
    await holdOn(resourceId, '2026-12-22', '2026-12-23', who).then(
      () => expect.fail('the cap let a hold through'),
      refusal,
    );
    const cancelled = await cancelReservation(
      writeSide,
      who,
      a.reservation.reservationId,
      'changed plans',
    );
    await caughtUp(cancelled.position);
    await caughtUp(await reservationHead());
    expect(await counter('partner-cancel')).to.equal(1);
    // Cancelling again is refused by the decider and changes no count.
    await cancelReservation(writeSide, who, a.reservation.reservationId, 'again').catch(() => {});
    expect(await counter('partner-cancel')).to.equal(1);
    await holdOn(resourceId, '2026-12-22', '2026-12-23', who);
    expect(await counter('partner-cancel')).to.equal(2);
    expect(await countedActive('partner-cancel')).to.equal(2);
  });

  it('counts parallel holds exactly once each, and refuses once the projector has them', async () => {
    const who = callerFor('partner-parallel');
    const resourceId = await registerResource(writeSide, sampleNightly({ capacity: 50 }));
    const nights = Array.from({ length: 8 }, (_, i) => [
      `2027-01-${String(10 + i).padStart(2, '0')}`,
      `2027-01-${String(11 + i).padStart(2, '0')}`,
    ]);
    const settled = await Promise.allSettled(
      nights.map(([checkIn, checkOut]) =>
        placeHold(
          writeSide,
          {
            resourceId,
            period: { kind: 'nights', checkIn: checkIn ?? '', checkOut: checkOut ?? '' },
            quantity: 1,
            guest: { guestId: 'guest-cap' },
          },
          who,
        ),
      ),
    );
    const accepted = settled.filter((s) => s.status === 'fulfilled');
    for (const s of settled) if (s.status === 'rejected') refusal(s.reason);
    // Documented slack: holds racing before the projector applies the first ones may all pass.
    expect(accepted.length).to.be.at.least(CAP).and.at.most(nights.length);
    await caughtUp(await reservationHead());
    for (const s of accepted) await caughtUp(s.value.position);
    expect(await counter('partner-parallel')).to.equal(accepted.length);
    expect(await countedActive('partner-parallel')).to.equal(accepted.length);
    // Once the counter has them, the cap is exact again.
    await holdOn(resourceId, '2027-02-01', '2027-02-02', who).then(
      () => expect.fail('the cap let a hold through'),
      refusal,
    );
  });

  it('the hold path reads the counter with one key lookup and counts nothing', async () => {
    const who = callerFor('partner-queries');
    const resourceId = await registerResource(writeSide, sampleNightly({ capacity: 10 }));
    queries.length = 0;
    await holdOn(resourceId, '2027-03-01', '2027-03-02', who);
    expect(queries.some((q) => /count\s*\(/i.test(q))).to.equal(false);
    expect(
      queries.filter((q) => /FROM partner_holds_v\d+ WHERE partner_id = \$1/.test(q)),
    ).to.have.length(1);
  });

  it('a rebuild from the log arrives at the live counters', async () => {
    const before = await checksumProjection(db.pool, bookingsProjection, 1);
    expect(before.tables['partner_holds']?.rows).to.be.greaterThan(0);
    const result = await rebuildProjection(
      db.pool,
      getPostgresCheckpointStore(db.pool),
      bookingsProjection,
      { batchSize: 3 },
    );
    expect(result.version).to.equal(2);
    expect((await readVersion(db.pool, 'bookings'))?.liveVersion).to.equal(2);
    const live = await checksumProjection(db.pool, bookingsProjection, 1);
    const rebuilt = await checksumProjection(db.pool, bookingsProjection, 2);
    expect(rebuilt.tables['partner_holds']).to.deep.equal(live.tables['partner_holds']);
    expect(rebuilt.checksum).to.equal(live.checksum);
    // The cap now reads the rebuilt version's counter and agrees.
    expect(await counter('partner-capped')).to.equal(2);
  });
});
