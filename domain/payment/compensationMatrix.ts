import type { PaymentStep } from './steps.ts';

/**
 * Seed 004 "Failure & Compensation Matrix", one row per line of the seed,
 * plus the two cases of its "Compensation Actions" section (expiry or
 * cancellation before commit; cancellation after commit). The saga looks
 * actions up here and nowhere else: cancel authorizations before capture,
 * refund after. Actions on something that does not exist (no vendor deposit,
 * no capture) are skipped.
 *
 * Our addition: `release-hold` on every failure, so slots come back at once
 * instead of waiting for the hold's TTL (the seed relies on expiry alone).
 * Row 2-3's "extend TTL" is not modelled: notifications are retried within
 * the 10-minute hold (5 attempts ≈ 31 s of backoff).
 */
export interface MatrixRow {
  readonly row: string;
  readonly step: string;
  readonly failurePoint: string;
  readonly actions: readonly PaymentStep[];
  readonly reversibility: 'N/A' | 'Yes' | 'Partial';
}

export const COMPENSATION_MATRIX = [
  {
    row: '1-2',
    step: '1-2',
    failurePoint: 'Reservation creation fails',
    actions: [],
    reversibility: 'N/A',
  },
  {
    row: '2-3',
    step: '2-3',
    failurePoint: 'Vendor notification fails',
    actions: ['vendor-notify'],
    reversibility: 'Yes',
  },
  {
    row: '3',
    step: '3',
    failurePoint: "Vendor doesn't confirm",
    actions: ['release-hold'],
    reversibility: 'Yes',
  },
  {
    row: '4',
    step: '4',
    failurePoint: 'Vendor auth fails',
    actions: ['release-hold'],
    reversibility: 'Yes',
  },
  {
    row: '5',
    step: '5',
    failurePoint: 'Requester auth fails',
    actions: ['vendor-auth-cancel', 'release-hold'],
    reversibility: 'Yes',
  },
  {
    row: '6',
    step: '6',
    failurePoint: 'Availability changed',
    actions: ['vendor-auth-cancel', 'requester-auth-cancel', 'release-hold'],
    reversibility: 'Yes',
  },
  {
    row: '7a',
    step: '7',
    failurePoint: 'Vendor capture fails',
    actions: ['requester-refund', 'vendor-auth-cancel', 'release-hold'],
    reversibility: 'Partial',
  },
  {
    row: '7b',
    step: '7',
    failurePoint: 'Requester capture fails',
    actions: ['vendor-refund', 'requester-auth-cancel', 'release-hold'],
    reversibility: 'Partial',
  },
  {
    row: '7c',
    step: '7',
    failurePoint: 'Both captures fail',
    actions: ['vendor-auth-cancel', 'requester-auth-cancel', 'release-hold'],
    reversibility: 'Yes',
  },
  {
    row: 'expired-before-commit',
    step: '1-6',
    failurePoint: 'Expired or cancelled before commit',
    actions: ['vendor-auth-cancel', 'requester-auth-cancel', 'release-hold'],
    reversibility: 'Yes',
  },
  {
    row: 'cancelled-after-commit',
    step: 'after 7',
    failurePoint: 'Cancelled after commit: refund, never cancel',
    actions: ['vendor-refund', 'release-hold'],
    reversibility: 'Partial',
  },
  {
    row: 'cancelled-by-vendor-after-commit',
    step: 'after 7',
    failurePoint:
      'The vendor cancelled after commit: the guest is refunded in full, the deposit is kept',
    actions: ['release-hold'],
    reversibility: 'Partial',
  },
] as const satisfies readonly MatrixRow[];

export type MatrixRowId = (typeof COMPENSATION_MATRIX)[number]['row'];

export const matrixRow = (row: MatrixRowId): MatrixRow => {
  const found = COMPENSATION_MATRIX.find((r) => r.row === row);
  if (found === undefined)
    throw new Error(
      `Compensation matrix row ${row} is missing; the table is the single source of compensations.`,
    );
  return found;
};
