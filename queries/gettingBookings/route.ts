import { z } from 'zod';
import { NotFoundError } from '../../domain/shared/errors.ts';
import { canAccess, type Principal } from '../../domain/access/principal.ts';
import { positionSchema } from '../../commands/shared/httpSchemas.ts';
import { defineRoute, type RouteModule } from '../../commands/shared/route.ts';
import { findBookings, type BookingKey, type BookingReadDeps, type BookingView } from './query.ts';

/** How long a read waits for the projection to reach `X-Min-Position`, ms. */
const READ_YOUR_WRITES_MS = 2_000;
const ROLES = ['guest', 'vendor', 'partner', 'admin', 'auditor', 'analyst'] as const;

const headers = z.object({
  'x-min-position': positionSchema.optional(),
});
const id = z.string().min(1).max(128);
const listQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) });

const ownerOf = (b: BookingView) => ({
  guestId: b.guestId,
  vendorId: b.vendorId,
  partnerId: b.partnerId,
});
const visibleTo = (principal: Principal) => (b: BookingView) =>
  canAccess(principal, ownerOf(b), 'read');

/**
 * Waits (up to 2 s) for the bookings projection to reach the caller's last
 * write, then reads; the answer says how far the projection was and, when it
 * was still behind, `stale: true` instead of passing an old answer off as fresh.
 */
const readAtLeast = async <T>(
  deps: BookingReadDeps,
  minPosition: string | undefined,
  read: () => Promise<T>,
): Promise<{ value: T; stale: boolean; headers: Record<string, string> }> => {
  const wait =
    minPosition === undefined
      ? undefined
      : await deps.waitForPosition('bookings', minPosition, READ_YOUR_WRITES_MS);
  const value = await read();
  const position = wait?.position;
  return {
    value,
    stale: wait !== undefined && !wait.reached,
    headers: position === undefined ? {} : { 'x-projection-position': position },
  };
};

const getOne = (deps: BookingReadDeps, path: string, key: BookingKey, summary: string) =>
  defineRoute({
    method: 'get',
    path,
    summary,
    tags: ['bookings'],
    auth: ROLES,
    params: z.object({ value: id }),
    headers,
    responses: { 200: { description: 'The booking' }, 404: { description: 'No such booking' } },
    handler: async ({ params, headers: h, principal }) => {
      const read = await readAtLeast(deps, h['x-min-position'], () =>
        findBookings(deps, key, params.value, 1),
      );
      const booking = read.value[0];
      // Someone else's booking reads as absent: its existence is not the caller's business.
      if (booking === undefined || !visibleTo(principal)(booking)) {
        throw new NotFoundError(`No booking ${params.value} is visible to this caller.`, {
          stale: read.stale,
        });
      }
      return { status: 200, headers: read.headers, body: { ...booking, stale: read.stale } };
    },
  });

const getList = (deps: BookingReadDeps, path: string, key: BookingKey, summary: string) =>
  defineRoute({
    method: 'get',
    path,
    summary,
    tags: ['bookings'],
    auth: ROLES,
    params: z.object({ value: id }),
    query: listQuery,
    headers,
    responses: { 200: { description: 'Bookings, by start' } },
    handler: async ({ params, query, headers: h, principal }) => {
      const read = await readAtLeast(deps, h['x-min-position'], () =>
        findBookings(deps, key, params.value, query.limit),
      );
      const bookings = read.value.filter(visibleTo(principal));
      return { status: 200, headers: read.headers, body: { bookings, stale: read.stale } };
    },
  });

/** Seed 002's booking reads over the bookings projection, with read-your-writes. */
export const getBookingReadRoutes = (deps: BookingReadDeps): RouteModule[] => [
  getOne(
    deps,
    '/api/v1/bookings/reference/{value}',
    'booking_reference',
    'A booking by its reference',
  ),
  getList(deps, '/api/v1/bookings/guest/{value}', 'guest_id', "A guest's bookings"),
  getList(deps, '/api/v1/bookings/venue/{value}', 'resource_id', "A venue's (resource's) bookings"),
  getOne(deps, '/api/v1/bookings/{value}', 'id', 'A booking by id'),
];
