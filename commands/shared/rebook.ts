import { bufferNeighbourKeys } from '../../domain/availability/period.ts';
import type { ReservationCommand } from '../../domain/reservation/commands.ts';
import { reservationDecider } from '../../domain/reservation/decider.ts';
import type { Reservation, ReservationState } from '../../domain/reservation/state.ts';
import { reservationStream, type SlotKey } from '../../domain/shared/streams.ts';
import { MINUTE_MS, toIsoInstant } from '../../domain/shared/time.ts';
import { assertAvailable } from './assertAvailable.ts';
import { executeSlotWrite, type PreparedSlotWrite } from './claimSlots.ts';
import {
  resolveHoldPeriod,
  type HoldPeriod,
  type ResolvedHoldPeriod,
} from '../../domain/booking/holdPeriod.ts';
import { loadActiveResource, type ActiveResource } from './loadResource.ts';
import { loadSlots, type LoadedSlots } from './loadSlots.ts';
import { priceSlots } from './priceSlots.ts';
import { assertReservationAccess, loadReservation } from './reservationAccess.ts';
import type { ReservationWritten } from './reservationCommand.ts';
import { bookStep, releaseStep } from './slotSteps.ts';
import { metadataFor, type Caller } from './writeMetadata.ts';
import type { WriteSide } from './writeSide.ts';

/**
 * A change of a committed booking (modification, extension) as one slot
 * write: load the reservation, check the caller may write it, then `prepare`
 * the write; a conflict re-runs all of it from the latest state.
 */
export const executeRebooking = async (
  writeSide: WriteSide,
  caller: Caller,
  reservationId: string,
  prepare: (reservation: Reservation, revision: number) => Promise<PreparedSlotWrite<Reservation>>,
): Promise<ReservationWritten> => {
  const outcome = await executeSlotWrite(
    writeSide,
    async () => {
      const { reservation, revision } = await loadReservation(writeSide, reservationId);
      assertReservationAccess(caller.principal, reservation, 'write');
      return prepare(reservation, revision);
    },
    metadataFor(caller),
  );
  return { reservation: outcome.result, position: outcome.position };
};

export interface RebookContext {
  readonly resource: ActiveResource;
  readonly period: ResolvedHoldPeriod;
  readonly slots: LoadedSlots;
}

/**
 * Loads what a change of a committed booking needs (modification, extension):
 * the resource, the new period's slots plus `alsoLoad` (the slots given back)
 * and buffer neighbours, and checks the new period is available, not counting
 * the reservation's own holds and bookings.
 */
export const loadForRebooking = async (
  writeSide: WriteSide,
  reservation: Reservation,
  period: HoldPeriod,
  quantity: number,
  alsoLoad: readonly SlotKey[],
): Promise<RebookContext> => {
  const resourceId = reservation.resource.resourceId;
  const resource = await loadActiveResource(writeSide, resourceId);
  const resolved = resolveHoldPeriod(resource.config, period);
  const slots = await loadSlots(writeSide, resourceId, [
    ...resolved.slotKeys,
    ...alsoLoad,
    ...bufferNeighbourKeys(resource.config, resolved),
  ]);
  assertAvailable({
    resourceId,
    config: resource.config,
    period: resolved,
    quantity,
    now: writeSide.clock.now().getTime(),
    slots,
    forReservationId: reservation.reservationId,
  });
  return { resource, period: resolved, slots };
};

/** Prices slots for an existing reservation, for the same guest (tax status) and promo code it was booked with. */
export const repriceFor = (
  writeSide: WriteSide,
  context: RebookContext,
  slotKeys: readonly SlotKey[],
  reservation: Reservation,
  quantity: number,
) =>
  priceSlots({
    config: context.resource.config,
    resourceId: reservation.resource.resourceId,
    slotKeys,
    quantity,
    slots: context.slots,
    now: writeSide.clock.now().toISOString(),
    guest: { taxStatus: reservation.guest.taxStatus, persons: reservation.guest.persons },
    promoCode: reservation.promoCode,
    surgeEnabled: writeSide.surgeEnabled ?? true,
  });

/**
 * The write of a rebooking: the reservation's event (Modify/Extend) with the
 * slots it claims booked (claimed first) and the slots it gives back released.
 */
export const rebookingWrite = (
  writeSide: WriteSide,
  context: RebookContext,
  reservation: Reservation,
  revision: number,
  command: ReservationCommand,
  toClaim: readonly SlotKey[],
  toRelease: readonly SlotKey[],
  quantity: number,
): PreparedSlotWrite<Reservation> => {
  const events = reservationDecider.decide(command, reservation);
  const state = events.reduce<ReservationState>(
    (s, e) => reservationDecider.evolve(s, e),
    reservation,
  );
  const now = writeSide.clock.now();
  const claim = {
    resourceId: reservation.resource.resourceId,
    resourceCapacity: context.resource.config.capacity,
    reservationId: reservation.reservationId,
    quantity,
    // Booked at once, so the hold's deadline only has to lie in the future.
    expiresAt: toIsoInstant(now.getTime() + 15 * MINUTE_MS),
    now: now.toISOString(),
  };
  const claimed = new Set(toClaim);
  return {
    plan: {
      claims: toClaim.map((key) => bookStep(claim, key, 'MODIFIED')),
      aggregates: [
        {
          stream: reservationStream(reservation.reservationId),
          expectedRevision: revision,
          events,
        },
      ],
      releases: toRelease
        .filter((key) => !claimed.has(key))
        .map((key) =>
          releaseStep(claim.resourceId, key, reservation.reservationId, 'MODIFIED', claim.now),
        ),
    },
    slots: context.slots,
    result: state as Reservation,
  };
};
