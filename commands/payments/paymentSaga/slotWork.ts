import { bufferNeighbourKeys } from '../../../domain/availability/period.ts';
import type { Reservation } from '../../../domain/reservation/state.ts';
import { resourceDecider } from '../../../domain/resource/resourceDecider.ts';
import type { ResourceConfig } from '../../../domain/resource/schema.ts';
import { DomainError } from '../../../domain/shared/errors.ts';
import { resourceStream, slotStream } from '../../../domain/shared/streams.ts';
import { addDays, toEpochMillis } from '../../../domain/shared/time.ts';
import { isActiveHold } from '../../../domain/slot/state.ts';
import { slotDecider } from '../../../domain/slot/slotDecider.ts';
import { assertAvailable } from '../../../domain/booking/assertAvailable.ts';
import { usageOfLoaded } from '../../../domain/booking/loaded.ts';
import { handleCommand, loadStream } from '../../shared/commandHandler.ts';
import { resolveHoldPeriod, type HoldPeriod } from '../../../domain/booking/holdPeriod.ts';
import { loadSlots } from '../../shared/loadSlots.ts';
import type { PaymentSagaDeps } from './sagaDeps.ts';
import { sagaMetadata } from './sagaStream.ts';

export type Revalidation =
  { readonly outcome: 'passed' } | { readonly outcome: 'failed'; readonly reason: string };

/** The resource as configured now, or undefined once it was retired (it sells nothing then). */
export const loadResourceConfig = async (
  deps: PaymentSagaDeps,
  resourceId: string,
): Promise<ResourceConfig | undefined> => {
  const { state } = await loadStream(deps.write, resourceStream(resourceId), resourceDecider);
  return state.status === 'Active' ? state.config : undefined;
};

const periodOf = (reservation: Reservation): HoldPeriod => {
  const first = reservation.slots[0] ?? '';
  const last = reservation.slots.at(-1) ?? first;
  return reservation.resource.kind === 'nightly'
    ? { kind: 'nights', checkIn: first, checkOut: addDays(last, 1) }
    : { kind: 'instants', start: reservation.startsAt, end: reservation.endsAt };
};

/**
 * Seed 004 step 6, the mandatory final check, against the slot streams as
 * they are now: every slot still sellable (hours, closures, capacity,
 * buffers, notice) and still held by this reservation.
 */
export const revalidateSlots = async (
  deps: PaymentSagaDeps,
  reservation: Reservation,
  now: string,
): Promise<Revalidation> => {
  const { resourceId } = reservation.resource;
  const config = await loadResourceConfig(deps, resourceId);
  if (config === undefined)
    return { outcome: 'failed', reason: `Resource ${resourceId} was retired.` };
  try {
    const period = resolveHoldPeriod(config, periodOf(reservation));
    const keys = [...period.slotKeys, ...bufferNeighbourKeys(config, period)];
    const slots = await loadSlots(deps.write, resourceId, keys);
    const nowMs = toEpochMillis(now);
    for (const key of period.slotKeys) {
      const state = slots.get(slotStream(resourceId, key))?.state;
      const hold =
        state?.status === 'Empty' ? undefined : state?.holds.get(reservation.reservationId);
      if (hold === undefined || !isActiveHold(hold, nowMs))
        return { outcome: 'failed', reason: `The hold on slot ${key} is gone or expired.` };
    }
    assertAvailable({
      resourceId,
      config,
      period,
      quantity: reservation.quantity,
      now: nowMs,
      usage: usageOfLoaded(slots, reservation.reservationId),
      calendars: [],
    });
    return { outcome: 'passed' };
  } catch (error) {
    if (error instanceof DomainError && !error.retryable)
      return { outcome: 'failed', reason: error.message };
    throw error;
  }
};

/** Gives every slot back (a hold or a booking); releasing what is already gone decides nothing. */
export const releaseSlots = async (
  deps: PaymentSagaDeps,
  reservation: Reservation,
  reason: string,
  now: string,
  causationId: string,
): Promise<void> => {
  const { reservationId } = reservation;
  for (const key of reservation.slots) {
    await handleCommand(
      deps.write,
      slotStream(reservation.resource.resourceId, key),
      slotDecider,
      (state) =>
        state.status !== 'Empty' && state.bookings.has(reservationId)
          ? { type: 'ReleaseBooking' as const, reservationId, reason, now }
          : { type: 'ReleaseHold' as const, reservationId, reason, now },
      sagaMetadata(reservationId, causationId),
    );
  }
};
