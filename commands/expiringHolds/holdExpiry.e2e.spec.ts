import { expect } from 'chai';
import { ConcurrencyError } from '../../domain/shared/errors.ts';
import { sampleNightly } from '../../domain/resource/testing/sampleResources.ts';
import { reservationStream, slotStream } from '../../domain/shared/streams.ts';
import { startWriteTestApp, type WriteTestApp } from '../../infra/testing/writeTestApp.ts';
import { call, guest } from '../shared/testing/httpClient.ts';
import { registerResource } from '../shared/testing/reservationFixtures.ts';
import { getPostgresCheckpointStore } from '../../infra/eventStore/postgres/checkpointStore.ts';
import { getPostgresHoldDeadlines } from '../../infra/processManagers/postgresHoldDeadlines.ts';
import type { ReadAllOptions } from '../shared/eventStore.ts';
import { createHoldExpiry, startHoldExpiry, type HoldExpiryOptions } from './holdExpiry.ts';

const MINUTE = 60_000;

/**
 * readAll only shows a transaction once every older one in the cluster has
 * ended (the gap-free fence), so a pass may not see the newest holds yet:
 * tests repeat passes until the log shows the outcome.
 */
const eventually = async (
  done: () => Promise<boolean>,
  what: string,
  step: () => Promise<unknown>,
) => {
  const deadline = Date.now() + 15_000;
  for (;;) {
    await step();
    if (await done()) return;
    if (Date.now() > deadline) expect.fail(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
};

for (const source of ['in memory', 'in the checkpointed PostgreSQL table'] as const)
  describe(`hold expiry scheduler (deadlines ${source})`, () => {
    let app: WriteTestApp;
    /** Each call is another instance (or a restarted one): it shares only the database. */
    const deadlines = (): Pick<HoldExpiryOptions, 'deadlines'> =>
      source === 'in memory'
        ? {}
        : {
            deadlines: getPostgresHoldDeadlines({
              pool: app.db.pool,
              store: app.store,
              checkpoints: getPostgresCheckpointStore(app.db.pool),
            }),
          };
    let partner: { key: string; partnerId: string };
    before(async () => {
      app = await startWriteTestApp();
      partner = await app.createPartnerKey();
    });
    after(async () => app.close());

    const hold = (resourceId: string, checkIn: string, checkOut: string) =>
      call(app, 'POST', '/api/v1/reservations', partner.key, {
        resourceId,
        checkIn,
        checkOut,
        guest,
        requesterId: 'req-1',
      });
    const typesOf = async (stream: string) =>
      (await app.store.readStream(stream)).map((e) => e.type);

    it('two instances at once expire each hold and each reservation exactly once', async () => {
      const resourceId = await registerResource(app.writeSide, sampleNightly({ capacity: 6 }));
      const ids: string[] = [];
      for (let i = 0; i < 12; i++) {
        const day = String(10 + (i % 4)).padStart(2, '0');
        const response = await hold(resourceId, `2027-01-${day}`, `2027-01-${Number(day) + 2}`);
        expect(response.status, JSON.stringify(response.body)).to.equal(201);
        ids.push(String(response.body['reservationId']));
      }
      app.clock.advance(16 * MINUTE);
      // Two instances racing for the same streams may exhaust a write's bounded retry; such an
      // item is retried on the next pass (by design). Anything else that fails is a bug.
      const otherFailures: unknown[] = [];
      const logger = {
        warn: (details: object) => {
          const error = (details as { err?: unknown }).err;
          if (!(error instanceof ConcurrencyError)) otherFailures.push(error);
        },
      };
      const [a, b] = [
        createHoldExpiry(app.writeSide, { logger, ...deadlines() }),
        createHoldExpiry(app.writeSide, { logger, ...deadlines() }),
      ];
      const claimed = [0, 0];
      const allExpired = async () => {
        for (const id of ids)
          if (!(await typesOf(reservationStream(id))).includes('ReservationExpired')) return false;
        return true;
      };
      await eventually(allExpired, 'all 12 reservations expired', async () => {
        const passes = await Promise.all([a.runExpiryOnce(), b.runExpiryOnce()]);
        expect(otherFailures.map(String)).to.deep.equal([]);
        passes.forEach((p, i) => (claimed[i] = (claimed[i] ?? 0) + p.reservationsExpired));
      });
      // Each instance claims only what it appended: together exactly the 12.
      expect(claimed[0]! + claimed[1]!).to.equal(12);
      for (const id of ids) {
        const types = await typesOf(reservationStream(id));
        expect(
          types.filter((t) => t === 'ReservationExpired'),
          id,
        ).to.have.length(1);
      }
      // 12 reservations × 2 nights: each hold ended exactly once.
      let ended = 0;
      for (const day of [10, 11, 12, 13, 14]) {
        const events = await app.store.readStream(slotStream(resourceId, `2027-01-${day}`));
        const ends = new Map<string, number>();
        for (const event of events) {
          if (event.type !== 'HoldReleased' && event.type !== 'HoldExpired') continue;
          const id = (event.data as { reservationId: string }).reservationId;
          ends.set(id, (ends.get(id) ?? 0) + 1);
        }
        expect([...ends.values()].every((n) => n === 1)).to.equal(true);
        ended += ends.size;
      }
      expect(ended).to.equal(24);
      const idle = await Promise.all([a.runExpiryOnce(), b.runExpiryOnce()]);
      expect(idle.map((p) => p.holdsExpired + p.reservationsExpired)).to.deep.equal([0, 0]);
    });

    it('releases a hold left alone once its TTL passes, by itself, and its capacity is bookable again', async () => {
      const resourceId = await registerResource(app.writeSide, sampleNightly({ capacity: 1 }));
      const first = await hold(resourceId, '2026-12-24', '2026-12-26');
      expect(first.status).to.equal(201);
      const id = String(first.body['reservationId']);
      expect((await hold(resourceId, '2026-12-25', '2026-12-26')).body.error?.code).to.equal(
        'SLOT_UNAVAILABLE',
      );
      const scheduler = startHoldExpiry(app.writeSide, { tickMs: 20, ...deadlines() });
      try {
        app.clock.advance(14 * MINUTE);
        await new Promise((resolve) => setTimeout(resolve, 150));
        expect(await typesOf(reservationStream(id))).to.deep.equal(['ReservationRequested']);
        app.clock.advance(1 * MINUTE);
        const deadline = Date.now() + 15_000;
        while (!(await typesOf(reservationStream(id))).includes('ReservationExpired')) {
          if (Date.now() > deadline) expect.fail('the scheduler did not expire the reservation');
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      } finally {
        await scheduler.stop();
      }
      for (const night of ['2026-12-24', '2026-12-25']) {
        const types = await typesOf(slotStream(resourceId, night));
        expect(types.filter((t) => t === 'HoldReleased' || t === 'HoldExpired')).to.have.length(1);
      }
      const again = await hold(resourceId, '2026-12-24', '2026-12-26');
      expect(again.status).to.equal(201);
    });

    it('expires slot holds whose reservation is gone, and leaves holds not yet due alone', async () => {
      const resourceId = await registerResource(app.writeSide, sampleNightly({ capacity: 2 }));
      const now = app.clock.now().getTime();
      const { handleCommand } = await import('../shared/commandHandler.ts');
      const { slotDecider } = await import('../../domain/slot/slotDecider.ts');
      for (const [reservationId, ttl] of [
        ['orphan-1', 5],
        ['orphan-2', 30],
      ] as const) {
        await handleCommand(
          app.writeSide,
          slotStream(resourceId, '2027-02-01'),
          slotDecider,
          {
            type: 'PlaceHold',
            resourceId,
            slotKey: '2027-02-01',
            resourceCapacity: 2,
            reservationId,
            quantity: 1,
            expiresAt: new Date(now + ttl * MINUTE).toISOString(),
            now: new Date(now).toISOString(),
          },
          {},
        );
      }
      const expiry = createHoldExpiry(app.writeSide, deadlines());
      const expiredHolds = async () =>
        (await app.store.readStream(slotStream(resourceId, '2027-02-01'))).filter(
          (e) => e.type === 'HoldExpired',
        );
      app.clock.advance(10 * MINUTE);
      await eventually(
        async () => (await expiredHolds()).length > 0,
        'orphan-1 expired',
        () => expiry.runExpiryOnce(),
      );
      expect(await expiredHolds()).to.have.length(1);
      const events = await app.store.readStream(slotStream(resourceId, '2027-02-01'));
      expect(
        events.filter((e) => e.type === 'HoldExpired').map((e) => e.data),
      ).to.deep.include.members([
        {
          resourceId,
          slotKey: '2027-02-01',
          reservationId: 'orphan-1',
          quantity: 1,
          expiresAt: new Date(now + 5 * MINUTE).toISOString(),
          expiredAt: new Date(now + 10 * MINUTE).toISOString(),
        },
      ]);
      app.clock.advance(30 * MINUTE);
      await eventually(
        async () => (await expiredHolds()).length > 1,
        'orphan-2 expired',
        () => expiry.runExpiryOnce(),
      );
      expect(
        (await expiredHolds()).map((e) => (e.data as { reservationId: string }).reservationId),
      ).to.deep.equal(['orphan-1', 'orphan-2']);
    });

    if (source !== 'in memory')
      it('a restarted scheduler resumes from its checkpoint instead of re-reading the log', async () => {
        const resourceId = await registerResource(app.writeSide, sampleNightly({ capacity: 3 }));
        const first = createHoldExpiry(app.writeSide, deadlines());
        await first.runExpiryOnce();
        const response = await hold(resourceId, '2027-03-01', '2027-03-02');
        expect(response.status).to.equal(201);
        const id = String(response.body['reservationId']);
        // A new instance (a restart): it reads the log only after the stored checkpoint.
        const reads: ReadAllOptions[] = [];
        const store = app.store;
        const restarted = createHoldExpiry(app.writeSide, {
          deadlines: getPostgresHoldDeadlines({
            pool: app.db.pool,
            store: { readAll: (options) => (reads.push(options ?? {}), store.readAll(options)) },
            checkpoints: getPostgresCheckpointStore(app.db.pool),
          }),
        });
        app.clock.advance(16 * MINUTE);
        await eventually(
          async () => (await typesOf(reservationStream(id))).includes('ReservationExpired'),
          'the hold placed before the restart expired',
          () => restarted.runExpiryOnce(),
        );
        expect(reads.length).to.be.greaterThan(0);
        expect(
          reads.every((options) => options.from !== undefined),
          'never from the start',
        ).to.equal(true);
      });
  });
