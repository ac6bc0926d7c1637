import type { SlotUsageSummary } from '../../domain/availability/availability.ts';
import { addDays, type LocalDate } from '../../domain/shared/time.ts';
import {
  activeHeldOf,
  bookedOf,
  type SlotAvailability,
} from '../../projections/availability/evolve.ts';
import {
  availabilityKey,
  readAvailabilityHash,
} from '../../projections/availability/redisChanges.ts';
import type { ReadContext } from './readContext.ts';
import type { UsageSource } from './readYourWrites.ts';

/**
 * One slot's usage at `now`: what availability (the domain's shared
 * `availabilityOf`, whose input is the `SlotUsageSummary` part) and occupancy
 * pricing read. `holds` lists the holds still active at `now`.
 */
export interface SlotUsage extends SlotUsageSummary {
  /** Σ quantities of the holds still active at `now` (expired ones free their capacity before HoldExpired). */
  readonly held: number;
}

/** The read side's view of one projected slot row at `now`. */
export const usageOfRow = (state: SlotAvailability, now: number): SlotUsage => {
  const holds = Object.values(state.holds)
    .map((h) => ({ quantity: h.quantity, expiresAt: Date.parse(h.expiresAt) }))
    .filter((h) => h.expiresAt > now);
  return {
    capacity: state.capacity,
    closed: state.closed,
    booked: bookedOf(state),
    held: activeHeldOf(state, now),
    holds,
  };
};

/** The earliest expiry after `now` of a hold counted in `usage` (ms): the answer changes then. */
export const nextHoldExpiry = (
  usage: Iterable<ReadonlyMap<string, SlotUsage>>,
): number | undefined => {
  let next: number | undefined;
  for (const slots of usage)
    for (const slot of slots.values())
      for (const hold of slot.holds)
        if (next === undefined || hold.expiresAt < next) next = hold.expiresAt;
  return next;
};

/** Per resource, per slot key; a slot without an entry was never touched (full capacity). */
export type UsageByResource = ReadonlyMap<string, ReadonlyMap<string, SlotUsage>>;

export interface UsageRequest {
  readonly resourceIds: readonly string[];
  /** Local dates, both inclusive (slot keys start with their local date). */
  readonly fromDate: LocalDate;
  readonly toDate: LocalDate;
  readonly now: number;
}

/** Bounds how many Redis hashes or Postgres days one request reads. */
export const MAX_USAGE_DAYS = 400;

const datesOf = (from: LocalDate, to: LocalDate): LocalDate[] => {
  const dates: LocalDate[] = [];
  for (let d = from; d <= to && dates.length < MAX_USAGE_DAYS; d = addDays(d, 1)) dates.push(d);
  return dates;
};

const fromRedis = async (
  context: ReadContext,
  request: UsageRequest,
): Promise<UsageByResource | undefined> => {
  const dates = datesOf(request.fromDate, request.toDate);
  const keys = request.resourceIds.flatMap((id) => dates.map((d) => availabilityKey(id, d)));
  const hashes = await context.deps.hot.readHashes(keys);
  if (hashes === undefined) return undefined;
  const usage = new Map<string, Map<string, SlotUsage>>();
  request.resourceIds.forEach((id, r) => {
    const slots = new Map<string, SlotUsage>();
    dates.forEach((_, d) => {
      const hash = hashes[r * dates.length + d] ?? {};
      for (const { slotKey, ...slot } of readAvailabilityHash(hash, request.now)) {
        slots.set(slotKey, slot);
      }
    });
    usage.set(id, slots);
  });
  return usage;
};

const fromPostgres = async (
  context: ReadContext,
  request: UsageRequest,
): Promise<UsageByResource> => {
  const table = await context.table('availability_slots');
  const { rows } = await context.deps.sql.query<{ state: SlotAvailability }>(
    `SELECT state FROM ${table}
     WHERE resource_id = ANY($1::text[]) AND slot_date BETWEEN $2::date AND $3::date`,
    [request.resourceIds, request.fromDate, request.toDate],
  );
  const usage = new Map<string, Map<string, SlotUsage>>(
    request.resourceIds.map((id) => [id, new Map()]),
  );
  for (const { state } of rows) {
    usage.get(state.resourceId)?.set(state.slotKey, usageOfRow(state, request.now));
  }
  return usage;
};

/**
 * Slot usage from Redis when the chosen source is Redis and it answers, else
 * from Postgres; reports the store that actually answered.
 */
export const loadSlotUsage = async (
  context: ReadContext,
  source: UsageSource,
  request: UsageRequest,
): Promise<{ readonly usage: UsageByResource; readonly source: UsageSource }> => {
  if (request.resourceIds.length === 0) return { usage: new Map(), source };
  if (source === 'redis') {
    const usage = await fromRedis(context, request);
    if (usage !== undefined) return { usage, source };
  }
  return { usage: await fromPostgres(context, request), source: 'postgres' };
};
