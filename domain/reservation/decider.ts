import type { Decider } from '../shared/decider.ts';
import type { ReservationCommand } from './commands.ts';
import { decideReservation } from './decide.ts';
import type { ReservationEvent } from './events.ts';
import { evolve } from './evolve.ts';
import type { ReservationState } from './state.ts';
import { initialReservationState } from './state.ts';
import type { TtlPolicy } from './ttl.ts';
import { DEFAULT_TTL_POLICY } from './ttl.ts';

export type ReservationDecider = Decider<ReservationCommand, ReservationEvent, ReservationState>;

/** The Reservation decider for the `reservation-{id}` stream; the TTL policy is injectable for tests and tuning. */
export const createReservationDecider = (
  policy: TtlPolicy = DEFAULT_TTL_POLICY,
): ReservationDecider => ({
  decide: (command, state) => decideReservation(command, state, policy),
  evolve,
  initialState: initialReservationState,
});

export const reservationDecider: ReservationDecider = createReservationDecider();
