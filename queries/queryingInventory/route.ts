import { z } from 'zod';
import { assertCanAccess, ROLES } from '../../domain/access/principal.ts';
import { defineRoute, type RouteModule } from '../../commands/shared/route.ts';
import { idSchema } from '../shared/httpSchemas.ts';
import type { ReadSideDeps } from '../shared/ports.ts';
import { createReadContext, type ReadContext } from '../shared/readContext.ts';
import { cachedRead } from '../shared/answerCache.ts';
import { minPositionHeaders } from '../shared/readYourWrites.ts';
import { toDateRange } from './dates.ts';
import { queryInventory } from './query.ts';

const query = z.object({
  sku: idSchema,
  dates: z
    .string()
    .max(40, 'dates is a date or an interval of two dates, e.g. 2026-12-24/2026-12-27.'),
});

/**
 * `GET /api/v1/inventory/query?sku={resourceId}&dates={from}/{to}` (seed 000).
 * Any authenticated role may read inventory (it is what search shows anyway);
 * a vendor only that of their own resources.
 */
const getInventoryQueryRoute = (context: ReadContext): RouteModule =>
  defineRoute({
    method: 'get',
    path: '/api/v1/inventory/query',
    summary: 'Capacity, active holds, bookings and what is left, per night or slot',
    description:
      "sku is a resourceId; dates is one date or an ISO interval of dates whose end is exclusive (2026-12-24/2026-12-27 = the nights of the 24th, 25th and 26th, or the slots of those days). Holds past their expiry are not counted, even before HoldExpired is written. Send X-Min-Position with a write's position to read your own writes.",
    tags: ['inventory'],
    auth: ROLES,
    query,
    headers: minPositionHeaders.extend({ 'if-none-match': z.string().max(2_000).optional() }),
    responses: {
      200: {
        description:
          'One item per night (nightly) or per slot of the opening hours (timed); a strong ETag from the stored versions',
      },
      304: { description: 'Not modified: If-None-Match named the current ETag' },
      400: { description: 'Invalid sku, dates or X-Min-Position (INVALID_REQUEST)' },
      403: { description: "A vendor asked for another vendor's resource (FORBIDDEN)" },
      404: { description: 'No active resource with that id (RESOURCE_NOT_FOUND)' },
    },
    handler: async ({ query: q, headers, principal }) => {
      const range = toDateRange(q.dates);
      const minPosition = headers['x-min-position'];
      return cachedRead(context, {
        request: ['inventoryQuery', q.sku, range],
        // A vendor's answers are cached apart (the access check runs when they are computed).
        visibility: principal.role === 'vendor' ? `vendor:${principal.vendorId ?? ''}` : 'all',
        minPosition,
        ifNoneMatch: headers['if-none-match'],
        compute: (fresh) =>
          queryInventory(context, {
            resourceId: q.sku,
            range,
            minPosition,
            fresh,
            assertVisible: (vendorId) => {
              if (principal.role === 'vendor')
                assertCanAccess(principal, { vendorId }, 'read', "this resource's inventory");
            },
          }),
      });
    },
  });

/**
 * The inventory read routes. Pass the read context `getReadRoutes` built to
 * share its resource cache; without one, a context of their own is made.
 */
export const getInventoryReadRoutes = (
  deps: ReadSideDeps,
  context: ReadContext = createReadContext(deps),
): RouteModule[] => [getInventoryQueryRoute(context)];
