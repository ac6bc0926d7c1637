import { contentHash } from '../../domain/shared/canonicalJson.ts';
import { NotFoundError, ValidationError } from '../../domain/shared/errors.ts';
import { toEpochMillis, toIsoInstant } from '../../domain/shared/time.ts';
import type { ResourceRow } from '../../projections/resources/evolve.ts';
import { timedSlotsOf, timedUsageDates } from '../shared/computeAvailability.ts';
import type { ReadContext } from '../shared/readContext.ts';
import { resolveFreshness, type Freshness } from '../shared/readYourWrites.ts';
import { loadSlotUsage, nextHoldExpiry, type SlotUsage } from '../shared/slotUsage.ts';

/** Longest window one request may list: bounds the slots computed per request. */
export const MAX_WINDOW_DAYS = 31;

/**
 * Seed 004's `metadata.confidenceThreshold`: slots at or above it may be
 * offered without a caveat; below it (near a buffer, a stale calendar, a hold
 * that may still expire) a client should expect revalidation to refuse more often.
 */
export const CONFIDENCE_THRESHOLD = 0.8;

export interface VendorAvailabilityQuery {
  readonly vendorId: string;
  readonly startTime: string;
  readonly endTime: string;
  readonly slotDuration?: number | undefined;
  readonly resourceId?: string | undefined;
  readonly quantity: number;
  readonly includeConfidence: boolean;
  readonly minPosition: string | undefined;
  /** Bypass the catalog TTL cache (the answer cache read the stored versions first). */
  readonly fresh?: boolean;
}

const assertWindow = (from: number, to: number): void => {
  if (!(from < to))
    throw new ValidationError(
      `endTime must be after startTime (got ${toIsoInstant(from)} → ${toIsoInstant(to)}).`,
    );
  if (to - from > MAX_WINDOW_DAYS * 86_400_000)
    throw new ValidationError(
      `One request lists at most ${MAX_WINDOW_DAYS} days of slots; split the window (got ${toIsoInstant(from)} → ${toIsoInstant(to)}).`,
    );
};

const timedResourcesOf = (
  rows: readonly ResourceRow[],
  query: VendorAvailabilityQuery,
): ResourceRow[] => {
  if (rows.length === 0)
    throw new NotFoundError(
      `Vendor ${query.vendorId} has no active resources; check the vendor id.`,
      {
        vendorId: query.vendorId,
      },
      'VENDOR_NOT_FOUND',
    );
  const timed = rows.filter(
    (r) =>
      r.config.kind === 'timed' &&
      (query.resourceId === undefined || r.resourceId === query.resourceId),
  );
  if (query.resourceId !== undefined && timed.length === 0)
    throw new NotFoundError(
      `Vendor ${query.vendorId} has no active timed resource ${query.resourceId}.`,
      {
        vendorId: query.vendorId,
        resourceId: query.resourceId,
      },
    );
  return timed;
};

/** A resource's own dates out of the union read for all (so its inputs, and computedVersion, are as if read alone). */
const within = (
  usage: ReadonlyMap<string, SlotUsage> | undefined,
  dates: { fromDate: string; toDate: string } | undefined,
): ReadonlyMap<string, SlotUsage> =>
  new Map(
    [...(usage ?? [])].filter(([slotKey]) => {
      const date = slotKey.slice(0, 10);
      return dates !== undefined && dates.fromDate <= date && date <= dates.toDate;
    }),
  );

/** Every slot of the vendor's timed resources in the window, each with reasons and confidence (seed 004). */
export const vendorAvailability = async (context: ReadContext, query: VendorAvailabilityQuery) => {
  const started = performance.now();
  const from = toEpochMillis(query.startTime);
  const to = toEpochMillis(query.endTime);
  assertWindow(from, to);
  const freshness: Freshness = await resolveFreshness(context.deps, query.minPosition, {
    slots: true,
  });
  const fresh = freshness.asked || query.fresh === true;
  const resources = timedResourcesOf(await context.resourcesOfVendor(query.vendorId, fresh), query);
  const now = context.deps.clock.now().getTime();
  // One usage read for every resource (one Redis pipeline or one SQL query), over the union of their dates.
  const dates = resources.map(({ config }) => timedUsageDates(config, from, to));
  const [usage, calendars] = await Promise.all([
    loadSlotUsage(context, freshness.source, {
      resourceIds: resources.map((r) => r.resourceId),
      fromDate: dates.map((d) => d.fromDate).reduce((a, b) => (a < b ? a : b), '9999-12-31'),
      toDate: dates.map((d) => d.toDate).reduce((a, b) => (a > b ? a : b), '0000-01-01'),
      now,
    }),
    Promise.all(resources.map(({ resourceId }) => context.calendarOf(resourceId, fresh))),
  ]);
  const perResource = resources.map(({ resourceId, config }, i) => ({
    resourceId,
    name: config.listing.name,
    result: timedSlotsOf({
      config,
      from,
      to,
      now,
      slotMinutes: query.slotDuration,
      quantity: query.quantity,
      usage: within(usage.usage.get(resourceId), dates[i]),
      calendar: calendars[i] ?? { status: 'Empty' },
      zoneTime: context.zoneTime,
    }),
  }));
  const slots = perResource.flatMap(({ resourceId, result }) =>
    result.slots.map(({ confidence, ...slot }) => ({
      resourceId,
      ...slot,
      ...(query.includeConfidence ? { confidence } : {}),
    })),
  );
  const computedAt = toIsoInstant(now);
  return {
    freshness,
    nextExpiry: nextHoldExpiry(usage.usage.values()),
    body: {
      vendorId: query.vendorId,
      startTime: toIsoInstant(from),
      endTime: toIsoInstant(to),
      computedAt,
      computedVersion: contentHash(
        perResource.map((r) => [r.resourceId, r.result.computedVersion]),
      ),
      slots,
      resources: perResource.map((r) => ({
        resourceId: r.resourceId,
        name: r.name,
        computedVersion: r.result.computedVersion,
      })),
      stale: freshness.stale,
      metadata: {
        confidenceThreshold: CONFIDENCE_THRESHOLD,
        source: resources.length === 0 ? freshness.source : usage.source,
        computationTimeMs: Math.round((performance.now() - started) * 100) / 100,
      },
    },
  };
};
