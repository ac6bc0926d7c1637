import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { parseStoredEvent } from '../../domain/events/registry.ts';
import { reservationDecider } from '../../domain/reservation/decider.ts';
import { sampleNightly } from '../../domain/resource/testing/sampleResources.ts';
import type { Principal } from '../../domain/access/principal.ts';
import { getInMemoryEventStore } from '../../infra/eventStore/memory/inMemoryEventStore.ts';
import { placeHold } from '../placingHold/handler.ts';
import { handleCommand } from '../shared/commandHandler.ts';
import { domainEventCodec } from '../shared/eventCodec.ts';
import { createManualClock, testIds } from '../shared/testing/fixedIds.ts';
import { commitAsSaga, registerResource } from '../shared/testing/reservationFixtures.ts';
import type { WriteSide } from '../shared/writeSide.ts';
import { modifyBooking } from './handler.ts';

const PARTNER: Principal = { id: 'key-1', role: 'partner', partnerId: 'partner-1' };
const caller = { principal: PARTNER, requestId: 'req-1', idempotencyKey: undefined };

describe('re-pricing a modified booking keeps the guest and promo it was booked with', () => {
  const writeSide: WriteSide = {
    store: getInMemoryEventStore(),
    codec: domainEventCodec,
    ids: testIds,
    clock: createManualClock('2026-12-01T09:00:00.000Z'),
  };
  let reservationId = '';

  it('a B/2 tourist in an Israeli hotel stays VAT-exempt after changing dates', async () => {
    const resourceId = await registerResource(
      writeSide,
      sampleNightly({
        zone: 'Asia/Jerusalem',
        currency: 'ILS',
        pricingRules: { ...sampleNightly().pricingRules, currency: 'ILS' },
        taxJurisdiction: { country: 'IL', eilatDealer: false },
      }),
    );
    const held = await placeHold(
      writeSide,
      {
        resourceId,
        period: { kind: 'nights', checkIn: '2026-12-24', checkOut: '2026-12-26' },
        quantity: 1,
        guest: { guestId: `g-${randomUUID().slice(0, 6)}`, nationality: 'US', visaType: 'B/2' },
      },
      caller,
    );
    reservationId = held.reservation.reservationId;
    const vatOn = (lines: readonly { kind: string; amount: { amount: number } }[]) =>
      lines
        .filter((line) => line.kind === 'tax')
        .reduce((sum, line) => sum + line.amount.amount, 0);
    const charged = held.reservation.quote.lines.filter((line) => line.kind === 'charge');
    expect(charged.length).to.be.greaterThan(0);
    const accommodationVat = held.reservation.quote.lines.filter(
      (line) => line.kind === 'tax' && charged.some((c) => c.id === line.appliesTo),
    );
    expect(vatOn(accommodationVat)).to.equal(0);

    await handleCommand(
      writeSide,
      `reservation-${reservationId}`,
      reservationDecider,
      { type: 'RequestAuthorization', reservationId, now: writeSide.clock.now().toISOString() },
      {},
    );
    const committed = await commitAsSaga(writeSide, reservationId);
    const modified = await modifyBooking(writeSide, caller, reservationId, {
      expectedVersion: committed.version,
      period: { kind: 'nights', checkIn: '2026-12-25', checkOut: '2026-12-28' },
    });
    const reservation = modified.reservation;
    const newCharges = reservation.quote.lines.filter((line) => line.kind === 'charge');
    expect(newCharges.length).to.be.greaterThan(charged.length);
    const newAccommodationVat = reservation.quote.lines.filter(
      (line) => line.kind === 'tax' && newCharges.some((c) => c.id === line.appliesTo),
    );
    expect(vatOn(newAccommodationVat)).to.equal(0);
  });

  it('reads a v1 ReservationRequested (no tax status, no promo) as a resident without promo', async () => {
    const [stored] = await writeSide.store.readStream(`reservation-${reservationId}`);
    const {
      guest,
      promoCode: _promo,
      ...rest
    } = stored?.data as {
      guest: { taxStatus: unknown };
      promoCode: unknown;
    };
    const { taxStatus: _tax, ...v1Guest } = guest;
    const upcast = parseStoredEvent('ReservationRequested', 1, { ...rest, guest: v1Guest });
    expect(upcast.data).to.deep.include({ promoCode: null });
    expect((upcast.data as { guest: unknown }).guest).to.deep.include({
      taxStatus: { citizenships: [], israeliVisa: null },
    });
    const current = parseStoredEvent('ReservationRequested', 2, stored?.data);
    expect((current.data as { guest: unknown }).guest).to.deep.include({
      taxStatus: { citizenships: ['US'], israeliVisa: 'B/2' },
    });
  });
});
