import { PAYMENT_SAGA_EVENTS, type PaymentSagaEvent } from '../../domain/payment/sagaEvents.ts';
import type { QuoteLine } from '../../domain/pricing/quoteSchema.ts';
import type { TaxJurisdiction } from '../../domain/pricing/rules.ts';
import { isIsraeliTouristExempt } from '../../domain/pricing/tax/guestTaxStatus.ts';
import type { ReservationEvent } from '../../domain/reservation/events.ts';
import { daysBetween, localDateOf, toEpochMillis } from '../../domain/shared/time.ts';
import { evolveLedger, type LedgerBooking } from '../ledger/evolve.ts';

/** How a reservation ended up, coarse enough to count: the reservation's status grouped. */
export type BookingOutcome =
  'open' | 'committed' | 'completed' | 'cancelled' | 'no_show' | 'expired' | 'failed';

/**
 * One reservation as analytics keep it (JSON-friendly, no personal data: the
 * guest is reduced to `tourist` or `resident` for VAT). Quote lines are the
 * current ones: a modification replaces them, an extension adds its own.
 */
export interface BookingFacts {
  readonly reservationId: string;
  readonly resourceId: string;
  readonly vendorId: string;
  readonly partnerId: string;
  readonly kind: 'nightly' | 'timed';
  readonly zone: string;
  readonly currency: string;
  readonly slots: readonly string[];
  readonly quantity: number;
  readonly requestedAt: string;
  readonly requestedDate: string;
  /** VAT status of the guest: `tourist` when Israeli tourist zero-rating applies to them. */
  readonly guest: 'tourist' | 'resident';
  /** `IL`, `IL-EILAT` (an Eilat dealer), `DE`…; the resource's jurisdiction when the reservation was requested. */
  readonly jurisdiction: string;
  readonly lines: readonly QuoteLine[];
  readonly outcome: BookingOutcome;
  readonly committedAt: string | null;
  readonly cancelledAt: string | null;
  readonly endedAt: string | null;
  /** Last `reservation-{id}` revision folded: redelivered events change nothing. */
  readonly revision: number;
  readonly ledger: LedgerBooking;
  /** Paid out to the vendor (the saga's payout step), minor units. */
  readonly paidOut: number;
  readonly paidOutAt: string | null;
}

export type AnalyticsReservationEvent = ReservationEvent | PaymentSagaEvent;

export const jurisdictionCode = (j: TaxJurisdiction): string =>
  j.country === 'IL' && j.eilatDealer ? 'IL-EILAT' : j.country;

const ended = (
  facts: BookingFacts,
  outcome: BookingOutcome,
  at: string,
  extra: Partial<BookingFacts> = {},
): BookingFacts => ({ ...facts, outcome, endedAt: facts.endedAt ?? at, ...extra });

/** Extension lines get their own ids, so two extensions never collide with the stay's lines. */
const extensionLines = (lines: readonly QuoteLine[], n: number): QuoteLine[] =>
  lines.map((line) => ({
    ...line,
    id: `ext${n}:${line.id}`,
    ...(line.appliesTo === undefined ? {} : { appliesTo: `ext${n}:${line.appliesTo}` }),
  }));

/** A failure ends a reservation only while it is still open (a later refusal changes nothing). */
const failed = (facts: BookingFacts, at: string): BookingFacts =>
  facts.outcome === 'open' ? ended(facts, 'failed', at) : facts;

const evolveReservation = (
  facts: BookingFacts,
  event: ReservationEvent,
  revision: number,
): BookingFacts => {
  switch (event.type) {
    case 'ReservationCommitted':
      return {
        ...facts,
        outcome: 'committed',
        committedAt: facts.committedAt ?? event.data.committedAt,
      };
    case 'ReservationCompleted':
      return ended(facts, 'completed', event.data.completedAt);
    case 'ReservationMarkedNoShow':
      return ended(facts, 'no_show', event.data.markedAt);
    case 'ReservationCancelled':
      return ended(facts, 'cancelled', event.data.cancelledAt, {
        cancelledAt: event.data.cancelledAt,
      });
    case 'ReservationExpired':
      return ended(facts, 'expired', event.data.expiredAt);
    case 'ReservationModified':
      return {
        ...facts,
        slots: event.data.slots,
        quantity: event.data.quantity,
        lines: event.data.quote.lines,
      };
    case 'ReservationExtended': {
      const n = revision;
      return {
        ...facts,
        slots: [...facts.slots, ...event.data.addedSlots],
        lines: [...facts.lines, ...extensionLines(event.data.additionalQuote.lines, n)],
      };
    }
    case 'VendorDeclined':
      return failed(facts, event.data.declinedAt);
    case 'VendorConfirmationTimedOut':
      return failed(facts, event.data.timedOutAt);
    case 'VendorAuthorizationFailed':
    case 'RequesterAuthorizationFailed':
    case 'CommitFailed':
      return failed(facts, event.data.failedAt);
    case 'AvailabilityRevalidationFailed':
      return failed(facts, event.data.revalidatedAt);
    case 'ReservationRequested':
    case 'VendorNotified':
    case 'VendorConfirmed':
    case 'AuthorizationRequested':
    case 'PaymentMethodProvided':
    case 'VendorAuthorized':
    case 'RequesterAuthorized':
    case 'AvailabilityRevalidated':
    case 'CommitStarted':
    case 'ReservationCheckedIn':
      return facts;
    default: {
      const _never: never = event;
      return _never;
    }
  }
};

const fromRequest = (
  event: Extract<ReservationEvent, { type: 'ReservationRequested' }>,
  revision: number,
  jurisdiction: TaxJurisdiction | undefined,
): BookingFacts => {
  const d = event.data;
  const ledger = evolveLedger(undefined, event).state;
  if (ledger === undefined) throw new Error('The ledger always starts a booking on its request.');
  return {
    reservationId: d.reservationId,
    resourceId: d.resource.resourceId,
    vendorId: d.resource.vendorId,
    partnerId: d.partnerId,
    kind: d.resource.kind,
    zone: d.resource.timeZone,
    currency: d.quote.currency,
    slots: d.slots,
    quantity: d.quantity,
    requestedAt: d.requestedAt,
    requestedDate: localDateOf(toEpochMillis(d.requestedAt), d.resource.timeZone),
    guest: isIsraeliTouristExempt(d.guest.taxStatus) ? 'tourist' : 'resident',
    jurisdiction: jurisdiction === undefined ? 'unknown' : jurisdictionCode(jurisdiction),
    lines: d.quote.lines,
    outcome: 'open',
    committedAt: null,
    cancelledAt: null,
    endedAt: null,
    revision,
    ledger,
    paidOut: 0,
    paidOutAt: null,
  };
};

/**
 * Pure fold of one reservation's analytics facts from its own stream and its
 * payment saga's stream. `jurisdiction` is the resource's at request time;
 * `revision` is the event's stream revision (reservation events only).
 */
export const evolveBookingFacts = (
  facts: BookingFacts | undefined,
  event: AnalyticsReservationEvent,
  revision: number,
  jurisdiction: TaxJurisdiction | undefined,
): BookingFacts | undefined => {
  if (event.type === 'ReservationRequested') {
    return facts ?? fromRequest(event, revision, jurisdiction);
  }
  if (facts === undefined) return undefined;
  if (isSagaEvent(event)) {
    const change = evolveLedger(facts.ledger, event);
    if (change.state === undefined) return facts;
    const payouts = change.entries.filter((e) => e.kind === 'payout');
    const paid = payouts.reduce(
      (sum, e) =>
        sum + e.postings.reduce((s, p) => (p.account === 'vendor_payable' ? s + p.amount : s), 0),
      0,
    );
    return {
      ...facts,
      ledger: change.state,
      paidOut: facts.paidOut + paid,
      paidOutAt: payouts.at(-1)?.at ?? facts.paidOutAt,
    };
  }
  if (revision <= facts.revision) return facts;
  return { ...evolveReservation(facts, event, revision), revision };
};

const SAGA_TYPES: ReadonlySet<string> = new Set(PAYMENT_SAGA_EVENTS.map((d) => d.type));

const isSagaEvent = (event: AnalyticsReservationEvent): event is PaymentSagaEvent =>
  SAGA_TYPES.has(event.type);

/** The stay's local dates: first slot's date and the day after the last slot's date. */
export const stayDates = (facts: BookingFacts): { start: string; end: string; units: number } => {
  const dates = facts.slots.map((key) => key.slice(0, 10)).sort();
  const start = dates[0] ?? facts.requestedDate;
  const last = dates.at(-1) ?? start;
  return { start, end: last, units: facts.slots.length };
};

export const leadDays = (facts: BookingFacts): number =>
  Math.max(0, daysBetween(facts.requestedDate, stayDates(facts).start));
