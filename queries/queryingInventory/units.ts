import { openIntervals } from '../../domain/availability/openHours.ts';
import type { ResourceConfig } from '../../domain/resource/schema.ts';
import { timedSlotKey, timedSlotStart } from '../../domain/shared/streams.ts';
import {
  addDays,
  daysBetween,
  localToEpochMillis,
  MINUTE_MS,
  toIsoInstant,
  type EpochMillis,
} from '../../domain/shared/time.ts';
import type { SlotUsage } from '../shared/slotUsage.ts';
import type { DateRange } from './dates.ts';

/** One night or one timed slot as the inventory query answers it. */
export interface InventoryUnit {
  readonly slotKey: string;
  /** The local date the night or slot belongs to. */
  readonly date: string;
  /** Timed slots only: the slot's start and end as UTC instants. */
  readonly startTime?: string;
  readonly endTime?: string;
  readonly capacity: number;
  /** Units under holds still active now; expired holds are not counted even before HoldExpired. */
  readonly held: number;
  readonly booked: number;
  /** `capacity − held − booked`, never below 0; 0 when closed. */
  readonly available: number;
  readonly closed: boolean;
}

const toUnit = (
  slotKey: string,
  config: ResourceConfig,
  usage: SlotUsage | undefined,
  times?: { readonly start: EpochMillis; readonly end: EpochMillis },
): InventoryUnit => {
  // A slot nothing ever happened to has no read-model row: the resource's capacity, all free.
  const u = usage ?? { capacity: config.capacity, closed: false, booked: 0, held: 0, holds: [] };
  return {
    slotKey,
    date: slotKey.slice(0, 10),
    ...(times && { startTime: toIsoInstant(times.start), endTime: toIsoInstant(times.end) }),
    capacity: u.capacity,
    held: u.held,
    booked: u.booked,
    available: u.closed ? 0 : Math.max(0, u.capacity - u.held - u.booked),
    closed: u.closed,
  };
};

const nightlyUnits = (
  config: ResourceConfig,
  range: DateRange,
  usage: ReadonlyMap<string, SlotUsage>,
): InventoryUnit[] =>
  Array.from({ length: daysBetween(range.from, range.to) }, (_, i) => addDays(range.from, i)).map(
    (night) => toUnit(night, config, usage.get(night)),
  );

/**
 * The resource's slot grid over the days (each opening cut into whole slots
 * from the opening, as the write side and vendor availability cut it), plus
 * any slot the read model knows that is off today's grid: a hold placed before
 * the hours changed still uses capacity and must show.
 */
const timedUnits = (
  config: ResourceConfig,
  range: DateRange,
  usage: ReadonlyMap<string, SlotUsage>,
): InventoryUnit[] => {
  const from = localToEpochMillis(range.from, 0, config.zone);
  const to = localToEpochMillis(range.to, 0, config.zone);
  const length = config.slotMinutes * MINUTE_MS;
  const starts = new Map<string, EpochMillis>();
  for (const open of openIntervals(
    config.zone,
    config.weeklyHours,
    config.dateOverrides,
    from,
    to,
  )) {
    for (let start = open.start; start + length <= open.end; start += length) {
      if (start >= from && start < to) starts.set(timedSlotKey(start, config.zone), start);
    }
  }
  for (const slotKey of usage.keys()) {
    const date = slotKey.slice(0, 10);
    if (!starts.has(slotKey) && date >= range.from && date < range.to) {
      starts.set(slotKey, timedSlotStart(slotKey, config.zone));
    }
  }
  return [...starts]
    .sort(([, a], [, b]) => a - b)
    .map(([slotKey, start]) =>
      toUnit(slotKey, config, usage.get(slotKey), { start, end: start + length }),
    );
};

/** Every night or slot of the range with its counts; untouched ones at full capacity. */
export const inventoryUnits = (
  config: ResourceConfig,
  range: DateRange,
  usage: ReadonlyMap<string, SlotUsage>,
): InventoryUnit[] =>
  config.kind === 'nightly' ? nightlyUnits(config, range, usage) : timedUnits(config, range, usage);
