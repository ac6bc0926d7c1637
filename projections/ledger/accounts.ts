/**
 * The double-entry ledger's accounts (DESIGN.md "Payments"). A posting's
 * amount is signed: debit positive, credit negative; every entry's postings
 * sum to zero, so every booking's do too.
 */
export const LEDGER_ACCOUNTS = [
  'guest_receivable',
  'escrow_held',
  'vendor_payable',
  'platform_revenue',
  'tax_payable',
  'refunds',
  // A disputed charge's money, held apart from escrow while the dispute is open.
  'disputed',
  // What lost disputes took back (like refunds, but decided by the card's bank).
  'dispute_losses',
] as const;

export type LedgerAccount = (typeof LEDGER_ACCOUNTS)[number];

export interface Posting {
  readonly account: LedgerAccount;
  /** Minor units; debit > 0, credit < 0. */
  readonly amount: number;
}

export type EntryKind =
  | 'guest_charged'
  | 'payment_captured'
  | 'vendor_deposit_held'
  | 'refund_paid'
  | 'refund_borne'
  | 'vendor_deposit_returned'
  | 'vendor_deposit_forfeited'
  | 'payout'
  | 'dispute_opened'
  | 'dispute_won'
  | 'dispute_lost'
  | 'dispute_borne';

export interface LedgerEntry {
  /** Deterministic: `{reservationId}/{step}/{attempt}/{kind}`, so redelivery inserts nothing new. */
  readonly entryId: string;
  readonly reservationId: string;
  readonly kind: EntryKind;
  readonly currency: string;
  /** When the money moved (the saga event's instant). */
  readonly at: string;
  readonly postings: readonly Posting[];
}

export const entryTotal = (entry: LedgerEntry): number =>
  entry.postings.reduce((sum, p) => sum + p.amount, 0);
