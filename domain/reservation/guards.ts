import {
  ConflictError,
  IllegalStateError,
  NotFoundError,
  ValidationError,
} from '../shared/errors.ts';
import type { ReservationCommand } from './commands.ts';
import type { Reservation, ReservationState } from './state.ts';
import { isTerminal } from './status.ts';
import type { Transition, TransitionGuard } from './transitions.ts';
import { RESERVATION_COMMAND_TYPES, transitionFor } from './transitions.ts';
import { isDue } from './ttl.ts';

/** Looks the command up in THE table, refusing with a message that says what is allowed instead. */
export const assertTransition = (
  state: ReservationState,
  command: ReservationCommand,
): Transition => {
  const transition = transitionFor(state.status, command.type);
  if (transition !== undefined) return transition;
  if (state.status === 'NONE') {
    throw new NotFoundError(
      `Reservation ${command.reservationId} does not exist; send RequestReservation before ${command.type}.`,
      { reservationId: command.reservationId },
      'RESERVATION_NOT_FOUND',
    );
  }
  const allowed = RESERVATION_COMMAND_TYPES.filter(
    (type) => transitionFor(state.status, type) !== undefined,
  );
  const why = isTerminal(state.status)
    ? `${state.status} is terminal and accepts no command`
    : `in ${state.status} only ${allowed.join(', ')} are accepted`;
  throw new IllegalStateError(
    `Reservation ${state.reservationId} cannot accept ${command.type}: ${why}.`,
    { reservationId: state.reservationId, status: state.status, command: command.type, allowed },
    'ILLEGAL_TRANSITION',
  );
};

export const assertGuard = (
  guard: TransitionGuard | undefined,
  state: Reservation,
  command: ReservationCommand,
): void => {
  switch (guard) {
    case undefined:
      return;
    case 'vendorPolicy':
      if (state.resource.confirmationPolicy === 'vendor') return;
      throw new IllegalStateError(
        `Reservation ${state.reservationId} is for an instant-confirmation resource, so there is no vendor to notify; send RequestAuthorization instead.`,
        { reservationId: state.reservationId, command: command.type },
        'POLICY_MISMATCH',
      );
    case 'instantPolicy':
      if (state.resource.confirmationPolicy === 'instant') return;
      throw new IllegalStateError(
        `Reservation ${state.reservationId} needs the vendor's confirmation before payment; send NotifyVendor and wait for ConfirmByVendor.`,
        { reservationId: state.reservationId, command: command.type },
        'POLICY_MISMATCH',
      );
    case 'revalidatedAfterAuthorizations':
      if (state.revalidation?.status === 'AUTHORIZED_BOTH') return;
      throw new IllegalStateError(
        `Reservation ${state.reservationId} must pass the final availability check (Revalidate) after both authorizations before the commit begins.`,
        { reservationId: state.reservationId },
        'REVALIDATION_REQUIRED',
      );
    case 'paymentMethodReplaceable':
      assertPaymentMethodReplaceable(state, command);
      return;
    default: {
      const _never: never = guard;
      return _never;
    }
  }
};

/** Whether the saga may already be authorizing with the recorded method (it starts as soon as both are there). */
const requesterAuthorizationStarted = (state: Reservation): boolean =>
  state.status === 'AUTHORIZED_BOTH' ||
  (state.status === 'AWAITING_REQUESTER_AUTH' && state.paymentMethod !== null);

const assertPaymentMethodReplaceable = (state: Reservation, command: ReservationCommand): void => {
  if (command.type !== 'ProvidePaymentMethod' || command.paymentMethod === state.paymentMethod)
    return;
  if (!requesterAuthorizationStarted(state)) return;
  throw new IllegalStateError(
    `Reservation ${state.reservationId} is already being authorized with the payment method provided earlier (${state.status}), so it cannot be replaced; cancel the reservation and book again to pay another way.`,
    { reservationId: state.reservationId, status: state.status },
    'PAYMENT_METHOD_LOCKED',
  );
};

/** Commands that start new work must arrive before the deadline; outcomes of work already started are always recorded. */
const DEADLINE_BOUND = new Set<ReservationCommand['type']>([
  'NotifyVendor',
  'ConfirmByVendor',
  'RequestAuthorization',
  'ProvidePaymentMethod',
  'Revalidate',
  'BeginCommit',
]);

export const assertBeforeDeadline = (state: Reservation, command: ReservationCommand): void => {
  if (!DEADLINE_BOUND.has(command.type) || state.expiresAt === null) return;
  if (isDue(state.expiresAt, command.now)) {
    throw new ConflictError(
      'RESERVATION_EXPIRED',
      `Reservation ${state.reservationId} expired at ${state.expiresAt} (now ${command.now}); request a new reservation.`,
      { reservationId: state.reservationId, expiresAt: state.expiresAt },
    );
  }
};

export const assertSlots = (slots: readonly string[], field: string): void => {
  if (slots.length === 0) throw new ValidationError(`${field} must list at least one slot key.`);
  if (new Set(slots).size !== slots.length) {
    throw new ValidationError(`${field} must not repeat a slot key (got ${slots.join(', ')}).`);
  }
};

export const assertQuantity = (quantity: number): void => {
  if (!Number.isSafeInteger(quantity) || quantity < 1) {
    throw new ValidationError(`quantity must be a positive whole number (got ${quantity}).`);
  }
};

export const assertPeriod = (startsAt: string, endsAt: string): void => {
  if (!(Date.parse(startsAt) < Date.parse(endsAt))) {
    throw new ValidationError(`endsAt must be after startsAt (got ${startsAt} → ${endsAt}).`);
  }
};

export const assertNonEmpty = (value: string, field: string): void => {
  if (value.trim().length === 0)
    throw new ValidationError(`${field} must say why, in a few words.`);
};
