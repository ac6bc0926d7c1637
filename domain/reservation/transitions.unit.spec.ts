import { expect } from 'chai';
import { IllegalStateError, NotFoundError } from '../shared/errors.ts';
import { fold } from '../shared/decider.ts';
import { reservationDecider } from './decider.ts';
import { RESERVATION_STATUSES, isTerminal } from './status.ts';
import { at, historyTo, sampleCommand } from './testing/fixtures.ts';
import { RESERVATION_COMMAND_TYPES, TRANSITIONS } from './transitions.ts';

const DAY_LATER = 24 * 60 * 2;

describe('reservation transition table (every state × every command)', () => {
  it('lists every status of DESIGN.md and seed 004 exactly once, plus NONE', () => {
    expect(Object.keys(TRANSITIONS).sort()).to.deep.equal(['NONE', ...RESERVATION_STATUSES].sort());
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
      const transition = TRANSITIONS[status][type];
      const verdict = transition === undefined ? 'refuses' : `accepts → ${transition.to.join('|')}`;
      it(`${status} × ${type} ${verdict}`, () => {
        const policy = transition?.guard === 'instantPolicy' ? 'instant' : 'vendor';
        const { state, lastMinute } = historyTo(status, policy);
        expect(state.status).to.equal(status);
        // Expire must be due to be accepted; everything else comes a minute after the last event.
        const now = at(type === 'Expire' ? lastMinute + DAY_LATER : lastMinute + 1);
        const command = sampleCommand(type, state, now);
        if (transition === undefined) {
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
        expect(transition.to).to.include(after.status);
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
