import { expect } from 'chai';
import { sampleNightly, sampleTimed } from '../resource/testing/sampleResources.ts';
import { ConflictError, ValidationError } from '../shared/errors.ts';
import type { SlotEvent } from '../slot/events.ts';
import type { HoldPeriod } from './holdPeriod.ts';
import { planHold, type HoldRequest } from './planHold.ts';
import { given, heldBy, NOW } from './testing/loaded.ts';

/**
 * Given the loaded streams (resource, slots with their revisions), when a
 * hold is planned, then the plan is the events and expected revision of
 * every stream, or the domain's refusal. No store, no clock: plain data.
 */
const ENTROPY = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]);

const request = (period: HoldPeriod, quantity = 1): HoldRequest => ({
  reservationId: 'r-new',
  period,
  quantity,
  guest: { guestId: 'g-1', persons: quantity, taxStatus: { citizenships: [], israeliVisa: null } },
  requesterId: 'g-1',
  partnerId: 'direct',
  promoCode: null,
  surgeEnabled: true,
});

const refusal = (fn: () => unknown): ConflictError => {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConflictError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
};

const nights: HoldPeriod = { kind: 'nights', checkIn: '2026-12-24', checkOut: '2026-12-26' };
const nightly = sampleNightly({ capacity: 2 });

describe('planHold (given loaded streams, when a hold is planned, then plain data)', () => {
  it('given two free nights, when one unit is held, then each night is opened and held at no_stream, and the reservation and its reference are created', () => {
    const plan = planHold(given(nightly, nights), request(nights), NOW, ENTROPY);
    expect(plan.claims.map((c) => c.slotKey)).to.deep.equal(['2026-12-24', '2026-12-25']);
    expect(
      plan.slotWrites.map((w) => [w.stream, w.expectedRevision, w.events.map((e) => e.type)]),
    ).to.deep.equal([
      ['slot-res-1.2026-12-24', 'no_stream', ['SlotOpened', 'SlotHeld']],
      ['slot-res-1.2026-12-25', 'no_stream', ['SlotOpened', 'SlotHeld']],
    ]);
    expect(plan.aggregates.map((a) => [a.stream.split('-')[0], a.expectedRevision])).to.deep.equal(
      [
        ['reservation', 'no_stream'],
        ['bookingref', 'no_stream'],
      ].map(([s, r]) => [s, r]),
    );
    expect(plan.aggregates[0]?.events.map((e) => e.type)).to.deep.equal(['ReservationRequested']);
    expect(plan.result.status).to.equal('HELD');
    expect(plan.result.slots).to.deep.equal(['2026-12-24', '2026-12-25']);
    // The slot holds end with the reservation's own deadline.
    const held = plan.slotWrites[0]?.events[1] as SlotEvent | undefined;
    expect(held?.type === 'SlotHeld' && held.data.expiresAt).to.equal(plan.result.expiresAt);
  });

  it('given an opened night, then its write expects the revision it was loaded at', () => {
    const loaded = given(nightly, nights, {
      '2026-12-24': [heldBy('other', nightly, '2026-12-24', 1)],
    });
    const plan = planHold(loaded, request(nights), NOW, ENTROPY);
    expect(plan.slotWrites.map((w) => w.expectedRevision)).to.deep.equal([1, 'no_stream']);
    expect(plan.slotWrites[0]?.events.map((e) => e.type)).to.deep.equal(['SlotHeld']);
  });

  it('prices every night of the stay for the quantity asked (multi-night, quantity)', () => {
    const plan = planHold(given(nightly, nights), request(nights, 2), NOW, ENTROPY);
    const units = plan.result.quote.lines.filter((l) => l.component === 'accommodation');
    expect(units.map((l) => l.date)).to.deep.equal(['2026-12-24', '2026-12-25']);
    expect(units.every((l) => l.amount.amount === 2 * 20_000)).to.equal(true);
    expect(plan.result.quote.quantity).to.equal(2);
    const held = plan.slotWrites[0]?.events[1] as SlotEvent | undefined;
    expect(held?.type === 'SlotHeld' && held.data.quantity).to.equal(2);
  });

  it('given a night held in full by another reservation, then SLOT_UNAVAILABLE with HELD and nothing planned', () => {
    const loaded = given(nightly, nights, {
      '2026-12-25': [heldBy('other', nightly, '2026-12-25', 2)],
    });
    const error = refusal(() => planHold(loaded, request(nights), NOW, ENTROPY));
    expect(error.code).to.equal('SLOT_UNAVAILABLE');
    expect(error.details?.['reasons']).to.deep.equal(['HELD']);
  });

  it('given that hold expired at now, then the night is free again', () => {
    const loaded = given(nightly, nights, {
      '2026-12-25': [heldBy('other', nightly, '2026-12-25', 2, 0)],
    });
    expect(planHold(loaded, request(nights), NOW, ENTROPY).result.status).to.equal('HELD');
  });

  it('when more units are asked than the resource has at all, then EXCEEDS_CAPACITY', () => {
    const error = refusal(() => planHold(given(nightly, nights), request(nights, 3), NOW, ENTROPY));
    expect(error.details?.['reasons']).to.deep.equal(['EXCEEDS_CAPACITY']);
  });

  describe('timed resources with buffers', () => {
    const timed = sampleTimed({
      bufferBeforeMinutes: 30,
      bufferAfterMinutes: 0,
      taxJurisdiction: { country: 'DE', eilatDealer: false },
    });
    // Monday 2026-12-07 in New York: 09:00 = 14:00Z.
    const slot = (hour: number): HoldPeriod => ({
      kind: 'instants',
      start: `2026-12-07T${String(hour + 5).padStart(2, '0')}:00:00Z`,
      end: `2026-12-07T${String(hour + 6).padStart(2, '0')}:00:00Z`,
    });
    const booked = (hour: number) => ({
      [`2026-12-07T${String(hour).padStart(2, '0')}:00`]: [
        heldBy('other', timed, `2026-12-07T${String(hour).padStart(2, '0')}:00`, 1),
      ],
    });

    it('given a hold at 10:00, when 11:00 is asked, then BUFFER (the stacked buffer reaches it)', () => {
      const loaded = given(timed, slot(11), booked(10));
      const error = refusal(() => planHold(loaded, request(slot(11)), NOW, ENTROPY));
      expect(error.details?.['reasons']).to.deep.equal(['BUFFER']);
    });

    it('given a hold at 10:00, when 12:00 is asked, then it is held (its neighbours were loaded)', () => {
      const loaded = given(timed, slot(12), booked(10));
      const plan = planHold(loaded, request(slot(12)), NOW, ENTROPY);
      expect(plan.claims.map((c) => c.slotKey)).to.deep.equal(['2026-12-07T12:00']);
      expect(plan.result.startsAt).to.equal('2026-12-07T17:00:00.000Z');
    });

    it('when a start off the slot grid is asked, then SLOT_NOT_ALIGNED', () => {
      const period: HoldPeriod = {
        kind: 'instants',
        start: '2026-12-07T15:30:00Z',
        end: '2026-12-07T16:30:00Z',
      };
      expect(() => planHold(given(timed, period), request(period), NOW, ENTROPY))
        .to.throw(ValidationError)
        .with.property('code', 'SLOT_NOT_ALIGNED');
    });

    it('when a slot outside the opening hours is asked, then OUTSIDE_HOURS', () => {
      const error = refusal(() =>
        planHold(given(timed, slot(18)), request(slot(18)), NOW, ENTROPY),
      );
      expect(error.details?.['reasons']).to.deep.equal(['OUTSIDE_HOURS']);
    });
  });
});
