import { bufferNeighbourKeys } from '../../domain/availability/period.ts';
import { calendarDecider, calendarStream } from '../../domain/calendar/calendarDecider.ts';
import { BOOKING_REFERENCE_ENTROPY_BYTES } from '../../domain/reservation/bookingReference.ts';
import {
  bookingReferenceStream,
  claimBookingReference,
} from '../../domain/reservation/bookingReferenceClaim.ts';
import { reservationDecider } from '../../domain/reservation/decider.ts';
import type { Reservation } from '../../domain/reservation/state.ts';
import { reservationStream } from '../../domain/shared/streams.ts';
import { claimSteps, planClaim, type ClaimRequest } from '../../domain/slot/claimPlan.ts';
import { assertAvailable } from '../shared/assertAvailable.ts';
import { executeSlotWrite, type PreparedSlotWrite } from '../shared/claimSlots.ts';
import { loadStream } from '../shared/commandHandler.ts';
import type { Checkpoint } from '../shared/eventStore.ts';
import { NO_STREAM } from '../shared/eventStore.ts';
import { resolveHoldPeriod, type HoldPeriod } from '../../domain/booking/holdPeriod.ts';
import { loadActiveResource, resourceSnapshotOf } from '../shared/loadResource.ts';
import { loadSlots, slotStateOf } from '../shared/loadSlots.ts';
import { priceSlots } from '../shared/priceSlots.ts';
import { toHoldStep } from '../shared/slotSteps.ts';
import { metadataFor, type Caller } from '../shared/writeMetadata.ts';
import type { WriteSide } from '../shared/writeSide.ts';
import { assertBelowHoldCap, partiesOf } from './parties.ts';
import type { GuestPersonalData } from '../../domain/guest/personalData.ts';

/** What the guest tells us; contact details are not recorded in the log (it is forever). */
export interface GuestInput {
  readonly guestId?: string | undefined;
  /** Persons staying (city tax per person); default one per unit. */
  readonly persons?: number | undefined;
  /** ISO 3166 alpha-2, added to `citizenships`. */
  readonly nationality?: string | undefined;
  readonly citizenships?: readonly string[] | undefined;
  /** Israeli visa class (B/2, B/3, B/4 make tourists VAT-exempt on hotel stays). */
  readonly visaType?: string | undefined;
}

export interface PlaceHoldInput {
  readonly resourceId: string;
  readonly period: HoldPeriod;
  readonly quantity: number;
  readonly guest: GuestInput;
  readonly requesterId?: string | undefined;
  readonly promoCode?: string | undefined;
  /** Chosen by the caller when something must be tied to the id first (a hold's webhook endpoint). */
  readonly reservationId?: string | undefined;
  /** Name, contact details, requests: sealed by the PII store, never in the log in clear. */
  readonly personalData?: GuestPersonalData | undefined;
}

export interface HoldPlaced {
  readonly reservation: Reservation;
  readonly position: Checkpoint | undefined;
}

const taxStatusOf = (guest: GuestInput) => ({
  citizenships: [
    ...new Set([...(guest.citizenships ?? []), ...(guest.nationality ? [guest.nationality] : [])]),
  ],
  israeliVisa: guest.visaType ?? null,
});

/**
 * The hold flow: resource → slot keys → slot streams → availability → price →
 * RequestReservation + the claim of every slot → one atomic append (or the
 * ordered claim), retried from a fresh load when another writer got there first.
 */
export const placeHold = async (
  writeSide: WriteSide,
  input: PlaceHoldInput,
  caller: Caller,
): Promise<HoldPlaced> => {
  const parties = partiesOf(caller.principal, {
    guestId: input.guest.guestId,
    requesterId: input.requesterId,
  });
  await assertBelowHoldCap(writeSide, parties.partnerId);
  const reservationId = input.reservationId ?? writeSide.ids.uuid();
  const sealed =
    input.personalData && writeSide.personalData
      ? await writeSide.personalData.seal(parties.guestId, reservationId, input.personalData)
      : null;
  const nowDate = writeSide.clock.now();
  const now = nowDate.toISOString();
  const { resourceId, quantity } = input;
  const guest = {
    taxStatus: taxStatusOf(input.guest),
    persons: input.guest.persons ?? quantity,
  };

  const prepare = async (): Promise<PreparedSlotWrite<Reservation>> => {
    // Drawn per attempt: a retry after losing a reference to another booking draws anew.
    const referenceEntropy = writeSide.ids.randomBytes(BOOKING_REFERENCE_ENTROPY_BYTES);
    const resource = await loadActiveResource(writeSide, resourceId);
    const { config } = resource;
    const period = resolveHoldPeriod(config, input.period);
    const [slots, calendar] = await Promise.all([
      loadSlots(writeSide, resourceId, [
        ...period.slotKeys,
        ...bufferNeighbourKeys(config, period),
      ]),
      config.kind === 'timed'
        ? loadStream(writeSide, calendarStream(resourceId), calendarDecider).then((l) => l.state)
        : Promise.resolve(undefined),
    ]);
    assertAvailable({
      resourceId,
      config,
      period,
      quantity,
      now: nowDate.getTime(),
      slots,
      ...(calendar ? { calendar } : {}),
    });
    const quote = priceSlots({
      config,
      resourceId,
      slotKeys: period.slotKeys,
      quantity,
      slots,
      now,
      guest,
      promoCode: input.promoCode ?? null,
      surgeEnabled: writeSide.surgeEnabled ?? true,
    });
    const initial = reservationDecider.initialState();
    const requested = reservationDecider.decide(
      {
        type: 'RequestReservation',
        reservationId,
        now,
        resource: resourceSnapshotOf(resource),
        slots: period.slotKeys,
        quantity,
        startsAt: period.startsAt,
        endsAt: period.endsAt,
        guest: { guestId: parties.guestId, persons: guest.persons, taxStatus: guest.taxStatus },
        requesterId: parties.requesterId,
        partnerId: parties.partnerId,
        quote,
        promoCode: input.promoCode ?? null,
        cancellationPolicy: resource.config.cancellationPolicy,
        referenceEntropy,
        personalData: sealed,
      },
      initial,
    );
    const reservation = requested.reduce(
      (s, e) => reservationDecider.evolve(s, e),
      initial,
    ) as Reservation;
    const claim: ClaimRequest = {
      resourceId,
      resourceCapacity: config.capacity,
      reservationId,
      slotKeys: period.slotKeys,
      quantity,
      // The slot holds end with the reservation's own deadline, so both expire together.
      expiresAt: reservation.expiresAt ?? now,
      now,
    };
    const plan = planClaim(claim, (key) => slotStateOf(slots, resourceId, key));
    if (!plan.ok) throw plan.error;
    return {
      plan: {
        claims: claimSteps(claim).map((step) => toHoldStep(step)),
        aggregates: [
          {
            stream: reservationStream(reservationId),
            expectedRevision: NO_STREAM,
            events: requested,
          },
          {
            stream: bookingReferenceStream(reservation.bookingReference),
            expectedRevision: NO_STREAM,
            events: [claimBookingReference(reservation.bookingReference, reservationId, now)],
          },
        ],
        releases: [],
      },
      slots,
      result: reservation,
    };
  };

  const outcome = await executeSlotWrite(writeSide, prepare, metadataFor(caller));
  return { reservation: outcome.result, position: outcome.position };
};
