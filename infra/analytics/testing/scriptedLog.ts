import { reservationCommand } from '../../../commands/payments/paymentSaga/testing/sagaFixtures.ts';
import { handleCommand, type WriteDeps } from '../../../commands/shared/commandHandler.ts';
import type { Clock } from '../../../commands/shared/ports.ts';
import type { Quote, QuoteLine } from '../../../domain/pricing/quoteSchema.ts';
import type { CancellationPolicy, TaxJurisdiction } from '../../../domain/pricing/rules.ts';
import type { GuestTaxStatus } from '../../../domain/pricing/tax/guestTaxStatus.ts';
import { vatDecision } from '../../../domain/pricing/tax/taxRules.ts';
import { resourceDecider } from '../../../domain/resource/resourceDecider.ts';
import { sampleNightly } from '../../../domain/resource/testing/sampleResources.ts';
import { resourceStream, slotStream } from '../../../domain/shared/streams.ts';
import { slotDecider } from '../../../domain/slot/slotDecider.ts';

/**
 * A small, real log for the analytics reports (docs/analytics.md): resources
 * registered and reservations held, requested and paid through the real
 * deciders and the payment saga. Quotes are written out here so the expected
 * figures can be computed by hand in the test.
 */
export interface ScriptedResource {
  readonly resourceId: string;
  readonly vendorId: string;
  readonly currency: string;
  readonly zone: string;
  readonly capacity: number;
  readonly jurisdiction: TaxJurisdiction;
}

export const TOURIST: GuestTaxStatus = { citizenships: ['US'], israeliVisa: 'B/2' };
export const RESIDENT: GuestTaxStatus = { citizenships: ['IL'], israeliVisa: null };

/** Cancelling 48 hours or more before arrival refunds half. */
export const HALF_REFUND: CancellationPolicy = {
  tiers: [{ minHoursBefore: 48, refund: { kind: 'percent', basisPoints: 5_000 } }],
  noShowFee: { kind: 'percent', basisPoints: 10_000 },
};

const meta = { actor: { principal: 'script', role: 'partner' as const } };

export const registerScripted = async (write: WriteDeps, clock: Clock, r: ScriptedResource) =>
  handleCommand(
    write,
    resourceStream(r.resourceId),
    resourceDecider,
    {
      type: 'RegisterResource',
      resourceId: r.resourceId,
      now: clock.now().toISOString(),
      config: sampleNightly({
        vendorId: r.vendorId,
        capacity: r.capacity,
        zone: r.zone,
        currency: r.currency,
        taxJurisdiction: r.jurisdiction,
        cancellationPolicy: HALF_REFUND,
        pricingRules: { ...sampleNightly().pricingRules, currency: r.currency },
      }),
    },
    meta,
  );

/** A night's room line, its VAT and a platform fee with its VAT — the real VAT rule decides rate and reason. */
export const nightLines = (
  r: ScriptedResource,
  guest: GuestTaxStatus,
  night: string,
  room: number,
  fee: number,
): QuoteLine[] => {
  const money = (amount: number) => ({ amount, currency: r.currency });
  const vatLine = (base: QuoteLine): QuoteLine => {
    const vat = vatDecision(
      base.component as 'accommodation' | 'platformFee',
      night,
      r.jurisdiction,
      guest,
      'accommodation',
    );
    return {
      id: `vat:${base.id}`,
      kind: 'tax',
      component: 'vat',
      date: night,
      appliesTo: base.id,
      amount: money(Math.round((base.amount.amount * vat.basisPoints) / 10_000)),
      factors: [
        {
          name: 'vatRate',
          input: vat.reason,
          value: vat.basisPoints,
          unit: 'basisPoints',
          ruleVersion: 't',
        },
      ],
    };
  };
  const unit: QuoteLine = {
    id: `unit:${night}`,
    kind: 'charge',
    component: 'accommodation',
    date: night,
    slotKey: night,
    amount: money(room),
    factors: [],
  };
  const platform: QuoteLine = {
    id: `fee:platform:${night}`,
    kind: 'fee',
    component: 'platformFee',
    date: night,
    amount: money(fee),
    factors: [],
  };
  return [unit, vatLine(unit), platform, vatLine(platform)];
};

export const quoteOf = (currency: string, quotedAt: string, lines: readonly QuoteLine[]): Quote => {
  const sum = (kind: QuoteLine['kind']) =>
    lines.filter((l) => l.kind === kind).reduce((s, l) => s + l.amount.amount, 0);
  const money = (amount: number) => ({ amount, currency });
  return {
    currency,
    ruleVersion: 'scripted',
    taxTableVersion: 'scripted',
    quotedAt,
    quantity: 1,
    lines: [...lines],
    subtotal: money(sum('charge')),
    fees: money(sum('fee')),
    taxes: money(sum('tax')),
    total: money(sum('charge') + sum('fee') + sum('tax')),
  };
};

export interface ScriptedBooking {
  readonly reservationId: string;
  readonly resource: ScriptedResource;
  readonly partnerId: string;
  readonly guest: GuestTaxStatus;
  readonly nights: readonly string[];
  /** Room price per night and platform fee per night, minor units. */
  readonly room: number;
  readonly fee: number;
  /** Provide a payment method (the saga then commits), default true. */
  readonly pay?: boolean;
}

/** Holds every night and requests the reservation; with `pay`, provides the payment method. */
export const bookScripted = async (write: WriteDeps, clock: Clock, b: ScriptedBooking) => {
  const now = clock.now().toISOString();
  const expiresAt = new Date(clock.now().getTime() + 15 * 60_000).toISOString();
  for (const slotKey of b.nights) {
    await handleCommand(
      write,
      slotStream(b.resource.resourceId, slotKey),
      slotDecider,
      {
        type: 'PlaceHold',
        resourceId: b.resource.resourceId,
        slotKey,
        resourceCapacity: b.resource.capacity,
        reservationId: b.reservationId,
        quantity: 1,
        expiresAt,
        now,
      },
      meta,
    );
  }
  const lines = b.nights.flatMap((night) => nightLines(b.resource, b.guest, night, b.room, b.fee));
  const first = b.nights[0] ?? '';
  const last = b.nights.at(-1) ?? first;
  await reservationCommand(write, {
    type: 'RequestReservation',
    reservationId: b.reservationId,
    now,
    resource: {
      resourceId: b.resource.resourceId,
      vendorId: b.resource.vendorId,
      kind: 'nightly',
      confirmationPolicy: 'instant',
      vendorDeposit: null,
      timeZone: b.resource.zone,
    },
    slots: [...b.nights],
    quantity: 1,
    startsAt: `${first}T14:00:00.000Z`,
    endsAt: `${last}T23:59:00.000Z`,
    guest: { guestId: `guest-${b.reservationId}`, persons: 1, taxStatus: b.guest },
    requesterId: 'requester-1',
    partnerId: b.partnerId,
    quote: quoteOf(b.resource.currency, now, lines),
    promoCode: null,
    referenceEntropy: new Uint8Array(
      [...b.reservationId]
        .map((c) => c.charCodeAt(0) % 256)
        .concat([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
        .slice(0, 10),
    ),
  });
  if (b.pay === false) return;
  await reservationCommand(write, {
    type: 'ProvidePaymentMethod',
    reservationId: b.reservationId,
    now,
    paymentMethod: 'pm_card_visa',
  });
};
