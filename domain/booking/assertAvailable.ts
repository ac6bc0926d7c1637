import { availabilityOf, type SlotUsageSummary } from '../availability/availability.ts';
import { checkTimedSlot } from '../availability/timed.ts';
import type { CalendarSource } from '../availability/timedInput.ts';
import type { ResourceConfig } from '../resource/schema.ts';
import { ConflictError, ValidationError } from '../shared/errors.ts';
import type { SlotKey } from '../shared/streams.ts';
import { toIsoInstant, type EpochMillis } from '../shared/time.ts';
import type { ResolvedHoldPeriod } from './holdPeriod.ts';

export interface BookableRequest {
  readonly resourceId: string;
  readonly config: ResourceConfig;
  readonly period: ResolvedHoldPeriod;
  readonly quantity: number;
  readonly now: EpochMillis;
  /**
   * Usage of every slot of the period (and, for timed resources, its buffer
   * neighbours), not counting the asking reservation's own holds and bookings.
   */
  readonly usage: ReadonlyMap<SlotKey, SlotUsageSummary>;
  /** Imported busy time around the period (timed resources only). */
  readonly calendars: readonly CalendarSource[];
}

const unavailable = (
  resourceId: string,
  what: string,
  details: Record<string, unknown>,
): ConflictError =>
  new ConflictError(
    'SLOT_UNAVAILABLE',
    `Resource ${resourceId} cannot be booked for ${what} (see details.reasons); choose other times or fewer units.`,
    { resourceId, ...details },
  );

/** Why a requested start the grid does not list is refused: outside the hours (or a closed day), else off the grid. */
const offGrid = (request: BookableRequest, start: EpochMillis): readonly string[] => {
  const { config, now, quantity } = request;
  const slot = checkTimedSlot(
    { resource: config, now, quantity, bookings: [], holds: [], calendars: [] },
    start,
  );
  if (slot.reasons.includes('OUTSIDE_HOURS') || slot.reasons.includes('CLOSED'))
    return slot.reasons.filter((r) => r === 'OUTSIDE_HOURS' || r === 'CLOSED');
  throw new ValidationError(
    `${toIsoInstant(start)} is not the start of a slot: slots of ${config.slotMinutes} minutes start at the opening time; pick a start on that grid.`,
    { slotStart: toIsoInstant(start) },
    'SLOT_NOT_ALIGNED',
  );
};

/**
 * The availability check of a hold or a rebooking (DESIGN.md "Availability"),
 * through the same `availabilityOf` the read side answers with: 409
 * SLOT_UNAVAILABLE with the reasons when refused, 400 SLOT_NOT_ALIGNED for a
 * timed start off the slot grid. The slot decider re-checks capacity at append.
 */
export const assertAvailable = (request: BookableRequest): void => {
  const { period, config, quantity, now, usage, calendars, resourceId } = request;
  if (period.kind === 'timed') {
    const from = period.starts[0] ?? 0;
    const to = (period.starts.at(-1) ?? 0) + period.slotMs;
    const answer = availabilityOf({
      config,
      period: { kind: 'timed', from, to },
      quantity,
      now,
      usage,
      calendars,
    });
    if (answer.kind !== 'timed') throw new Error('A timed period gave a nightly answer.');
    const bySlot = new Map(answer.slots.map((s) => [s.slotKey, s]));
    const refused: { slotKey: string; reasons: readonly string[] }[] = [];
    period.starts.forEach((start, i) => {
      const slotKey = period.slotKeys[i] ?? '';
      const slot = bySlot.get(slotKey);
      if (slot === undefined) refused.push({ slotKey, reasons: offGrid(request, start) });
      else if (!slot.isAvailable) refused.push({ slotKey, reasons: slot.reasons });
    });
    if (refused.length > 0) {
      throw unavailable(resourceId, `${period.startsAt} → ${period.endsAt}`, {
        reasons: [...new Set(refused.flatMap((s) => s.reasons))],
        slots: refused,
      });
    }
    return;
  }
  const answer = availabilityOf({
    config,
    period: { kind: 'nightly', checkIn: period.checkIn, checkOut: period.checkOut },
    quantity,
    now,
    usage,
    calendars: [],
  });
  if (answer.kind !== 'nightly' || answer.bookable) return;
  const nights = answer.nights.filter((n) => n.reasons.length > 0);
  throw unavailable(resourceId, `${period.checkIn} → ${period.checkOut}`, {
    reasons: [...new Set([...answer.reasons, ...nights.flatMap((n) => n.reasons)])],
    nights,
  });
};
