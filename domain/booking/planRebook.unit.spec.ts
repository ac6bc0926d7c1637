import { expect } from 'chai';
import type { ReservationCommand } from '../reservation/commands.ts';
import { reservationDecider } from '../reservation/decider.ts';
import type { ReservationEvent } from '../reservation/events.ts';
import type { Reservation, ReservationState } from '../reservation/state.ts';
import { sampleNightly } from '../resource/testing/sampleResources.ts';
import { ConflictError } from '../shared/errors.ts';
import { slotStream, type SlotKey } from '../shared/streams.ts';
import { addDays, MINUTE_MS, toIsoInstant } from '../shared/time.ts';
import type { SlotEvent } from '../slot/events.ts';
import { slotDecider } from '../slot/slotDecider.ts';
import type { HoldPeriod } from './holdPeriod.ts';
import type { LoadedSlot } from './loaded.ts';
import { planHold } from './planHold.ts';
import { given, heldBy, NOW, slotAfter } from './testing/loaded.ts';
import { planRebook, rebookSlotKeys, type RebookChange } from './planRebook.ts';

/**
 * Given a confirmed booking (its nights booked on their slot streams), when a
 * modification or an extension is planned, then the plan claims, releases
 * and re-prices exactly what changed.
 */
const config = sampleNightly({ capacity: 1 });
const LATER = NOW + 60 * MINUTE_MS;

const confirm = (held: Reservation): { reservation: Reservation; revision: number } => {
  const at = (m: number) => toIsoInstant(NOW + m * MINUTE_MS);
  const base = { reservationId: held.reservationId };
  const commands: ReservationCommand[] = [
    { type: 'RequestAuthorization', ...base, now: at(1) },
    { type: 'ProvidePaymentMethod', ...base, now: at(2), paymentMethod: 'pm_card_visa' },
    {
      type: 'RecordRequesterAuthorization',
      ...base,
      now: at(3),
      authorization: { authorizationId: 'pi_1', amount: held.quote.total },
    },
    { type: 'Revalidate', ...base, now: at(4), outcome: 'passed' },
    { type: 'BeginCommit', ...base, now: at(5) },
    {
      type: 'RecordCommitSuccess',
      ...base,
      now: at(6),
      captures: { vendor: null, requester: 'ch_1' },
    },
  ];
  let state: ReservationState = held;
  let revision = 0;
  for (const command of commands) {
    const events = reservationDecider.decide(command, state);
    state = events.reduce<ReservationState>((s, e) => reservationDecider.evolve(s, e), state);
    revision += events.length;
  }
  expect(state.status).to.equal('CONFIRMED');
  return { reservation: state as Reservation, revision };
};

/** A confirmed stay of `nights` and the slot streams with its nights booked (others' as given). */
const booked = (checkIn: SlotKey, checkOut: SlotKey, quantity = 1, cap = config) => {
  const period: HoldPeriod = { kind: 'nights', checkIn, checkOut };
  const plan = planHold(
    given(cap, period),
    {
      reservationId: 'r-1',
      period,
      quantity,
      guest: { guestId: 'g', persons: 1, taxStatus: { citizenships: [], israeliVisa: null } },
      requesterId: 'g',
      partnerId: 'direct',
      promoCode: null,
      surgeEnabled: true,
    },
    NOW,
    new Uint8Array(8),
  );
  const slots = new Map<string, LoadedSlot>();
  for (const write of plan.slotWrites) {
    const events = write.events as SlotEvent[];
    let state = events.reduce((s, e) => slotDecider.evolve(s, e), slotDecider.initialState());
    const bookedEvents = slotDecider.decide(
      { type: 'BookHold', reservationId: 'r-1', now: toIsoInstant(NOW + 6 * MINUTE_MS) },
      state,
    );
    state = bookedEvents.reduce((s, e) => slotDecider.evolve(s, e), state);
    const slotKey = write.stream.slice('slot-res-1.'.length);
    slots.set(write.stream, { slotKey, state, revision: events.length + bookedEvents.length - 1 });
  }
  return { ...confirm(plan.result), slots };
};

/** Given the booking, the streams a change loads (absent ones empty). */
const loadedFor = (
  stay: ReturnType<typeof booked>,
  change: RebookChange,
  others: Readonly<Record<SlotKey, LoadedSlot>> = {},
) => {
  const slots = new Map(stay.slots);
  for (const key of rebookSlotKeys(config, stay.reservation, change)) {
    const stream = slotStream('res-1', key);
    if (!slots.has(stream)) slots.set(stream, others[key] ?? slotAfter('res-1', key, []));
  }
  return {
    resource: { resourceId: 'res-1', config, revision: 0 },
    slots,
    reservation: stay.reservation,
    revision: stay.revision,
  };
};

const modify = (
  stay: ReturnType<typeof booked>,
  checkIn: SlotKey,
  checkOut: SlotKey,
  quantity?: number,
): RebookChange => ({
  kind: 'modify',
  expectedVersion: stay.reservation.version,
  period: { kind: 'nights', checkIn, checkOut },
  quantity,
});

const summary = (plan: ReturnType<typeof planRebook>) => ({
  claims: plan.claims.map((c) => c.slotKey),
  releases: plan.releases.map((c) => c.slotKey),
  slots: Object.fromEntries(
    plan.slotWrites.map((w) => [w.stream.slice('slot-res-1.'.length), w.events.map((e) => e.type)]),
  ),
});

describe('planRebook (given a confirmed booking, when it changes, then plain data)', () => {
  it('shrink: 3 nights → 2 gives the last night back, claims nothing, and re-prices', () => {
    const stay = booked('2026-12-24', '2026-12-27');
    const change = modify(stay, '2026-12-24', '2026-12-26');
    const plan = planRebook(loadedFor(stay, change), change, LATER, { surgeEnabled: true });
    expect(summary(plan)).to.deep.equal({
      claims: [],
      releases: ['2026-12-26'],
      slots: { '2026-12-26': ['BookingReleased'] },
    });
    const [event] = plan.aggregates[0]?.events ?? [];
    expect(event?.type).to.equal('ReservationModified');
    expect(plan.aggregates[0]?.expectedRevision).to.equal(stay.revision);
    expect(plan.result.slots).to.deep.equal(['2026-12-24', '2026-12-25']);
    expect(plan.result.quote.subtotal.amount).to.equal(2 * 20_000);
  });

  it('move: one night later claims the new night booked and releases the old one; the shared night stays', () => {
    const stay = booked('2026-12-24', '2026-12-26');
    const change = modify(stay, '2026-12-25', '2026-12-27');
    const plan = planRebook(loadedFor(stay, change), change, LATER, { surgeEnabled: true });
    expect(summary(plan)).to.deep.equal({
      claims: ['2026-12-26'],
      releases: ['2026-12-24'],
      slots: {
        '2026-12-26': ['SlotOpened', 'SlotHeld', 'SlotBooked'],
        '2026-12-24': ['BookingReleased'],
      },
    });
  });

  it('grow the quantity: every night is re-booked at the new quantity (own units do not count against it)', () => {
    const two = sampleNightly({ capacity: 2 });
    const stay = booked('2026-12-24', '2026-12-26', 1, two);
    const change = modify(stay, '2026-12-24', '2026-12-26', 2);
    const plan = planRebook(
      { ...loadedFor(stay, change), resource: { resourceId: 'res-1', config: two, revision: 0 } },
      change,
      LATER,
      { surgeEnabled: true },
    );
    expect(summary(plan).slots).to.deep.equal({
      '2026-12-24': ['BookingReleased', 'SlotHeld', 'SlotBooked'],
      '2026-12-25': ['BookingReleased', 'SlotHeld', 'SlotBooked'],
    });
    expect(plan.result.quantity).to.equal(2);
  });

  it('a move onto a night another booking holds is SLOT_UNAVAILABLE', () => {
    const stay = booked('2026-12-24', '2026-12-26');
    const change = modify(stay, '2026-12-25', '2026-12-27');
    const other = slotAfter('res-1', '2026-12-26', [heldBy('other', config, '2026-12-26', 1, 120)]);
    expect(() =>
      planRebook(loadedFor(stay, change, { '2026-12-26': other }), change, LATER, {
        surgeEnabled: true,
      }),
    )
      .to.throw(ConflictError)
      .with.property('code', 'SLOT_UNAVAILABLE');
  });

  it('a stale expected version is VERSION_MISMATCH', () => {
    const stay = booked('2026-12-24', '2026-12-26');
    const change = { ...modify(stay, '2026-12-24', '2026-12-25'), expectedVersion: 1 };
    expect(() => planRebook(loadedFor(stay, change), change, LATER, { surgeEnabled: true }))
      .to.throw(ConflictError)
      .with.property('code', 'VERSION_MISMATCH');
  });

  it('extend: adds the nights after the current end, booked, and prices only them', () => {
    const stay = booked('2026-12-24', '2026-12-26');
    const change: RebookChange = { kind: 'extend', end: { checkOut: addDays('2026-12-26', 2) } };
    const plan = planRebook(loadedFor(stay, change), change, LATER, { surgeEnabled: true });
    expect(summary(plan)).to.deep.equal({
      claims: ['2026-12-26', '2026-12-27'],
      releases: [],
      slots: {
        '2026-12-26': ['SlotOpened', 'SlotHeld', 'SlotBooked'],
        '2026-12-27': ['SlotOpened', 'SlotHeld', 'SlotBooked'],
      },
    });
    const [event] = (plan.aggregates[0]?.events ?? []) as ReservationEvent[];
    expect(
      event?.type === 'ReservationExtended' && event.data.additionalQuote.subtotal.amount,
    ).to.equal(2 * 20_000);
  });
});
