import type { Quote } from '../../../../domain/pricing/quoteSchema.ts';
import type { CancellationPolicy } from '../../../../domain/pricing/rules.ts';
import { reservationDecider } from '../../../../domain/reservation/decider.ts';
import type { ReservationCommand } from '../../../../domain/reservation/commands.ts';
import { resourceDecider } from '../../../../domain/resource/resourceDecider.ts';
import { sampleNightly } from '../../../../domain/resource/testing/sampleResources.ts';
import type { Money } from '../../../../domain/shared/money.ts';
import {
  reservationStream,
  resourceStream,
  slotStream,
} from '../../../../domain/shared/streams.ts';
import { slotDecider } from '../../../../domain/slot/slotDecider.ts';
import { handleCommand, type WriteDeps } from '../../../shared/commandHandler.ts';
import type { Clock } from '../../../shared/ports.ts';

/**
 * Bookings made the way the reservation endpoints make them (hold the slots,
 * then RequestReservation), through handleCommand, for the saga's tests.
 */
export const EUR = (amount: number): Money => ({ amount, currency: 'EUR' });

/** 400.00 accommodation + 40.00 platform fee + 7.20 VAT on the fee = 447.20; the vendor's share is 400.00. */
export const sampleQuote = (quotedAt: string): Quote => {
  const date = '2026-12-24';
  return {
    currency: 'EUR',
    ruleVersion: 'v1',
    taxTableVersion: 'tax-test',
    quotedAt,
    quantity: 1,
    lines: [
      {
        id: 'unit:2026-12-24',
        kind: 'charge',
        component: 'accommodation',
        date,
        amount: EUR(40_000),
        factors: [],
      },
      {
        id: 'fee:platform',
        kind: 'fee',
        component: 'platformFee',
        date,
        amount: EUR(4_000),
        factors: [],
      },
      {
        id: 'vat:fee:platform',
        kind: 'tax',
        component: 'vat',
        date,
        appliesTo: 'fee:platform',
        amount: EUR(720),
        factors: [],
      },
    ],
    subtotal: EUR(40_000),
    fees: EUR(4_000),
    taxes: EUR(720),
    total: EUR(44_720),
  };
};

export interface BookingSpec {
  readonly reservationId: string;
  readonly resourceId: string;
  readonly policy: 'instant' | 'vendor';
  /** Vendor deposit in minor units, or null for none. */
  readonly deposit: number | null;
  readonly cancellationPolicy?: CancellationPolicy;
  readonly vendorId?: string;
  /**
   * The token the requester provides right after the request (as `POST
   * /reservations/{id}/confirm` would); default `pm_card_visa`, null to
   * provide none (the saga then waits in AWAITING_REQUESTER_AUTH).
   */
  readonly paymentMethod?: string | null;
  /** Accommodation price in minor units (default 40 000: a 44 720 total). */
  readonly accommodation?: number;
  /** Record the policy in force on the reservation (default); false makes a reservation as recorded before v3. */
  readonly snapshotPolicy?: boolean;
}

const SLOTS = ['2026-12-24', '2026-12-25'];
const meta = { actor: { principal: 'test', role: 'partner' as const } };

const configOf = (spec: BookingSpec) =>
  sampleNightly({
    vendorId: spec.vendorId ?? 'vendor-1',
    capacity: 1,
    confirmationPolicy: spec.policy,
    vendorDeposit: spec.deposit === null ? null : EUR(spec.deposit),
    ...(spec.cancellationPolicy ? { cancellationPolicy: spec.cancellationPolicy } : {}),
  });

export const registerResource = async (deps: WriteDeps, clock: Clock, spec: BookingSpec) => {
  await handleCommand(
    deps,
    resourceStream(spec.resourceId),
    resourceDecider,
    {
      type: 'RegisterResource',
      resourceId: spec.resourceId,
      now: clock.now().toISOString(),
      config: configOf(spec),
    },
    meta,
  );
};

/**
 * A quote like {@link sampleQuote} for `accommodation` minor units: a 10%
 * platform fee and 18% VAT on the fee (40 000 → 44 720).
 */
export const quoteFor = (quotedAt: string, accommodation: number): Quote => {
  const sample = sampleQuote(quotedAt);
  const fee = Math.round(accommodation / 10);
  const vat = Math.round((fee * 18) / 100);
  const amounts = [accommodation, fee, vat];
  return {
    ...sample,
    lines: sample.lines.map((line, i) => ({ ...line, amount: EUR(amounts[i] ?? 0) })),
    subtotal: EUR(accommodation),
    fees: EUR(fee),
    taxes: EUR(vat),
    total: EUR(accommodation + fee + vat),
  };
};

/** Registers the resource, holds both nights and requests the reservation. */
export const placeBooking = async (deps: WriteDeps, clock: Clock, spec: BookingSpec) => {
  await registerResource(deps, clock, spec);
  const now = clock.now().toISOString();
  const minutes = spec.policy === 'vendor' ? 10 : 15;
  const expiresAt = new Date(clock.now().getTime() + minutes * 60_000).toISOString();
  for (const slotKey of SLOTS) {
    await handleCommand(
      deps,
      slotStream(spec.resourceId, slotKey),
      slotDecider,
      {
        type: 'PlaceHold',
        resourceId: spec.resourceId,
        slotKey,
        resourceCapacity: 1,
        reservationId: spec.reservationId,
        quantity: 1,
        expiresAt,
        now,
      },
      meta,
    );
  }
  await reservationCommand(deps, {
    type: 'RequestReservation',
    reservationId: spec.reservationId,
    now,
    resource: {
      resourceId: spec.resourceId,
      vendorId: spec.vendorId ?? 'vendor-1',
      kind: 'nightly',
      confirmationPolicy: spec.policy,
      vendorDeposit: spec.deposit === null ? null : EUR(spec.deposit),
      timeZone: 'Europe/Berlin',
    },
    slots: SLOTS,
    quantity: 1,
    startsAt: '2026-12-23T23:00:00.000Z',
    endsAt: '2026-12-25T23:00:00.000Z',
    guest: { guestId: 'guest-1', persons: 2, taxStatus: { citizenships: [], israeliVisa: null } },
    requesterId: 'requester-1',
    partnerId: 'partner-1',
    quote: spec.accommodation === undefined ? sampleQuote(now) : quoteFor(now, spec.accommodation),
    promoCode: null,
    ...(spec.snapshotPolicy === false
      ? {}
      : { cancellationPolicy: configOf(spec).cancellationPolicy }),
    referenceEntropy: new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]),
  });
  const paymentMethod = spec.paymentMethod === undefined ? 'pm_card_visa' : spec.paymentMethod;
  if (paymentMethod !== null)
    await reservationCommand(deps, {
      type: 'ProvidePaymentMethod',
      reservationId: spec.reservationId,
      now,
      paymentMethod,
    });
};

/** What the vendor, check-in desk or guest endpoints would send. */
export const reservationCommand = (deps: WriteDeps, command: ReservationCommand) =>
  handleCommand(deps, reservationStream(command.reservationId), reservationDecider, command, meta);
