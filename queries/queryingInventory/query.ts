import { NotFoundError } from '../../domain/shared/errors.ts';
import { addDays } from '../../domain/shared/time.ts';
import type { ReadContext } from '../shared/readContext.ts';
import { resolveFreshness, type Freshness } from '../shared/readYourWrites.ts';
import { loadSlotUsage, nextHoldExpiry } from '../shared/slotUsage.ts';
import { assertRangeFits, type DateRange } from './dates.ts';
import { inventoryUnits, type InventoryUnit } from './units.ts';

export interface InventoryRequest {
  readonly resourceId: string;
  readonly range: DateRange;
  readonly minPosition: string | undefined;
  /** Throws when the caller may not read this vendor's inventory (before any slot is read). */
  readonly assertVisible: (vendorId: string) => void;
  /** Bypass the catalog TTL cache (the answer cache read the stored versions first). */
  readonly fresh?: boolean;
}

export interface InventoryAnswer {
  readonly sku: string;
  readonly resourceId: string;
  readonly vendorId: string;
  readonly kind: 'nightly' | 'timed';
  readonly unit: 'night' | 'slot';
  readonly zone: string;
  readonly dates: { readonly from: string; readonly to: string };
  /** The instant held counts were judged at: holds expiring at or before it are not counted. */
  readonly asOf: string;
  readonly items: readonly InventoryUnit[];
  /** The store that answered the slot counts. */
  readonly source: 'redis' | 'postgres';
  /** True when X-Min-Position was sent and the read models had not reached it within 2 s. */
  readonly stale: boolean;
}

/**
 * Seed 000's inventory query over the availability read model: per night or
 * slot, capacity, active holds, bookings, what is left and whether it is
 * closed. Redis answers when it is warm (and, for read-your-writes, caught
 * up); Postgres otherwise or when Redis fails mid-read.
 */
export const queryInventory = async (
  context: ReadContext,
  request: InventoryRequest,
): Promise<{
  readonly body: InventoryAnswer;
  readonly freshness: Freshness;
  readonly nextExpiry: number | undefined;
}> => {
  const { resourceId, range } = request;
  const freshness = await resolveFreshness(context.deps, request.minPosition, { slots: true });
  const [resource] = await context.resourcesByIds(
    [resourceId],
    freshness.asked || request.fresh === true,
  );
  if (resource === undefined) {
    throw new NotFoundError(
      `No active resource ${resourceId}; sku is the resourceId of a registered resource.`,
      { sku: resourceId, stale: freshness.stale },
      'RESOURCE_NOT_FOUND',
    );
  }
  const { config } = resource;
  request.assertVisible(config.vendorId);
  assertRangeFits(range, config.kind);
  const now = context.deps.clock.now();
  const { usage, source } = await loadSlotUsage(context, freshness.source, {
    resourceIds: [resourceId],
    fromDate: range.from,
    toDate: addDays(range.to, -1),
    now: now.getTime(),
  });
  return {
    body: {
      sku: resourceId,
      resourceId,
      vendorId: config.vendorId,
      kind: config.kind,
      unit: config.kind === 'nightly' ? 'night' : 'slot',
      zone: config.zone,
      dates: range,
      asOf: now.toISOString(),
      items: inventoryUnits(config, range, usage.get(resourceId) ?? new Map()),
      source,
      stale: freshness.stale,
    },
    freshness: { ...freshness, source },
    nextExpiry: nextHoldExpiry(usage.values()),
  };
};
