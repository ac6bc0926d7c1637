import { expect } from 'chai';
import { fold } from '../shared/decider.ts';
import { IllegalStateError } from '../shared/errors.ts';
import { given } from '../shared/testing/givenWhenThen.ts';
import { reservationDecider as decider } from './decider.ts';
import type { ProvidePaymentMethod } from './commands.ts';
import type { ReservationStatus } from './status.ts';
import {
  RESERVATION_ID as reservationId,
  SAMPLE_PAYMENT_METHOD,
  at,
  historyTo,
} from './testing/fixtures.ts';

const provide = (paymentMethod: string, minute: number): ProvidePaymentMethod => ({
  type: 'ProvidePaymentMethod',
  reservationId,
  paymentMethod,
  now: at(minute),
});

/** Pre-commit states the requester may still provide (or replace) a payment method in. */
const OPEN: readonly ReservationStatus[] = [
  'HELD',
  'AWAITING_VENDOR_CONFIRMATION',
  'CONFIRMED_BY_VENDOR',
  'AWAITING_VENDOR_AUTH',
  'VENDOR_AUTHORIZED',
  'AWAITING_REQUESTER_AUTH',
];

describe('Reservation decider: the requester provides a payment method', () => {
  for (const status of OPEN) {
    it(`${status}: records PaymentMethodProvided without moving the status`, () => {
      const { events, lastMinute } = historyTo(status);
      const now = lastMinute + 1;
      const state = given(decider, events)
        .when(provide('pm_card_mastercard', now))
        .then([
          {
            type: 'PaymentMethodProvided',
            data: { reservationId, paymentMethod: 'pm_card_mastercard', providedAt: at(now) },
          },
        ]);
      expect(state.status).to.equal(status);
      if (state.status === 'NONE') return;
      expect(state.paymentMethod).to.equal('pm_card_mastercard');
      expect(state.history.at(-1)).to.deep.include({
        event: 'PaymentMethodProvided',
        from: status,
        to: status,
      });
    });
  }

  it('the same token again decides nothing', () => {
    const { events } = historyTo('CONFIRMED_BY_VENDOR');
    const once = decider.decide(provide('pm_card_visa', 3), fold(decider, events));
    given(decider, [...events, ...once])
      .when(provide('pm_card_visa', 4))
      .then([]);
  });

  it('a different token replaces the first one before the requester authorization starts', () => {
    const { events } = historyTo('CONFIRMED_BY_VENDOR');
    const first = decider.decide(provide('pm_card_visa', 3), fold(decider, events));
    const state = given(decider, [...events, ...first])
      .when(provide('pm_card_amex', 4))
      .then([
        {
          type: 'PaymentMethodProvided',
          data: { reservationId, paymentMethod: 'pm_card_amex', providedAt: at(4) },
        },
      ]);
    expect(state.status !== 'NONE' && state.paymentMethod).to.equal('pm_card_amex');
  });

  it('refuses another token once the reservation awaits the requester with one (the saga is authorizing)', () => {
    const { events, lastMinute } = historyTo('AWAITING_REQUESTER_AUTH');
    const first = decider.decide(
      provide(SAMPLE_PAYMENT_METHOD, lastMinute + 1),
      fold(decider, events),
    );
    given(decider, [...events, ...first])
      .when(provide('pm_card_amex', lastMinute + 2))
      .thenThrows(IllegalStateError, 'PAYMENT_METHOD_LOCKED');
    given(decider, [...events, ...first])
      .when(provide(SAMPLE_PAYMENT_METHOD, lastMinute + 2))
      .then([]);
  });

  it('after the requester authorization another token is refused; the same one is a no-op', () => {
    const { events, lastMinute } = historyTo('AUTHORIZED_BOTH');
    given(decider, events)
      .when(provide('pm_card_amex', lastMinute + 1))
      .thenThrows(IllegalStateError, 'PAYMENT_METHOD_LOCKED');
    given(decider, events)
      .when(provide(SAMPLE_PAYMENT_METHOD, lastMinute + 1))
      .then([]);
  });

  for (const status of ['COMMIT_IN_PROGRESS', 'CONFIRMED', 'EXPIRED'] as const) {
    it(`${status} refuses it as an illegal transition`, () => {
      const { events, lastMinute } = historyTo(status);
      given(decider, events)
        .when(provide(SAMPLE_PAYMENT_METHOD, lastMinute + 1))
        .thenThrows(IllegalStateError, 'ILLEGAL_TRANSITION');
    });
  }
});
