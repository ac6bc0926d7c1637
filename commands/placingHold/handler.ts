import { BOOKING_REFERENCE_ENTROPY_BYTES } from '../../domain/reservation/bookingReference.ts';
import type { HoldPeriod } from '../../domain/booking/holdPeriod.ts';
import { holdSlotKeys, planHold } from '../../domain/booking/planHold.ts';
import type { Reservation } from '../../domain/reservation/state.ts';
import { loadBooking, preparedOf } from '../shared/bookingWrite.ts';
import { executeSlotWrite } from '../shared/claimSlots.ts';
import type { Checkpoint } from '../shared/eventStore.ts';
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
 * The hold flow, load → plan → execute: the resource, the period's slot
 * streams (and the calendar) → `planHold` (availability, price,
 * RequestReservation, the claim of every slot, all pure) → one atomic append
 * (or the ordered claim), retried from a fresh load when another writer got there first.
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
  const now = writeSide.clock.now().getTime();
  const reservationId = input.reservationId ?? writeSide.ids.uuid();
  const personalData =
    input.personalData && writeSide.personalData
      ? await writeSide.personalData.seal(parties.guestId, reservationId, input.personalData)
      : null;
  const request = {
    reservationId,
    personalData,
    period: input.period,
    quantity: input.quantity,
    guest: {
      guestId: parties.guestId,
      persons: input.guest.persons ?? input.quantity,
      taxStatus: taxStatusOf(input.guest),
    },
    requesterId: parties.requesterId,
    partnerId: parties.partnerId,
    promoCode: input.promoCode ?? null,
    surgeEnabled: writeSide.surgeEnabled ?? true,
  };
  const prepare = async () => {
    const loaded = await loadBooking(
      writeSide,
      input.resourceId,
      (config) => holdSlotKeys(config, input.period).slotKeys,
    );
    // Drawn per attempt: a retry after losing a reference to another booking draws anew.
    const entropy = writeSide.ids.randomBytes(BOOKING_REFERENCE_ENTROPY_BYTES);
    return preparedOf(planHold(loaded, request, now, entropy), loaded.slots);
  };
  const outcome = await executeSlotWrite(writeSide, prepare, metadataFor(caller));
  return { reservation: outcome.result, position: outcome.position };
};
