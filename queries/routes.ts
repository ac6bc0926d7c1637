import type { RouteModule } from '../commands/shared/route.ts';
import { getCheckAvailabilityRoute } from './checkingAvailability/route.ts';
import { getBookingReadRoutes } from './gettingBookings/route.ts';
import { getCatalogueRoutes } from './listingResources/route.ts';
import { getPricingQuoteRoute } from './pricingQuote/route.ts';
import { getInventoryReadRoutes } from './queryingInventory/route.ts';
import { getSearchRoute } from './searching/route.ts';
import type { ReadSideDeps } from './shared/ports.ts';
import { createReadContext } from './shared/readContext.ts';
import { getVendorAvailabilityRoute } from './vendorAvailability/route.ts';

/**
 * Every read route, for the composition root. Call it once: the routes share
 * one read context (its caches).
 */
export const getReadRoutes = (deps: ReadSideDeps): RouteModule[] => {
  const context = createReadContext(deps);
  return [
    // ── read route factories (one line per use case) ──
    getVendorAvailabilityRoute(context),
    getSearchRoute(context),
    getPricingQuoteRoute(context),
    getCheckAvailabilityRoute(context),
    ...getBookingReadRoutes({
      sql: deps.sql,
      liveTable: (base) => deps.liveTable(base),
      waitForPosition: (name, position, timeoutMs) =>
        deps.positions.waitForPosition(name, position, timeoutMs),
      guestDirectory: deps.guestDirectory,
    }),
    ...getInventoryReadRoutes(deps, context),
    ...getCatalogueRoutes({
      sql: deps.sql,
      liveTable: (table) => deps.liveTable(table),
      positions: deps.positions,
    }),
    // ── end of read route factories ──
  ];
};
