import type { PaymentSagaEvent } from '../../domain/payment/sagaEvents.ts';
import type { PaymentStep } from '../../domain/payment/steps.ts';
import type { ReservationEvent } from '../../domain/reservation/events.ts';
import type { EntryKind, LedgerEntry, Posting } from './accounts.ts';

/** What one booking's ledger remembers between events. */
export interface LedgerBooking {
  readonly reservationId: string;
  readonly currency: string;
  /** The quote's split of the total: the vendor's share, the platform's fees and the tax on them. */
  readonly split: { readonly total: number; readonly vendor: number; readonly tax: number };
  /** Amount of each step's latest request, keyed `step/attempt`. */
  readonly requested: Readonly<Record<string, number>>;
  /** `step/attempt` of every success already booked: a redelivered event books nothing twice. */
  readonly moved: readonly string[];
  readonly captured: number;
  readonly refunded: number;
}

export type LedgerEvent = ReservationEvent | PaymentSagaEvent;

export interface LedgerChange {
  readonly state: LedgerBooking | undefined;
  readonly entries: readonly LedgerEntry[];
}

/** A part of `amount` in the quote's proportion, rounded down (the platform's part takes the remainder). */
const share = (amount: number, part: number, total: number): number =>
  total === 0 ? 0 : Number((BigInt(amount) * BigInt(part)) / BigInt(total));

/** How `amount` of guest money divides over the liabilities it creates. */
export const partsOf = (booking: LedgerBooking, amount: number) => {
  const { total, vendor, tax } = booking.split;
  const v = share(amount, vendor, total);
  const t = share(amount, tax, total);
  return { vendor: v, tax: t, platform: amount - v - t };
};

const splitOf = (event: Extract<ReservationEvent, { type: 'ReservationRequested' }>) => {
  const q = event.data.quote;
  const fees = new Set(q.lines.filter((l) => l.component === 'platformFee').map((l) => l.id));
  const sum = (pick: (l: (typeof q.lines)[number]) => boolean) =>
    q.lines.filter(pick).reduce((s, l) => s + l.amount.amount, 0);
  const platform = sum((l) => fees.has(l.id));
  // VAT on the platform's commission is the platform's to remit; the rest of the tax travels with the vendor's share.
  const tax = sum((l) => l.kind === 'tax' && l.appliesTo !== undefined && fees.has(l.appliesTo));
  return { total: q.total.amount, vendor: q.total.amount - platform - tax, tax };
};

const entry = (
  b: LedgerBooking,
  step: PaymentStep,
  attempt: number,
  kind: EntryKind,
  at: string,
  postings: readonly Posting[],
): LedgerEntry => ({
  entryId: `${b.reservationId}/${step}/${attempt}/${kind}`,
  reservationId: b.reservationId,
  kind,
  currency: b.currency,
  at,
  postings: nonZeroOrZeroPair(postings),
});

/** Postings that move money; a zero-amount step (a free booking) is still recorded, as one zero pair. */
const nonZeroOrZeroPair = (postings: readonly Posting[]): readonly Posting[] => {
  const moving = postings.filter((p) => p.amount !== 0);
  return moving.length > 0 ? moving : postings.slice(0, 2);
};

/** The money a succeeded step moved, as balanced entries. */
const moneyMoved = (
  b: LedgerBooking,
  step: PaymentStep,
  attempt: number,
  amount: number,
  at: string,
): { entries: LedgerEntry[]; state: LedgerBooking } => {
  const e = (kind: EntryKind, postings: readonly Posting[]) =>
    entry(b, step, attempt, kind, at, postings);
  switch (step) {
    case 'requester-capture':
    case 'settle-capture': {
      const p = partsOf(b, amount);
      return {
        state: { ...b, captured: b.captured + amount },
        entries: [
          e('guest_charged', [
            { account: 'guest_receivable', amount },
            { account: 'vendor_payable', amount: -p.vendor },
            { account: 'platform_revenue', amount: -p.platform },
            { account: 'tax_payable', amount: -p.tax },
          ]),
          e('payment_captured', [
            { account: 'escrow_held', amount },
            { account: 'guest_receivable', amount: -amount },
          ]),
        ],
      };
    }
    case 'requester-refund':
    case 'settle-refund': {
      // After the refund the liabilities are those of what is kept.
      const before = partsOf(b, b.captured - b.refunded);
      const after = partsOf(b, b.captured - b.refunded - amount);
      return {
        state: { ...b, refunded: b.refunded + amount },
        entries: [
          e('refund_paid', [
            { account: 'refunds', amount },
            { account: 'escrow_held', amount: -amount },
          ]),
          e('refund_borne', [
            { account: 'vendor_payable', amount: before.vendor - after.vendor },
            { account: 'platform_revenue', amount: before.platform - after.platform },
            { account: 'tax_payable', amount: before.tax - after.tax },
            { account: 'refunds', amount: -amount },
          ]),
        ],
      };
    }
    case 'vendor-capture':
      return {
        state: b,
        entries: [
          e('vendor_deposit_held', [
            { account: 'escrow_held', amount },
            { account: 'vendor_payable', amount: -amount },
          ]),
        ],
      };
    case 'vendor-refund':
    case 'payout':
      return {
        state: b,
        entries: [
          e(step === 'payout' ? 'payout' : 'vendor_deposit_returned', [
            { account: 'vendor_payable', amount },
            { account: 'escrow_held', amount: -amount },
          ]),
        ],
      };
    case 'vendor-notify':
    case 'vendor-auth':
    case 'requester-auth':
    case 'revalidate':
    case 'vendor-auth-cancel':
    case 'requester-auth-cancel':
    case 'release-hold':
    case 'settle-auth':
    case 'settle-auth-cancel':
      return { state: b, entries: [] };
    default: {
      const _never: never = step;
      return _never;
    }
  }
};

/**
 * The ledger's pure fold for one booking: the quote's split from
 * ReservationRequested, then an entry for every money movement the saga
 * recorded as succeeded (authorizations and cancellations move nothing).
 */
export const evolveLedger = (
  state: LedgerBooking | undefined,
  event: LedgerEvent,
): LedgerChange => {
  if (event.type === 'ReservationRequested') {
    if (state !== undefined) return { state, entries: [] };
    const d = event.data;
    const booking: LedgerBooking = {
      reservationId: d.reservationId,
      currency: d.quote.currency,
      split: splitOf(event),
      requested: {},
      moved: [],
      captured: 0,
      refunded: 0,
    };
    return { state: booking, entries: [] };
  }
  if (state === undefined) return { state, entries: [] };
  if (event.type === 'PaymentStepRequested') {
    const { step, attempt, amount } = event.data;
    if (amount === null) return { state, entries: [] };
    return {
      state: { ...state, requested: { ...state.requested, [`${step}/${attempt}`]: amount.amount } },
      entries: [],
    };
  }
  if (event.type === 'VendorDepositForfeited') {
    const { amount, at } = event.data;
    const key = `vendor-deposit-forfeited/1`;
    if (state.moved.includes(key)) return { state, entries: [] };
    return {
      state: { ...state, moved: [...state.moved, key] },
      entries: [
        {
          entryId: `${state.reservationId}/vendor-deposit/1/vendor_deposit_forfeited`,
          reservationId: state.reservationId,
          kind: 'vendor_deposit_forfeited',
          currency: state.currency,
          at,
          postings: [
            { account: 'vendor_payable', amount: amount.amount },
            { account: 'platform_revenue', amount: -amount.amount },
          ],
        },
      ],
    };
  }
  if (event.type === 'PaymentDisputeOpened' || event.type === 'PaymentDisputeClosed')
    return disputeMoved(state, event);
  if (event.type === 'PaymentStepSucceeded') {
    const { step, attempt, at } = event.data;
    const key = `${step}/${attempt}`;
    const amount = state.requested[key];
    if (amount === undefined || state.moved.includes(key)) return { state, entries: [] };
    const moved = moneyMoved(state, step, attempt, amount, at);
    if (moved.entries.length === 0) return { state, entries: [] };
    return {
      state: { ...moved.state, moved: [...moved.state.moved, key] },
      entries: moved.entries,
    };
  }
  return { state, entries: [] };
};

/**
 * A dispute moves the disputed amount from escrow to `disputed`; won, it goes
 * back to escrow; lost, it is a loss borne like a refund (the liabilities of
 * what is kept shrink in the quote's proportion).
 */
const disputeMoved = (
  state: LedgerBooking,
  event: Extract<LedgerEvent, { type: 'PaymentDisputeOpened' | 'PaymentDisputeClosed' }>,
): LedgerChange => {
  const { disputeId, at, amount } = event.data;
  const kind = event.type === 'PaymentDisputeOpened' ? 'opened' : event.data.outcome;
  const key = `dispute/${disputeId}/${kind}`;
  if (state.moved.includes(key)) return { state, entries: [] };
  const a = amount.amount;
  const make = (entryKind: EntryKind, postings: readonly Posting[]): LedgerEntry => ({
    entryId: `${state.reservationId}/dispute-${disputeId}/1/${entryKind}`,
    reservationId: state.reservationId,
    kind: entryKind,
    currency: state.currency,
    at,
    postings: nonZeroOrZeroPair(postings),
  });
  const moved = { ...state, moved: [...state.moved, key] };
  switch (kind) {
    case 'opened':
      return {
        state: moved,
        entries: [
          make('dispute_opened', [
            { account: 'disputed', amount: a },
            { account: 'escrow_held', amount: -a },
          ]),
        ],
      };
    case 'won':
      return {
        state: moved,
        entries: [
          make('dispute_won', [
            { account: 'escrow_held', amount: a },
            { account: 'disputed', amount: -a },
          ]),
        ],
      };
    case 'lost': {
      const before = partsOf(state, state.captured - state.refunded);
      const after = partsOf(state, state.captured - state.refunded - a);
      return {
        state: { ...moved, refunded: state.refunded + a },
        entries: [
          make('dispute_lost', [
            { account: 'dispute_losses', amount: a },
            { account: 'disputed', amount: -a },
          ]),
          make('dispute_borne', [
            { account: 'vendor_payable', amount: before.vendor - after.vendor },
            { account: 'platform_revenue', amount: before.platform - after.platform },
            { account: 'tax_payable', amount: before.tax - after.tax },
            { account: 'dispute_losses', amount: -a },
          ]),
        ],
      };
    }
    default: {
      const _never: never = kind;
      return _never;
    }
  }
};
