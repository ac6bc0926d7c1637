import { expect } from 'chai';
import { ConflictError, IllegalStateError, ValidationError } from '../shared/errors.ts';
import { given } from '../shared/testing/givenWhenThen.ts';
import type { SlotEvent } from './events.ts';
import { slotDecider } from './slotDecider.ts';
import { availableQuantity } from './state.ts';

const T0 = '2026-12-01T10:00:00.000Z';
const T5 = '2026-12-01T10:05:00.000Z';
const T10 = '2026-12-01T10:10:00.000Z';
const T15 = '2026-12-01T10:15:00.000Z';
const target = { resourceId: 'room-1', slotKey: '2026-12-24', resourceCapacity: 2 };
const ids = { resourceId: 'room-1', slotKey: '2026-12-24' };

const opened: SlotEvent = { type: 'SlotOpened', data: { ...ids, capacity: 2, openedAt: T0 } };
const held = (reservationId: string, quantity = 1, expiresAt = T10): SlotEvent => ({
  type: 'SlotHeld',
  data: { ...ids, reservationId, quantity, expiresAt, heldAt: T0 },
});
const booked = (reservationId: string, quantity = 1, bookedAt = T5): SlotEvent => ({
  type: 'SlotBooked',
  data: { ...ids, reservationId, quantity, bookedAt },
});
const closed: SlotEvent = {
  type: 'SlotClosed',
  data: { ...ids, reason: 'maintenance', closedAt: T0 },
};
const placeHold = (reservationId: string, quantity = 1, now = T0, expiresAt = T10) =>
  ({ type: 'PlaceHold', ...target, reservationId, quantity, now, expiresAt }) as const;

describe('Slot decider', () => {
  describe('PlaceHold', () => {
    it('opens a new stream with the resource capacity and holds', () => {
      given(slotDecider, [])
        .when(placeHold('r1'))
        .then([opened, held('r1')]);
    });
    it('holds on an open slot while capacity remains', () => {
      given(slotDecider, [opened, held('r1')])
        .when(placeHold('r2'))
        .then([held('r2')]);
    });
    it('is idempotent for the same reservation, quantity and deadline', () => {
      given(slotDecider, [opened, held('r1')])
        .when(placeHold('r1'))
        .then([]);
    });
    it('re-holds to change the quantity, not counting its own earlier hold', () => {
      given(slotDecider, [opened, held('r1')])
        .when(placeHold('r1', 2))
        .then([held('r1', 2)]);
    });
    it('refuses more than is available with SLOT_UNAVAILABLE and the numbers', () => {
      const error = given(slotDecider, [opened, held('r1'), booked('r1')])
        .when(placeHold('r2', 2, T5))
        .thenThrows(ConflictError, 'SLOT_UNAVAILABLE');
      expect((error as ConflictError).details).to.include({ available: 1, requested: 2 });
    });
    it('no longer counts a hold once expiresAt ≤ now', () => {
      given(slotDecider, [opened, held('r1', 2)])
        .when(placeHold('r2', 2, T10, T15))
        .then(
          [held('r2', 2, T15)].map(
            (e) => ({ ...e, data: { ...e.data, heldAt: T10 } }) as SlotEvent,
          ),
        );
    });
    it('refuses a closed slot', () => {
      given(slotDecider, [opened, closed])
        .when(placeHold('r1'))
        .thenThrows(ConflictError, 'SLOT_UNAVAILABLE');
    });
    it('refuses a reservation that already booked the slot', () => {
      given(slotDecider, [opened, held('r1'), booked('r1')])
        .when(placeHold('r1', 1, T5))
        .thenThrows(IllegalStateError, 'ALREADY_BOOKED');
    });
    it('refuses bad input', () => {
      given(slotDecider, []).when(placeHold('r1', 0)).thenThrows(ValidationError);
      given(slotDecider, [])
        .when(placeHold('r1', 1, T10, T10))
        .thenThrows(ValidationError);
      given(slotDecider, [opened])
        .when({ ...placeHold('r1'), slotKey: '2026-12-25' })
        .thenThrows(ValidationError);
    });
  });

  describe('ReleaseHold', () => {
    const release = {
      type: 'ReleaseHold',
      reservationId: 'r1',
      reason: 'guest left',
      now: T5,
    } as const;
    it('releases the hold', () => {
      given(slotDecider, [opened, held('r1')])
        .when(release)
        .then([
          {
            type: 'HoldReleased',
            data: {
              ...ids,
              reservationId: 'r1',
              quantity: 1,
              reason: 'guest left',
              releasedAt: T5,
            },
          },
        ]);
    });
    it('decides nothing when the hold is already gone', () => {
      given(slotDecider, []).when(release).then([]);
      given(slotDecider, [opened]).when(release).then([]);
    });
    it('refuses to release a booking as a hold', () => {
      given(slotDecider, [opened, held('r1'), booked('r1')])
        .when(release)
        .thenThrows(IllegalStateError, 'NOT_A_HOLD');
    });
  });

  describe('ExpireHolds', () => {
    it('expires every hold due by now, oldest first', () => {
      given(slotDecider, [opened, held('r2', 1, T15), held('r1', 1, T10)])
        .when({ type: 'ExpireHolds', now: T15 })
        .then([
          {
            type: 'HoldExpired',
            data: { ...ids, reservationId: 'r1', quantity: 1, expiresAt: T10, expiredAt: T15 },
          },
          {
            type: 'HoldExpired',
            data: { ...ids, reservationId: 'r2', quantity: 1, expiresAt: T15, expiredAt: T15 },
          },
        ]);
    });
    it('decides nothing when no hold is due', () => {
      given(slotDecider, [opened, held('r1')])
        .when({ type: 'ExpireHolds', now: T5 })
        .then([]);
      given(slotDecider, []).when({ type: 'ExpireHolds', now: T5 }).then([]);
    });
  });

  describe('BookHold', () => {
    const book = { type: 'BookHold', reservationId: 'r1', now: T5 } as const;
    it('turns an active hold into a booking', () => {
      const state = given(slotDecider, [opened, held('r1', 2)])
        .when(book)
        .then([booked('r1', 2)]);
      expect(availableQuantity(state, Date.parse(T15), 2)).to.equal(0);
    });
    it('is idempotent once booked', () => {
      given(slotDecider, [opened, held('r1'), booked('r1')])
        .when(book)
        .then([]);
    });
    it('refuses without a hold', () => {
      given(slotDecider, [opened]).when(book).thenThrows(IllegalStateError, 'NO_HOLD');
      given(slotDecider, []).when(book).thenThrows(IllegalStateError, 'NO_HOLD');
    });
    it('refuses an expired hold', () => {
      given(slotDecider, [opened, held('r1')])
        .when({ ...book, now: T10 })
        .thenThrows(ConflictError, 'HOLD_EXPIRED');
    });
  });

  describe('ReleaseBooking', () => {
    const release = {
      type: 'ReleaseBooking',
      reservationId: 'r1',
      reason: 'cancelled',
      now: T15,
    } as const;
    it('releases the booking', () => {
      given(slotDecider, [opened, held('r1'), booked('r1')])
        .when(release)
        .then([
          {
            type: 'BookingReleased',
            data: {
              ...ids,
              reservationId: 'r1',
              quantity: 1,
              reason: 'cancelled',
              releasedAt: T15,
            },
          },
        ]);
    });
    it('decides nothing when there is no booking', () => {
      given(slotDecider, [opened]).when(release).then([]);
    });
    it('refuses to release a hold as a booking', () => {
      given(slotDecider, [opened, held('r1', 1, '2026-12-02T00:00:00.000Z')])
        .when(release)
        .thenThrows(IllegalStateError, 'NOT_BOOKED');
    });
  });

  describe('OverrideCapacity', () => {
    const override = (capacity: number) =>
      ({ type: 'OverrideCapacity', ...target, capacity, now: T5 }) as const;
    const overridden = (capacity: number, previousCapacity = 2): SlotEvent => ({
      type: 'SlotCapacityOverridden',
      data: { ...ids, capacity, previousCapacity, overriddenAt: T5 },
    });
    it('changes the capacity, opening the stream if needed', () => {
      given(slotDecider, [opened])
        .when(override(5))
        .then([overridden(5)]);
      given(slotDecider, [])
        .when(override(0))
        .then([{ ...opened, data: { ...opened.data, openedAt: T5 } }, overridden(0)]);
    });
    it('decides nothing for the same capacity', () => {
      given(slotDecider, [opened]).when(override(2)).then([]);
    });
    it('refuses to drop below what is held and booked', () => {
      given(slotDecider, [opened, held('r1', 2)])
        .when(override(1))
        .thenThrows(ConflictError, 'CAPACITY_BELOW_USAGE');
      given(slotDecider, [opened]).when(override(-1)).thenThrows(ValidationError);
    });
  });

  describe('CloseSlot and OpenSlot', () => {
    const close = { type: 'CloseSlot', ...target, reason: 'maintenance', now: T0 } as const;
    const open = { type: 'OpenSlot', ...target, now: T5 } as const;
    it('closes, keeping holds and bookings, and reopens', () => {
      given(slotDecider, [opened, held('r1')])
        .when(close)
        .then([closed]);
      given(slotDecider, [opened, closed])
        .when(open)
        .then([{ type: 'SlotReopened', data: { ...ids, reopenedAt: T5 } }]);
      given(slotDecider, [opened, held('r1'), closed])
        .when({ type: 'BookHold', reservationId: 'r1', now: T5 })
        .then([booked('r1')]);
    });
    it('is idempotent', () => {
      given(slotDecider, [opened, closed]).when(close).then([]);
      given(slotDecider, [opened]).when(open).then([]);
    });
    it('opens an empty stream', () => {
      given(slotDecider, [])
        .when(open)
        .then([{ ...opened, data: { ...opened.data, openedAt: T5 } }]);
      given(slotDecider, []).when(close).then([opened, closed]);
    });
  });
});
