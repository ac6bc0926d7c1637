import { expect } from 'chai';
import { IllegalStateError, NotFoundError } from '../shared/errors.ts';
import { fold } from '../shared/decider.ts';
import { reservationDecider } from './decider.ts';
import { RESERVATION_STATUSES, isTerminal, type ReservationStatus } from './status.ts';
import { at, historyTo, sampleCommand } from './testing/fixtures.ts';
import {
  RESERVATION_COMMAND_TYPES,
  TRANSITIONS,
  type ReservationCommandType,
  type StatusOrNone,
} from './transitions.ts';

const DAY_LATER = 24 * 60 * 2;

type Row = Partial<Record<ReservationCommandType, readonly StatusOrNone[]>>;

const PRE_COMMIT = (from: ReservationStatus): Row => ({
  Revalidate: [from, 'FAILED_AVAILABILITY_CHANGED'],
  ProvidePaymentMethod: [from],
  Cancel: ['CANCELLED'],
  Expire: ['EXPIRED'],
});

/**
 * The expected verdicts, written by hand from the "Reservation lifecycle"
 * diagram (docs/architecture.md) and seeds 002/004 — independent of the
 * TRANSITIONS table `decide` consults, so a wrong edit there fails here.
 */
const EXPECTED: Readonly<Record<StatusOrNone, Row>> = {
  NONE: { RequestReservation: ['HELD'] },
  HELD: {
    NotifyVendor: ['AWAITING_VENDOR_CONFIRMATION'],
    RequestAuthorization: ['AWAITING_VENDOR_AUTH', 'AWAITING_REQUESTER_AUTH'],
    ...PRE_COMMIT('HELD'),
  },
  AWAITING_VENDOR_CONFIRMATION: {
    ConfirmByVendor: ['CONFIRMED_BY_VENDOR'],
    DeclineByVendor: ['FAILED_VENDOR_DECLINED'],
    ...PRE_COMMIT('AWAITING_VENDOR_CONFIRMATION'),
    Expire: ['FAILED_VENDOR_TIMEOUT'],
  },
  CONFIRMED_BY_VENDOR: {
    RequestAuthorization: ['AWAITING_VENDOR_AUTH', 'AWAITING_REQUESTER_AUTH'],
    ...PRE_COMMIT('CONFIRMED_BY_VENDOR'),
  },
  AWAITING_VENDOR_AUTH: {
    RecordVendorAuthorization: ['VENDOR_AUTHORIZED'],
    RecordVendorAuthorizationFailure: ['FAILED_VENDOR_AUTH'],
    ...PRE_COMMIT('AWAITING_VENDOR_AUTH'),
  },
  VENDOR_AUTHORIZED: {
    RequestAuthorization: ['AWAITING_REQUESTER_AUTH'],
    ...PRE_COMMIT('VENDOR_AUTHORIZED'),
  },
  AWAITING_REQUESTER_AUTH: {
    RecordRequesterAuthorization: ['AUTHORIZED_BOTH'],
    RecordRequesterAuthorizationFailure: ['FAILED_REQUESTER_AUTH'],
    ...PRE_COMMIT('AWAITING_REQUESTER_AUTH'),
  },
  AUTHORIZED_BOTH: { BeginCommit: ['COMMIT_IN_PROGRESS'], ...PRE_COMMIT('AUTHORIZED_BOTH') },
  COMMIT_IN_PROGRESS: {
    RecordCommitSuccess: ['CONFIRMED'],
    RecordCommitFailure: ['FAILED_COMMIT'],
  },
  CONFIRMED: {
    CheckIn: ['CHECKED_IN'],
    Complete: ['COMPLETED'],
    MarkNoShow: ['NO_SHOW'],
    Cancel: ['CANCELLED'],
    Modify: ['CONFIRMED'],
    Extend: ['CONFIRMED'],
  },
  CHECKED_IN: { Complete: ['COMPLETED'], Cancel: ['CANCELLED'], Extend: ['CHECKED_IN'] },
  COMPLETED: {},
  NO_SHOW: {},
  CANCELLED: {},
  EXPIRED: {},
  FAILED_VENDOR_TIMEOUT: {},
  FAILED_VENDOR_DECLINED: {},
  FAILED_VENDOR_AUTH: {},
  FAILED_REQUESTER_AUTH: {},
  FAILED_AVAILABILITY_CHANGED: {},
  FAILED_COMMIT: {},
};

/** From HELD, the resource's policy decides the path: instant skips the vendor's confirmation. */
const INSTANT_ONLY: ReadonlySet<string> = new Set(['HELD×RequestAuthorization']);

describe('reservation transition table (every state × every command)', () => {
  it('lists every status of DESIGN.md and seed 004 exactly once, plus NONE', () => {
    expect(Object.keys(TRANSITIONS).sort()).to.deep.equal(['NONE', ...RESERVATION_STATUSES].sort());
  });

  it('matches the table written from the lifecycle diagram, cell by cell', () => {
    const shape = (table: Readonly<Record<string, Row>>) =>
      Object.fromEntries(
        Object.entries(table).map(([status, row]) => [
          status,
          Object.fromEntries(
            Object.entries(row).map(([type, to]) => [type, [...(to ?? [])].sort()]),
          ),
        ]),
      );
    const actual = Object.fromEntries(
      Object.entries(TRANSITIONS).map(([status, row]) => [
        status,
        Object.fromEntries(Object.entries(row).map(([type, t]) => [type, t?.to ?? []])),
      ]),
    );
    expect(shape(actual)).to.deep.equal(shape(EXPECTED));
  });

  it('gives terminal states empty rows and every non-terminal state at least one exit', () => {
    for (const status of RESERVATION_STATUSES) {
      const row = Object.keys(TRANSITIONS[status]);
      if (isTerminal(status)) expect(row, status).to.be.empty;
      else expect(row, status).not.to.be.empty;
    }
  });

  for (const status of RESERVATION_STATUSES) {
    for (const type of RESERVATION_COMMAND_TYPES) {
      const expected = EXPECTED[status][type];
      const verdict = expected === undefined ? 'refuses' : `accepts → ${expected.join('|')}`;
      it(`${status} × ${type} ${verdict}`, () => {
        const policy = INSTANT_ONLY.has(`${status}×${type}`) ? 'instant' : 'vendor';
        const { state, lastMinute } = historyTo(status, policy);
        expect(state.status).to.equal(status);
        // Expire must be due to be accepted; everything else comes a minute after the last event.
        const now = at(type === 'Expire' ? lastMinute + DAY_LATER : lastMinute + 1);
        const command = sampleCommand(type, state, now);
        if (expected === undefined) {
          expect(() => reservationDecider.decide(command, state))
            .to.throw(IllegalStateError)
            .with.property('code', 'ILLEGAL_TRANSITION');
          return;
        }
        const events = reservationDecider.decide(command, state);
        // Repeating the payment method already recorded is accepted as a no-op (a client's retry).
        const repeat =
          command.type === 'ProvidePaymentMethod' &&
          state.status !== 'NONE' &&
          state.paymentMethod === command.paymentMethod;
        expect(events).to.have.length(repeat ? 0 : 1);
        const after = fold(reservationDecider, events, state);
        expect(expected).to.include(after.status);
      });
    }
  }

  for (const type of RESERVATION_COMMAND_TYPES) {
    it(`NONE × ${type} ${type === 'RequestReservation' ? 'starts the stream in HELD' : 'is NotFound'}`, () => {
      const state = reservationDecider.initialState();
      const command = sampleCommand(type, state, at(0));
      if (type === 'RequestReservation') {
        const after = fold(reservationDecider, reservationDecider.decide(command, state), state);
        expect(after.status).to.equal('HELD');
      } else {
        expect(() => reservationDecider.decide(command, state)).to.throw(NotFoundError);
      }
    });
  }
});
