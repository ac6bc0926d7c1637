import { z } from 'zod';
import { toEpochMillis } from '../../domain/shared/time.ts';
import { defineRoute, type RouteModule } from '../../commands/shared/route.ts';
import {
  guestQuery,
  idSchema,
  instantSchema,
  localDateSchema,
  quantityQuery,
  toGuestTaxStatus,
} from '../shared/httpSchemas.ts';
import { toQueryPeriod } from '../shared/period.ts';
import type { ReadContext } from '../shared/readContext.ts';
import { freshnessHeaders, minPositionHeaders } from '../shared/readYourWrites.ts';
import { pricingQuote } from './query.ts';

const query = z.object({
  resourceId: idSchema,
  checkIn: localDateSchema.optional(),
  checkOut: localDateSchema.optional(),
  slotStart: instantSchema.optional(),
  slotEnd: instantSchema.optional(),
  quantity: quantityQuery,
  persons: z.coerce.number().int().min(1).max(100).optional(),
  promoCode: z
    .string()
    .regex(/^[A-Za-z0-9_-]{2,32}$/, 'promoCode is 2–32 letters, digits, "_" or "-".')
    .optional(),
  ...guestQuery,
});

/** `GET /api/v1/pricing/quote`: every line with every factor, fee and tax explained. */
export const getPricingQuoteRoute = (context: ReadContext): RouteModule =>
  defineRoute({
    method: 'get',
    path: '/api/v1/pricing/quote',
    summary: 'Quote a stay or timed slots: lines, factors, fees and taxes',
    tags: ['pricing'],
    auth: ['guest', 'partner', 'vendor', 'admin', 'auditor', 'analyst'],
    query,
    headers: minPositionHeaders,
    responses: {
      200: { description: 'The quote and a sentence per line' },
      400: { description: 'Invalid parameters, wrong period shape or an inapplicable promo code' },
      404: { description: 'No such active resource' },
    },
    handler: async ({ query: q, headers }) => {
      const { body, freshness } = await pricingQuote(context, {
        resourceId: q.resourceId,
        period: toQueryPeriod({
          checkIn: q.checkIn,
          checkOut: q.checkOut,
          slotStart: q.slotStart === undefined ? undefined : toEpochMillis(q.slotStart),
          slotEnd: q.slotEnd === undefined ? undefined : toEpochMillis(q.slotEnd),
        }),
        quantity: q.quantity,
        persons: q.persons,
        guest: toGuestTaxStatus(q),
        promoCode: q.promoCode,
        minPosition: headers['x-min-position'],
      });
      return {
        status: 200,
        body,
        headers: { 'Cache-Control': 'no-store', ...freshnessHeaders(freshness) },
      };
    },
  });
