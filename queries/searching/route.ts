import { z } from 'zod';
import { defineRoute, type RouteModule } from '../../commands/shared/route.ts';
import {
  guestQuery,
  idSchema,
  localDateSchema,
  quantityQuery,
  toGuestTaxStatus,
} from '../shared/httpSchemas.ts';
import type { ReadContext } from '../shared/readContext.ts';
import { freshnessHeaders, minPositionHeaders } from '../shared/readYourWrites.ts';
import { createSearchCaches, MAX_PAGE, search } from './query.ts';

const minorUnits = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

const query = z.object({
  checkIn: localDateSchema,
  checkOut: localDateSchema,
  quantity: quantityQuery,
  persons: z.coerce.number().int().min(1).max(100).optional(),
  kind: z.enum(['nightly', 'timed']).default('nightly'),
  city: z.string().trim().min(1).max(100).optional(),
  country: z
    .string()
    .regex(/^[A-Z]{2}$/, 'country is an ISO 3166-1 alpha-2 code, e.g. DE.')
    .optional(),
  q: z.string().trim().min(1).max(200).optional(),
  vendorId: idSchema.optional(),
  /** Only resources priced in this currency; the price range is then in it (ISO 4217). */
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, 'currency is an ISO 4217 code, e.g. EUR.')
    .optional(),
  /** On the total price of the stay, minor units of `currency` (required when matches mix currencies). */
  minPrice: minorUnits.optional(),
  maxPrice: minorUnits.optional(),
  sort: z.enum(['price', 'rating', 'relevance']).default('relevance'),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE).default(20),
  cursor: z.string().min(1).max(2000).optional(),
  ...guestQuery,
});

/** `GET /api/v1/search` (seed 001). */
export const getSearchRoute = (context: ReadContext): RouteModule => {
  const caches = createSearchCaches(context.deps.catalogCacheMs ?? 1_000);
  return defineRoute({
    method: 'get',
    path: '/api/v1/search',
    summary: 'Search bookable resources with the total price of the stay',
    description:
      'Filters (dates, quantity, kind, city/country, text, currency, total price range), sorting by price (grouped by currency), rating or relevance, and an opaque keyset cursor (`nextCursor`). Each result carries the total price of the stay from the quote (factors, fees, VAT). A price range compares amounts in one currency: send `currency` when the matches are priced in several (CURRENCY_REQUIRED otherwise).',
    tags: ['search'],
    auth: ['guest', 'partner', 'vendor', 'admin', 'auditor', 'analyst'],
    query,
    headers: minPositionHeaders,
    responses: {
      200: { description: 'One page of results' },
      400: {
        description:
          'Invalid parameters, a cursor from another search (INVALID_CURSOR) or a price range over several currencies (CURRENCY_REQUIRED)',
      },
    },
    handler: async ({ query: q, headers }) => {
      const { citizenships, israeliVisa, ...rest } = q;
      const { body, freshness } = await search(context, caches, {
        ...rest,
        guest: toGuestTaxStatus({ citizenships, israeliVisa }),
        minPosition: headers['x-min-position'],
      });
      return {
        status: 200,
        body,
        headers: { 'Cache-Control': 'no-store', ...freshnessHeaders(freshness) },
      };
    },
  });
};
