import { expect } from 'chai';
import { ConflictError, IllegalStateError, ValidationError } from '../shared/errors.ts';
import { given } from '../shared/testing/givenWhenThen.ts';
import { makeBookingReference } from './bookingReference.ts';
import { reservationDecider as decider } from './decider.ts';
import type { ReservationState } from './state.ts';
import {
  ENTROPY,
  RESERVATION_ID as reservationId,
  T0,
  at,
  historyTo,
  requestOf,
  resourceOf,
} from './testing/fixtures.ts';

const eur = (amount: number) => ({ amount, currency: 'EUR' });
const upTo = (status: Parameters<typeof historyTo>[0], policy: 'vendor' | 'instant' = 'vendor') =>
  historyTo(status, policy).events;
const statusOf = (state: ReservationState) => state.status;

describe('Reservation decider: the happy path, command by command', () => {
  it('RequestReservation records the whole request and quote and holds for 10 minutes', () => {
    const request = requestOf();
    const state = given(decider, [])
      .when(request)
      .then([
        {
          type: 'ReservationRequested',
          data: {
            reservationId,
            bookingReference: makeBookingReference(T0, ENTROPY),
            resource: request.resource,
            slots: ['2026-12-24', '2026-12-25'],
            quantity: 1,
            startsAt: request.startsAt,
            endsAt: request.endsAt,
            guest: request.guest,
            requesterId: 'req-1',
            partnerId: 'partner-1',
            promoCode: null,
            cancellationPolicy: null,
            quote: request.quote,
            requestedAt: T0,
            expiresAt: at(10),
            personalData: null,
          },
        },
      ]);
    expect(statusOf(state)).to.equal('HELD');
    if (state.status === 'NONE') throw new Error('unreachable');
    expect(state.version).to.equal(1);
    expect(state.history).to.deep.equal([
      { event: 'ReservationRequested', from: null, to: 'HELD', at: T0 },
    ]);
  });

  it('RequestReservation for an instant resource holds for 15 minutes (hotel-style)', () => {
    const [event] = decider.decide(requestOf(resourceOf('instant', null)), decider.initialState());
    expect(event?.type === 'ReservationRequested' && event.data.expiresAt).to.equal(at(15));
  });

  it('RequestReservation refuses a quote priced for another quantity', () => {
    given(decider, [])
      .when({ ...requestOf(), quantity: 2 })
      .thenThrows(ValidationError);
  });

  it('NotifyVendor moves HELD to AWAITING_VENDOR_CONFIRMATION', () => {
    given(decider, upTo('HELD'))
      .when({ type: 'NotifyVendor', reservationId, now: at(1) })
      .then([{ type: 'VendorNotified', data: { reservationId, notifiedAt: at(1) } }]);
  });

  it('NotifyVendor is refused for an instant resource (nothing to confirm)', () => {
    given(decider, upTo('HELD', 'instant'))
      .when({ type: 'NotifyVendor', reservationId, now: at(1) })
      .thenThrows(IllegalStateError, 'POLICY_MISMATCH');
  });

  it('ConfirmByVendor restarts the deadline: 30 minutes from the confirmation', () => {
    given(decider, upTo('AWAITING_VENDOR_CONFIRMATION'))
      .when({ type: 'ConfirmByVendor', reservationId, now: at(5) })
      .then([
        { type: 'VendorConfirmed', data: { reservationId, confirmedAt: at(5), expiresAt: at(35) } },
      ]);
  });

  it('ConfirmByVendor after the hold expired is a conflict, not a confirmation', () => {
    given(decider, upTo('AWAITING_VENDOR_CONFIRMATION'))
      .when({ type: 'ConfirmByVendor', reservationId, now: at(10) })
      .thenThrows(ConflictError, 'RESERVATION_EXPIRED');
  });

  it('DeclineByVendor fails the reservation with the reason', () => {
    const state = given(decider, upTo('AWAITING_VENDOR_CONFIRMATION'))
      .when({
        type: 'DeclineByVendor',
        reservationId,
        now: at(3),
        reason: 'Closed for a private event.',
      })
      .then([
        {
          type: 'VendorDeclined',
          data: { reservationId, declinedAt: at(3), reason: 'Closed for a private event.' },
        },
      ]);
    expect(statusOf(state)).to.equal('FAILED_VENDOR_DECLINED');
  });

  it('RequestAuthorization asks for the vendor deposit first when the resource has one', () => {
    given(decider, upTo('CONFIRMED_BY_VENDOR'))
      .when({ type: 'RequestAuthorization', reservationId, now: at(3) })
      .then([
        {
          type: 'AuthorizationRequested',
          data: { reservationId, party: 'vendor', amount: eur(5_000), requestedAt: at(3) },
        },
      ]);
  });

  it('RequestAuthorization goes straight to the requester for an instant resource without deposit', () => {
    const request = requestOf(resourceOf('instant', null));
    const events = decider.decide(request, decider.initialState());
    const state = given(decider, events)
      .when({ type: 'RequestAuthorization', reservationId, now: at(1) })
      .then([
        {
          type: 'AuthorizationRequested',
          data: { reservationId, party: 'requester', amount: eur(40_000), requestedAt: at(1) },
        },
      ]);
    expect(statusOf(state)).to.equal('AWAITING_REQUESTER_AUTH');
  });

  it('RequestAuthorization after the vendor deposit asks the requester for the amount owed', () => {
    given(decider, upTo('VENDOR_AUTHORIZED'))
      .when({ type: 'RequestAuthorization', reservationId, now: at(5) })
      .then([
        {
          type: 'AuthorizationRequested',
          data: { reservationId, party: 'requester', amount: eur(40_000), requestedAt: at(5) },
        },
      ]);
  });

  it('RecordVendorAuthorization stores the provider id', () => {
    const authorization = { authorizationId: 'pi_v', amount: eur(5_000) };
    const state = given(decider, upTo('AWAITING_VENDOR_AUTH'))
      .when({ type: 'RecordVendorAuthorization', reservationId, now: at(4), authorization })
      .then([
        { type: 'VendorAuthorized', data: { reservationId, authorization, authorizedAt: at(4) } },
      ]);
    expect(state.status !== 'NONE' && state.authorizations.vendor).to.deep.equal(authorization);
  });

  it('RecordVendorAuthorizationFailure ends in FAILED_VENDOR_AUTH', () => {
    const state = given(decider, upTo('AWAITING_VENDOR_AUTH'))
      .when({
        type: 'RecordVendorAuthorizationFailure',
        reservationId,
        now: at(4),
        reason: 'Insufficient funds.',
      })
      .then([
        {
          type: 'VendorAuthorizationFailed',
          data: { reservationId, reason: 'Insufficient funds.', failedAt: at(4) },
        },
      ]);
    expect(statusOf(state)).to.equal('FAILED_VENDOR_AUTH');
  });

  it('RecordRequesterAuthorization reaches AUTHORIZED_BOTH with 15 more minutes', () => {
    const authorization = { authorizationId: 'pi_r', amount: eur(40_000) };
    given(decider, upTo('AWAITING_REQUESTER_AUTH'))
      .when({ type: 'RecordRequesterAuthorization', reservationId, now: at(6), authorization })
      .then([
        {
          type: 'RequesterAuthorized',
          data: { reservationId, authorization, authorizedAt: at(6), expiresAt: at(21) },
        },
      ]);
  });

  it('RecordRequesterAuthorizationFailure ends in FAILED_REQUESTER_AUTH', () => {
    const state = given(decider, upTo('AWAITING_REQUESTER_AUTH'))
      .when({
        type: 'RecordRequesterAuthorizationFailure',
        reservationId,
        now: at(6),
        reason: 'Do not honor.',
      })
      .then([
        {
          type: 'RequesterAuthorizationFailed',
          data: { reservationId, reason: 'Do not honor.', failedAt: at(6) },
        },
      ]);
    expect(statusOf(state)).to.equal('FAILED_REQUESTER_AUTH');
  });

  it('Revalidate passed keeps the status and unlocks BeginCommit; failed ends in FAILED_AVAILABILITY_CHANGED', () => {
    const authorized = upTo('AUTHORIZED_BOTH').slice(0, -1);
    given(decider, authorized)
      .when({ type: 'BeginCommit', reservationId, now: at(7) })
      .thenThrows(IllegalStateError, 'REVALIDATION_REQUIRED');
    const passed = given(decider, authorized)
      .when({ type: 'Revalidate', reservationId, now: at(7), outcome: 'passed' })
      .then([
        {
          type: 'AvailabilityRevalidated',
          data: { reservationId, revalidatedAt: at(7), status: 'AUTHORIZED_BOTH' },
        },
      ]);
    expect(statusOf(passed)).to.equal('AUTHORIZED_BOTH');
    const failed = given(decider, authorized)
      .when({
        type: 'Revalidate',
        reservationId,
        now: at(7),
        outcome: 'failed',
        reason: 'Sold elsewhere.',
      })
      .then([
        {
          type: 'AvailabilityRevalidationFailed',
          data: {
            reservationId,
            revalidatedAt: at(7),
            reason: 'Sold elsewhere.',
            previousStatus: 'AUTHORIZED_BOTH',
          },
        },
      ]);
    expect(statusOf(failed)).to.equal('FAILED_AVAILABILITY_CHANGED');
  });

  it('BeginCommit after the final revalidation moves to COMMIT_IN_PROGRESS', () => {
    given(decider, upTo('AUTHORIZED_BOTH'))
      .when({ type: 'BeginCommit', reservationId, now: at(8) })
      .then([{ type: 'CommitStarted', data: { reservationId, startedAt: at(8) } }]);
  });

  it('RecordCommitSuccess confirms the booking and clears the deadline', () => {
    const state = given(decider, upTo('COMMIT_IN_PROGRESS'))
      .when({
        type: 'RecordCommitSuccess',
        reservationId,
        now: at(9),
        captures: { vendor: 'ch_v', requester: 'ch_r' },
      })
      .then([
        {
          type: 'ReservationCommitted',
          data: {
            reservationId,
            bookingReference: makeBookingReference(T0, ENTROPY),
            committedAt: at(9),
            captures: { vendor: 'ch_v', requester: 'ch_r' },
          },
        },
      ]);
    expect(state.status === 'CONFIRMED' && state.expiresAt).to.equal(null);
  });

  it('RecordCommitFailure ends in FAILED_COMMIT', () => {
    given(decider, upTo('COMMIT_IN_PROGRESS'))
      .when({ type: 'RecordCommitFailure', reservationId, now: at(9), reason: 'Capture failed.' })
      .then([
        {
          type: 'CommitFailed',
          data: { reservationId, failedAt: at(9), reason: 'Capture failed.' },
        },
      ]);
  });

  it('CheckIn, Complete and MarkNoShow follow seed 002', () => {
    given(decider, upTo('CONFIRMED'))
      .when({ type: 'CheckIn', reservationId, now: at(60) })
      .then([{ type: 'ReservationCheckedIn', data: { reservationId, checkedInAt: at(60) } }]);
    given(decider, upTo('CHECKED_IN'))
      .when({ type: 'Complete', reservationId, now: at(61) })
      .then([{ type: 'ReservationCompleted', data: { reservationId, completedAt: at(61) } }]);
    given(decider, upTo('CONFIRMED'))
      .when({ type: 'MarkNoShow', reservationId, now: at(62) })
      .then([{ type: 'ReservationMarkedNoShow', data: { reservationId, markedAt: at(62) } }]);
  });
});
