/**
 * Every state of the reservation lifecycle: DESIGN.md's diagram, seed 004's
 * explicit states (its COMMITTED is our CONFIRMED, as DESIGN.md names it) and
 * seed 002's booking statuses (CHECKED_IN, COMPLETED, NO_SHOW).
 */
export const RESERVATION_STATUSES = [
  'HELD',
  'AWAITING_VENDOR_CONFIRMATION',
  'CONFIRMED_BY_VENDOR',
  'AWAITING_VENDOR_AUTH',
  'VENDOR_AUTHORIZED',
  'AWAITING_REQUESTER_AUTH',
  'AUTHORIZED_BOTH',
  'COMMIT_IN_PROGRESS',
  'CONFIRMED',
  'CHECKED_IN',
  'COMPLETED',
  'NO_SHOW',
  'CANCELLED',
  'EXPIRED',
  'FAILED_VENDOR_TIMEOUT',
  'FAILED_VENDOR_DECLINED',
  'FAILED_VENDOR_AUTH',
  'FAILED_REQUESTER_AUTH',
  'FAILED_AVAILABILITY_CHANGED',
  'FAILED_COMMIT',
] as const;

export type ReservationStatus = (typeof RESERVATION_STATUSES)[number];

export const TERMINAL_STATUSES: ReadonlySet<ReservationStatus> = new Set<ReservationStatus>([
  'COMPLETED',
  'NO_SHOW',
  'CANCELLED',
  'EXPIRED',
  'FAILED_VENDOR_TIMEOUT',
  'FAILED_VENDOR_DECLINED',
  'FAILED_VENDOR_AUTH',
  'FAILED_REQUESTER_AUTH',
  'FAILED_AVAILABILITY_CHANGED',
  'FAILED_COMMIT',
]);

export const isTerminal = (status: ReservationStatus): boolean => TERMINAL_STATUSES.has(status);

/** States before the commit: a TTL runs, nothing has been captured, everything is reversible. */
export const PRE_COMMIT_STATUSES: ReadonlySet<ReservationStatus> = new Set<ReservationStatus>([
  'HELD',
  'AWAITING_VENDOR_CONFIRMATION',
  'CONFIRMED_BY_VENDOR',
  'AWAITING_VENDOR_AUTH',
  'VENDOR_AUTHORIZED',
  'AWAITING_REQUESTER_AUTH',
  'AUTHORIZED_BOTH',
]);
