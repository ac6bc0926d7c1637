import { expect } from 'chai';
import { sampleNightly } from '../../domain/resource/testing/sampleResources.ts';
import { addDays, nightsOf } from '../../domain/shared/time.ts';
import { slotStream } from '../../domain/shared/streams.ts';
import { slotDecider } from '../../domain/slot/slotDecider.ts';
import type { SlotState } from '../../domain/slot/state.ts';
import { loadStream } from '../shared/commandHandler.ts';
import { startWriteTestApp, type WriteTestApp } from '../../infra/testing/writeTestApp.ts';
import { call, guest } from '../shared/testing/httpClient.ts';
import { registerResource } from '../shared/testing/reservationFixtures.ts';

const replay = async (app: WriteTestApp, resourceId: string, night: string): Promise<SlotState> =>
  (await loadStream(app.writeSide, slotStream(resourceId, night), slotDecider)).state;

const usedOn = (
  state: SlotState,
  now: number,
): { held: number; booked: number; holders: string[] } => {
  if (state.status === 'Empty') return { held: 0, booked: 0, holders: [] };
  const active = [...state.holds.values()].filter((h) => h.expiresAt > now);
  return {
    held: active.reduce((sum, h) => sum + h.quantity, 0),
    booked: [...state.bookings.values()].reduce((sum, b) => sum + b.quantity, 0),
    holders: active.map((h) => h.reservationId),
  };
};

/**
 * Units in use on a slot counted straight from its raw events, without the
 * decider's fold: each reservation's holds minus its releases and expiries
 * (active only while `expiresAt` is ahead), plus bookings minus their releases.
 */
const countFromLog = async (
  app: WriteTestApp,
  resourceId: string,
  night: string,
  now: number,
): Promise<number> => {
  const held = new Map<string, { quantity: number; expiresAt: number }>();
  const booked = new Map<string, number>();
  for (const event of await app.store.readStream(slotStream(resourceId, night))) {
    const data = event.data as { reservationId?: string; quantity?: number; expiresAt?: string };
    const id = data.reservationId ?? '';
    if (event.type === 'SlotHeld')
      held.set(id, { quantity: data.quantity ?? 0, expiresAt: Date.parse(data.expiresAt ?? '') });
    if (event.type === 'HoldReleased' || event.type === 'HoldExpired') held.delete(id);
    if (event.type === 'SlotBooked') {
      held.delete(id);
      booked.set(id, data.quantity ?? 0);
    }
    if (event.type === 'BookingReleased') booked.delete(id);
  }
  const active = [...held.values()].filter((h) => h.expiresAt > now);
  return (
    active.reduce((sum, h) => sum + h.quantity, 0) +
    [...booked.values()].reduce((sum, q) => sum + q, 0)
  );
};

for (const atomic of [true, false]) {
  describe(`hold races (${atomic ? 'atomic multi-stream append' : 'ordered claim with compensation'})`, function () {
    this.timeout(120_000);
    let app: WriteTestApp;
    let partner: { key: string };
    before(async () => {
      app = await startWriteTestApp({ atomicMultiStreamAppend: atomic });
      partner = await app.createPartnerKey();
    });
    after(async () => app.close());

    const hold = (resourceId: string, checkIn: string, checkOut: string, quantity = 1) =>
      call(app, 'POST', '/api/v1/reservations', partner.key, {
        resourceId,
        checkIn,
        checkOut,
        quantity,
        guest,
        requesterId: 'racer',
      });

    it('50 concurrent holds for the last unit: exactly one 201, the rest 409 SLOT_UNAVAILABLE', async () => {
      const resourceId = await registerResource(app.writeSide, sampleNightly({ capacity: 1 }));
      const responses = await Promise.all(
        Array.from({ length: 50 }, () => hold(resourceId, '2026-12-24', '2026-12-25')),
      );
      const won = responses.filter((r) => r.status === 201);
      const lost = responses.filter((r) => r.status !== 201);
      expect(won).to.have.length(1);
      expect(lost.map((r) => r.body.error?.code)).to.deep.equal(Array(49).fill('SLOT_UNAVAILABLE'));
      const state = await replay(app, resourceId, '2026-12-24');
      const used = usedOn(state, app.clock.now().getTime());
      expect(used.held).to.equal(1);
      expect(await countFromLog(app, resourceId, '2026-12-24', app.clock.now().getTime())).to.equal(
        1,
      );
      expect(used.holders).to.deep.equal([won[0]?.body['reservationId']]);
    });

    it('overlapping multi-night holds on a room type of capacity 2 never exceed it on any night', async () => {
      const resourceId = await registerResource(app.writeSide, sampleNightly({ capacity: 2 }));
      const first = '2026-12-20';
      // 40 stays of 1–4 nights starting on one of six days: heavy overlap around the middle.
      const stays = Array.from({ length: 40 }, (_, i) => {
        const checkIn = addDays(first, i % 6);
        return { checkIn, checkOut: addDays(checkIn, 1 + (i % 4)) };
      });
      const responses = await Promise.all(
        stays.map((s) => hold(resourceId, s.checkIn, s.checkOut)),
      );
      expect(
        responses.every((r) => r.status === 201 || r.body.error?.code === 'SLOT_UNAVAILABLE'),
        JSON.stringify(
          responses.filter((r) => r.status !== 201 && r.status !== 409).map((r) => r.body),
        ),
      ).to.equal(true);
      const winners = responses.filter((r) => r.status === 201);
      expect(winners.length).to.be.greaterThan(1);
      const now = app.clock.now().getTime();
      const expected = new Map<string, Set<string>>();
      for (const w of winners) {
        for (const night of w.body['slots'] as string[]) {
          const set = expected.get(night) ?? new Set();
          set.add(String(w.body['reservationId']));
          expected.set(night, set);
        }
      }
      for (const night of nightsOf(first, addDays(first, 10))) {
        const state = await replay(app, resourceId, night);
        const used = usedOn(state, now);
        expect(used.held + used.booked, night).to.be.at.most(2);
        const counted = await countFromLog(app, resourceId, night, now);
        expect(counted, `${night}: units in use counted from the raw events`).to.be.at.most(2);
        expect(counted, night).to.equal(used.held + used.booked);
        expect(counted, night).to.equal(expected.get(night)?.size ?? 0);
        // Only winners hold anything: every partial claim of a loser was released.
        expect(new Set(used.holders), night).to.deep.equal(expected.get(night) ?? new Set());
      }
    });
  });
}
