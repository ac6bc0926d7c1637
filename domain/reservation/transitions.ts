import type { ReservationStatus } from './status.ts';

export const RESERVATION_COMMAND_TYPES = [
  'RequestReservation',
  'NotifyVendor',
  'ConfirmByVendor',
  'DeclineByVendor',
  'RequestAuthorization',
  'ProvidePaymentMethod',
  'RecordVendorAuthorization',
  'RecordVendorAuthorizationFailure',
  'RecordRequesterAuthorization',
  'RecordRequesterAuthorizationFailure',
  'Revalidate',
  'BeginCommit',
  'RecordCommitSuccess',
  'RecordCommitFailure',
  'CheckIn',
  'Complete',
  'MarkNoShow',
  'Cancel',
  'Expire',
  'Modify',
  'Extend',
] as const;

export type ReservationCommandType = (typeof RESERVATION_COMMAND_TYPES)[number];

/**
 * A condition beyond the state that the decider checks before accepting:
 * - `vendorPolicy` / `instantPolicy`: the resource's confirmation policy
 *   (DESIGN.md: `instant` skips vendor confirmation).
 * - `revalidatedAfterAuthorizations`: seed 004 step 6, the mandatory final
 *   availability check, passed after the last authorization.
 * - `paymentMethodReplaceable`: a different payment method may replace the
 *   recorded one only until the requester's authorization has started (the
 *   saga starts it as soon as the reservation awaits the requester and knows a
 *   method); repeating the recorded one is always an idempotent no-op.
 */
export type TransitionGuard =
  'vendorPolicy' | 'instantPolicy' | 'revalidatedAfterAuthorizations' | 'paymentMethodReplaceable';

export interface Transition {
  /** Every state the command can lead to from here; the decider picks one by the command's outcome and the policy. */
  readonly to: readonly ReservationStatus[];
  readonly guard?: TransitionGuard;
}

export type StatusOrNone = ReservationStatus | 'NONE';

const PRE_COMMIT_EXITS = {
  Cancel: { to: ['CANCELLED'] },
  Expire: { to: ['EXPIRED'] },
} as const satisfies Partial<Record<ReservationCommandType, Transition>>;

const revalidate = (from: ReservationStatus): Transition => ({
  to: [from, 'FAILED_AVAILABILITY_CHANGED'],
});

/** A self-transition: the requester's payment method is a fact on the reservation, not a step of it. */
const providePaymentMethod = (from: ReservationStatus): Transition => ({
  to: [from],
  guard: 'paymentMethodReplaceable',
});

/**
 * THE transition table: state × command → allowed next states. A command
 * missing from a state's row is refused with IllegalStateError; terminal
 * states have empty rows. `decide` consults only this table for legality, and
 * the exhaustive test walks every cell.
 *
 * Deliberate choices:
 * - Expire in AWAITING_VENDOR_CONFIRMATION is the vendor's timeout
 *   (FAILED_VENDOR_TIMEOUT); elsewhere it is EXPIRED.
 * - COMMIT_IN_PROGRESS accepts neither Cancel nor Expire: captures may already
 *   have happened, so only the commit's own outcome may end it (the saga then
 *   compensates per seed 004's matrix).
 * - ProvidePaymentMethod is accepted in every pre-commit state without moving
 *   it, so the requester may pay up front or when asked; once the commit
 *   begins the authorization is done and the method no longer matters.
 * - CONFIRMED and CHECKED_IN are bookings without a TTL; they end by
 *   completion, no-show or cancellation (seed 002).
 */
export const TRANSITIONS: Readonly<
  Record<StatusOrNone, Partial<Record<ReservationCommandType, Transition>>>
> = {
  NONE: { RequestReservation: { to: ['HELD'] } },
  HELD: {
    NotifyVendor: { to: ['AWAITING_VENDOR_CONFIRMATION'], guard: 'vendorPolicy' },
    RequestAuthorization: {
      to: ['AWAITING_VENDOR_AUTH', 'AWAITING_REQUESTER_AUTH'],
      guard: 'instantPolicy',
    },
    Revalidate: revalidate('HELD'),
    ProvidePaymentMethod: providePaymentMethod('HELD'),
    ...PRE_COMMIT_EXITS,
  },
  AWAITING_VENDOR_CONFIRMATION: {
    ConfirmByVendor: { to: ['CONFIRMED_BY_VENDOR'] },
    DeclineByVendor: { to: ['FAILED_VENDOR_DECLINED'] },
    Revalidate: revalidate('AWAITING_VENDOR_CONFIRMATION'),
    ProvidePaymentMethod: providePaymentMethod('AWAITING_VENDOR_CONFIRMATION'),
    Cancel: { to: ['CANCELLED'] },
    Expire: { to: ['FAILED_VENDOR_TIMEOUT'] },
  },
  CONFIRMED_BY_VENDOR: {
    RequestAuthorization: { to: ['AWAITING_VENDOR_AUTH', 'AWAITING_REQUESTER_AUTH'] },
    Revalidate: revalidate('CONFIRMED_BY_VENDOR'),
    ProvidePaymentMethod: providePaymentMethod('CONFIRMED_BY_VENDOR'),
    ...PRE_COMMIT_EXITS,
  },
  AWAITING_VENDOR_AUTH: {
    RecordVendorAuthorization: { to: ['VENDOR_AUTHORIZED'] },
    RecordVendorAuthorizationFailure: { to: ['FAILED_VENDOR_AUTH'] },
    Revalidate: revalidate('AWAITING_VENDOR_AUTH'),
    ProvidePaymentMethod: providePaymentMethod('AWAITING_VENDOR_AUTH'),
    ...PRE_COMMIT_EXITS,
  },
  VENDOR_AUTHORIZED: {
    RequestAuthorization: { to: ['AWAITING_REQUESTER_AUTH'] },
    Revalidate: revalidate('VENDOR_AUTHORIZED'),
    ProvidePaymentMethod: providePaymentMethod('VENDOR_AUTHORIZED'),
    ...PRE_COMMIT_EXITS,
  },
  AWAITING_REQUESTER_AUTH: {
    RecordRequesterAuthorization: { to: ['AUTHORIZED_BOTH'] },
    RecordRequesterAuthorizationFailure: { to: ['FAILED_REQUESTER_AUTH'] },
    Revalidate: revalidate('AWAITING_REQUESTER_AUTH'),
    ProvidePaymentMethod: providePaymentMethod('AWAITING_REQUESTER_AUTH'),
    ...PRE_COMMIT_EXITS,
  },
  AUTHORIZED_BOTH: {
    Revalidate: revalidate('AUTHORIZED_BOTH'),
    ProvidePaymentMethod: providePaymentMethod('AUTHORIZED_BOTH'),
    BeginCommit: { to: ['COMMIT_IN_PROGRESS'], guard: 'revalidatedAfterAuthorizations' },
    ...PRE_COMMIT_EXITS,
  },
  COMMIT_IN_PROGRESS: {
    RecordCommitSuccess: { to: ['CONFIRMED'] },
    RecordCommitFailure: { to: ['FAILED_COMMIT'] },
  },
  CONFIRMED: {
    CheckIn: { to: ['CHECKED_IN'] },
    Complete: { to: ['COMPLETED'] },
    MarkNoShow: { to: ['NO_SHOW'] },
    Cancel: { to: ['CANCELLED'] },
    Modify: { to: ['CONFIRMED'] },
    Extend: { to: ['CONFIRMED'] },
  },
  CHECKED_IN: {
    Complete: { to: ['COMPLETED'] },
    Cancel: { to: ['CANCELLED'] },
    Extend: { to: ['CHECKED_IN'] },
  },
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

export const transitionFor = (
  status: StatusOrNone,
  command: ReservationCommandType,
): Transition | undefined => TRANSITIONS[status][command];
