import { expect } from 'chai';
import { ConcurrencyError, IllegalStateError, ValidationError } from '../shared/errors.ts';
import { given } from '../shared/testing/givenWhenThen.ts';
import { createReservationDecider, reservationDecider as decider } from './decider.ts';
import {
  RESERVATION_ID as reservationId,
  at,
  historyTo,
  quoteOf,
  requestOf,
} from './testing/fixtures.ts';
import { DEFAULT_TTL_POLICY, expiresAtFor, isDue } from './ttl.ts';

const eur = (amount: number) => ({ amount, currency: 'EUR' });
const upTo = (status: Parameters<typeof historyTo>[0]) => historyTo(status).events;

describe('Reservation decider: cancel, expire, modify, extend', () => {
  it('Cancel records who and why, and lists the slots to release', () => {
    const state = given(decider, upTo('CONFIRMED'))
      .when({
        type: 'Cancel',
        reservationId,
        now: at(100),
        by: 'vendor',
        reason: 'Burst pipe in the room.',
      })
      .then([
        {
          type: 'ReservationCancelled',
          data: {
            reservationId,
            cancelledBy: 'vendor',
            reason: 'Burst pipe in the room.',
            cancelledAt: at(100),
            previousStatus: 'CONFIRMED',
            slotsToRelease: ['2026-12-24', '2026-12-25'],
          },
        },
      ]);
    expect(state.status === 'CANCELLED' && state.history.at(-1)).to.deep.equal({
      event: 'ReservationCancelled',
      from: 'CONFIRMED',
      to: 'CANCELLED',
      at: at(100),
      by: 'vendor',
      reason: 'Burst pipe in the room.',
    });
  });

  it('Cancel without a reason is invalid', () => {
    given(decider, upTo('HELD'))
      .when({ type: 'Cancel', reservationId, now: at(1), by: 'guest', reason: ' ' })
      .thenThrows(ValidationError);
  });

  it('Cancel during the commit is refused: only the commit outcome may end it', () => {
    given(decider, upTo('COMMIT_IN_PROGRESS'))
      .when({ type: 'Cancel', reservationId, now: at(9), by: 'guest', reason: 'Changed mind.' })
      .thenThrows(IllegalStateError, 'ILLEGAL_TRANSITION');
  });

  it('Expire before the deadline is ignored (no events)', () => {
    given(decider, upTo('HELD'))
      .when({ type: 'Expire', reservationId, now: at(9) })
      .then([]);
  });

  it('Expire at the deadline expires (the deadline is exclusive, like a hold)', () => {
    given(decider, upTo('HELD'))
      .when({ type: 'Expire', reservationId, now: at(10) })
      .then([
        {
          type: 'ReservationExpired',
          data: { reservationId, expiredAt: at(10), deadline: at(10), previousStatus: 'HELD' },
        },
      ]);
  });

  it('Expire while awaiting the vendor is the vendor timeout', () => {
    const state = given(decider, upTo('AWAITING_VENDOR_CONFIRMATION'))
      .when({ type: 'Expire', reservationId, now: at(12) })
      .then([
        {
          type: 'VendorConfirmationTimedOut',
          data: { reservationId, timedOutAt: at(12), deadline: at(10) },
        },
      ]);
    expect(state.status).to.equal('FAILED_VENDOR_TIMEOUT');
  });

  it('Expire uses the extended deadline after both authorizations (requester auth + 15 min)', () => {
    const events = upTo('AUTHORIZED_BOTH');
    given(decider, events)
      .when({ type: 'Expire', reservationId, now: at(21) })
      .then([]);
    given(decider, events)
      .when({ type: 'Expire', reservationId, now: at(22) })
      .then([
        {
          type: 'ReservationExpired',
          data: {
            reservationId,
            expiredAt: at(22),
            deadline: at(22),
            previousStatus: 'AUTHORIZED_BOTH',
          },
        },
      ]);
  });

  it('Expire is refused on a confirmed booking: bookings have no TTL', () => {
    given(decider, upTo('CONFIRMED'))
      .when({ type: 'Expire', reservationId, now: at(10_000) })
      .thenThrows(IllegalStateError, 'ILLEGAL_TRANSITION');
  });

  it('Modify with the current version claims new slots, releases old ones, re-prices and keeps the payment', () => {
    const { events, state } = historyTo('CONFIRMED');
    const version = state.status === 'NONE' ? 0 : state.version;
    const after = given(decider, events)
      .when({
        type: 'Modify',
        reservationId,
        now: at(100),
        expectedVersion: version,
        slots: ['2026-12-25', '2026-12-26'],
        quantity: 1,
        startsAt: '2026-12-25T13:00:00.000Z',
        endsAt: '2026-12-27T09:00:00.000Z',
        quote: quoteOf(42_000),
      })
      .then([
        {
          type: 'ReservationModified',
          data: {
            reservationId,
            modifiedAt: at(100),
            slots: ['2026-12-25', '2026-12-26'],
            quantity: 1,
            startsAt: '2026-12-25T13:00:00.000Z',
            endsAt: '2026-12-27T09:00:00.000Z',
            slotsToClaim: ['2026-12-26'],
            slotsToRelease: ['2026-12-24'],
            quote: quoteOf(42_000),
            priceDifference: eur(2_000),
          },
        },
      ]);
    expect(after.status === 'CONFIRMED' && after.captures).to.deep.equal({
      vendor: 'ch_vendor',
      requester: 'ch_requester',
    });
  });

  it('Modify with a new quantity re-holds every slot at the new quantity', () => {
    const { events, state } = historyTo('CONFIRMED');
    const [event] = decider.decide(
      {
        type: 'Modify',
        reservationId,
        now: at(100),
        expectedVersion: state.status === 'NONE' ? 0 : state.version,
        slots: ['2026-12-24', '2026-12-25'],
        quantity: 2,
        startsAt: '2026-12-24T13:00:00.000Z',
        endsAt: '2026-12-26T09:00:00.000Z',
        quote: quoteOf(80_000, 2),
      },
      state,
    );
    expect(events).not.to.be.empty;
    expect(
      event?.type === 'ReservationModified' && [event.data.slotsToClaim, event.data.slotsToRelease],
    ).to.deep.equal([
      ['2026-12-24', '2026-12-25'],
      ['2026-12-24', '2026-12-25'],
    ]);
  });

  it('Modify with a stale version is a ConcurrencyError', () => {
    given(decider, upTo('CONFIRMED'))
      .when({
        type: 'Modify',
        reservationId,
        now: at(100),
        expectedVersion: 3,
        slots: ['2026-12-25'],
        quantity: 1,
        startsAt: '2026-12-25T13:00:00.000Z',
        endsAt: '2026-12-26T09:00:00.000Z',
        quote: quoteOf(20_000),
      })
      .thenThrows(ConcurrencyError, 'VERSION_MISMATCH');
  });

  it('Extend adds slots with their own quote, also while checked in', () => {
    const state = given(decider, upTo('CHECKED_IN'))
      .when({
        type: 'Extend',
        reservationId,
        now: at(100),
        addedSlots: ['2026-12-26'],
        endsAt: '2026-12-27T09:00:00.000Z',
        additionalQuote: quoteOf(20_000),
      })
      .then([
        {
          type: 'ReservationExtended',
          data: {
            reservationId,
            extendedAt: at(100),
            addedSlots: ['2026-12-26'],
            endsAt: '2026-12-27T09:00:00.000Z',
            additionalQuote: quoteOf(20_000),
          },
        },
      ]);
    expect(state.status === 'CHECKED_IN' && state.slots).to.deep.equal([
      '2026-12-24',
      '2026-12-25',
      '2026-12-26',
    ]);
  });

  it('Extend refuses slots the reservation already has', () => {
    given(decider, upTo('CONFIRMED'))
      .when({
        type: 'Extend',
        reservationId,
        now: at(100),
        addedSlots: ['2026-12-25'],
        endsAt: '2026-12-27T09:00:00.000Z',
        additionalQuote: quoteOf(1),
      })
      .thenThrows(ValidationError);
  });
});

describe('staged TTLs', () => {
  it('documents seed 004 and seed 003 values in one policy object', () => {
    expect(DEFAULT_TTL_POLICY).to.deep.equal({
      holdMinutes: 10,
      instantHoldMinutes: 15,
      afterVendorConfirmationMinutes: 30,
      afterBothAuthorizationsMinutes: 15,
    });
  });

  it('computes deadlines in UTC from offset instants, and is due exactly at the deadline', () => {
    expect(expiresAtFor('2026-03-29T01:55:00+01:00', 'hold')).to.equal('2026-03-29T01:05:00.000Z');
    expect(isDue('2026-03-29T01:05:00.000Z', '2026-03-29T01:04:59.999Z')).to.equal(false);
    expect(isDue('2026-03-29T01:05:00.000Z', '2026-03-29T03:05:00+02:00')).to.equal(true);
  });

  it('an injected policy changes every stage', () => {
    const quick = createReservationDecider({
      holdMinutes: 1,
      instantHoldMinutes: 2,
      afterVendorConfirmationMinutes: 3,
      afterBothAuthorizationsMinutes: 4,
    });
    const [event] = quick.decide(requestOf(), quick.initialState());
    expect(event?.type === 'ReservationRequested' && event.data.expiresAt).to.equal(at(1));
  });

  it('the full vendor flow holds 10 → confirmation + 30 → authorization + 15', () => {
    const { state } = historyTo('AUTHORIZED_BOTH');
    // Path timestamps: confirmed at minute 2 (deadline 32), payment method at 6, requester authorized at 7 (deadline 22).
    expect(state.status === 'AUTHORIZED_BOTH' && state.expiresAt).to.equal(at(22));
    const { state: confirmed } = historyTo('CONFIRMED_BY_VENDOR');
    expect(confirmed.status === 'CONFIRMED_BY_VENDOR' && confirmed.expiresAt).to.equal(at(32));
  });
});
