import { expect } from 'chai';
import {
  placeBooking,
  reservationCommand,
} from '../../commands/payments/paymentSaga/testing/sagaFixtures.ts';
import type { RecordedEvent } from '../../commands/shared/eventStore.ts';
import { ledgerProjection } from '../../projections/ledger/project.ts';
import { getPostgresCheckpointStore } from '../eventStore/postgres/checkpointStore.ts';
import { withTransaction } from '../postgres/pool.ts';
import { checksumProjection } from '../projections/checksum.ts';
import { createProjectionRunner } from '../projections/projectionRunner.ts';
import { rebuildProjection } from '../projections/rebuild.ts';
import { createVersionTables, ensureLiveVersion, toSql } from '../projections/versions.ts';
import { createSagaHarness, expectNoSagaErrors, type SagaHarness } from './testing/sagaHarness.ts';

/**
 * The ledger over a real payment log (the saga against the simulated gateway):
 * a booking that completes and is paid out, and one cancelled after capture.
 */
describe('ledger projection over a real payment log', function () {
  this.timeout(60_000);
  let h: SagaHarness;
  let events: readonly RecordedEvent[] = [];

  before(async () => {
    h = await createSagaHarness({ disputeWindowHours: 1 });
    h.start();
    const now = () => h.clock.now().toISOString();
    await placeBooking(h.write, h.clock, {
      reservationId: 'r-paid',
      resourceId: 'room-paid',
      policy: 'instant',
      deposit: null,
    });
    await placeBooking(h.write, h.clock, {
      reservationId: 'r-cancelled',
      resourceId: 'room-cancelled',
      policy: 'instant',
      deposit: null,
      // Half back this far out: the refund moves money out of escrow, the rest settles.
      cancellationPolicy: {
        tiers: [{ minHoursBefore: 48, refund: { kind: 'percent', basisPoints: 5_000 } }],
        noShowFee: { kind: 'percent', basisPoints: 10_000 },
      },
    });
    await h.waitForStatus('r-paid', 'CONFIRMED');
    await h.waitForStatus('r-cancelled', 'CONFIRMED');
    await reservationCommand(h.write, { type: 'CheckIn', reservationId: 'r-paid', now: now() });
    await reservationCommand(h.write, { type: 'Complete', reservationId: 'r-paid', now: now() });
    await reservationCommand(h.write, {
      type: 'Cancel',
      reservationId: 'r-cancelled',
      now: now(),
      by: 'guest',
      reason: 'plans changed',
    });
    await h.waitForSaga('r-paid', (s) => s.steps.payout !== undefined);
    h.clock.advance(2 * 3_600_000);
    await h.waitForSaga('r-paid', (s) => s.steps.payout?.status === 'succeeded');
    await h.waitForSaga('r-cancelled', (s) => s.steps['settle-refund']?.status === 'succeeded');
    h.stop();
    expectNoSagaErrors(h);
    events = await h.write.store.readAll({ filter: ledgerProjection.filter });
  });
  after(async () => h.dispose());

  const applyEach = async (version: number, times: number) => {
    const tables = await createVersionTables(h.db.pool, ledgerProjection, version);
    await withTransaction(h.db.pool, async (client) => {
      for (const event of events) {
        for (let i = 0; i < times; i++)
          await ledgerProjection.apply(toSql(client), tables, [event]);
      }
    });
  };

  it('every event applied twice changes nothing (redelivery)', async () => {
    await applyEach(11, 1);
    await applyEach(12, 2);
    const once = await checksumProjection(h.db.pool, ledgerProjection, 11);
    const twice = await checksumProjection(h.db.pool, ledgerProjection, 12);
    expect(Object.values(once.tables).every((t) => t.rows > 0)).to.equal(true);
    expect(twice).to.deep.equal({ ...once, version: 12 });
  });

  it('the live projection equals a rebuild from scratch (checksum)', async () => {
    await ensureLiveVersion(h.db.pool, ledgerProjection);
    const runner = createProjectionRunner({
      pool: h.db.pool,
      connectionString: h.db.connectionString,
      schema: h.db.schema,
      postgres: [ledgerProjection],
      leaseRetryMs: 100,
      pollIntervalMs: 50,
    });
    runner.start();
    const head = events.at(-1)?.checkpoint ?? '';
    const caught = await runner.waitForPosition('ledger', head, 20_000);
    await runner.stop();
    expect(caught.reached).to.equal(true);
    const checkpoints = getPostgresCheckpointStore(h.db.pool);
    const rebuilt = await rebuildProjection(h.db.pool, checkpoints, ledgerProjection);
    const live = await checksumProjection(h.db.pool, ledgerProjection, rebuilt.previousVersion);
    const fresh = await checksumProjection(h.db.pool, ledgerProjection, rebuilt.version);
    expect(live.tables['ledger_postings']?.rows).to.be.greaterThan(0);
    expect(fresh.checksum).to.equal(live.checksum);
  });
});
