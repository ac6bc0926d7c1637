import { z } from 'zod';
import { assertCanAccess } from '../../domain/access/principal.ts';
import { defineRoute, type RouteModule } from '../../commands/shared/route.ts';
import { booleanQuery, idSchema, instantSchema } from '../shared/httpSchemas.ts';
import type { ReadContext } from '../shared/readContext.ts';
import { cachedRead } from '../shared/answerCache.ts';
import { minPositionHeaders } from '../shared/readYourWrites.ts';
import { vendorAvailability } from './query.ts';

const query = z.object({
  startTime: instantSchema,
  endTime: instantSchema,
  /** Minutes; default: each resource's own slot length. */
  slotDuration: z.coerce.number().int().min(5).max(1440).optional(),
  includeConfidence: booleanQuery.default(false),
  resourceId: idSchema.optional(),
  quantity: z.coerce.number().int().min(1).max(100).default(1),
});

/** `GET /api/v1/vendors/{id}/availability` (seed 004). */
export const getVendorAvailabilityRoute = (context: ReadContext): RouteModule =>
  defineRoute({
    method: 'get',
    path: '/api/v1/vendors/{id}/availability',
    summary: "A vendor's timed slots with availability, reasons and confidence",
    description:
      "Computed on each request from the read models (Redis first, Postgres when Redis is down). Send X-Min-Position with a write's position to read your own writes.",
    tags: ['availability'],
    auth: ['guest', 'partner', 'vendor', 'admin', 'auditor'],
    params: z.object({ id: idSchema }),
    query,
    headers: minPositionHeaders.extend({ 'if-none-match': z.string().max(2_000).optional() }),
    responses: {
      200: {
        description:
          'Slots of every active timed resource of the vendor; a strong ETag from the stored versions',
      },
      304: { description: 'Not modified: If-None-Match named the current ETag' },
      400: { description: 'Invalid parameters' },
      404: { description: 'Vendor not found (VENDOR_NOT_FOUND)' },
    },
    handler: async ({ params, query: q, headers, principal }) => {
      if (principal.role === 'vendor')
        assertCanAccess(principal, { vendorId: params.id }, 'read', "this vendor's availability");
      const minPosition = headers['x-min-position'];
      // Every role allowed here sees the same slots: one visibility for all.
      return cachedRead(context, {
        request: ['vendorAvailability', params.id, q],
        visibility: 'all',
        minPosition,
        ifNoneMatch: headers['if-none-match'],
        compute: (fresh) =>
          vendorAvailability(context, { vendorId: params.id, ...q, minPosition, fresh }),
      });
    },
  });
