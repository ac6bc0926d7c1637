import { z } from 'zod';
import { NotFoundError } from '../../domain/shared/errors.ts';
import { canAccess, type Principal } from '../../domain/access/principal.ts';
import { positionSchema } from '../../commands/shared/httpSchemas.ts';
import { defineRoute, type RouteModule } from '../../commands/shared/route.ts';
import { personalDataFieldFor } from '../../commands/shared/personalDataRead.ts';
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

/** A path's one parameter: `{name}` at its end or before its last segment. */
const paramOf = (path: string): string => /\{(\w+)\}/.exec(path)?.[1] ?? 'value';

const getOne = (deps: BookingReadDeps, path: string, key: BookingKey, summary: string) =>
  defineRoute({
    method: 'get',
    path,
    summary,
    tags: ['bookings'],
    auth: ROLES,
    params: z.object({ [paramOf(path)]: id }),
    headers,
    responses: { 200: { description: 'The booking' }, 404: { description: 'No such booking' } },
    handler: async ({ params, headers: h, principal }) => {
      const value = params[paramOf(path)] ?? '';
      const read = await readAtLeast(deps, h['x-min-position'], () =>
        findBookings(deps, key, value, 1),
      );
      const booking = read.value[0];
      // Someone else's booking reads as absent: its existence is not the caller's business.
      if (booking === undefined || !visibleTo(principal)(booking)) {
        throw new NotFoundError(`No booking ${value} is visible to this caller.`, {
          stale: read.stale,
        });
      }
      const personal = await personalDataFieldFor(
        deps.guestDirectory,
        principal,
        ownerOf(booking),
        booking.reservationId,
      );
      return {
        status: 200,
        headers: read.headers,
        body: { ...booking, ...personal, stale: read.stale },
      };
    },
  });

const getList = (deps: BookingReadDeps, path: string, key: BookingKey, summary: string) =>
  defineRoute({
    method: 'get',
    path,
    summary,
    tags: ['bookings'],
    auth: ROLES,
    params: z.object({ [paramOf(path)]: id }),
    query: listQuery,
    headers,
    responses: { 200: { description: 'Bookings, by start' } },
    handler: async ({ params, query, headers: h, principal }) => {
      const read = await readAtLeast(deps, h['x-min-position'], () =>
        findBookings(deps, key, params[paramOf(path)] ?? '', query.limit),
      );
      const bookings = read.value.filter(visibleTo(principal));
      return { status: 200, headers: read.headers, body: { bookings, stale: read.stale } };
    },
  });

/** Seed 002's path of a read, served for its clients beside the documented one. */
const aliasAt = (route: RouteModule, seedPath: string): RouteModule => ({
  ...route,
  path: seedPath,
  aliasOf: route.path,
});

/**
 * Seed 002's booking reads over the bookings projection, with read-your-writes.
 * The lookups by reference, guest and venue are documented at paths of their
 * own: seed 002's `/bookings/reference|guest|venue/{x}` match the same URLs as
 * `/bookings/{id}/cancel` (`/bookings/reference/cancel`), which a router or a
 * generated client cannot tell apart by path; those stay served as aliases.
 */
export const getBookingReadRoutes = (deps: BookingReadDeps): RouteModule[] => {
  const byReference = getOne(
    deps,
    '/api/v1/booking-references/{reference}',
    'booking_reference',
    'A booking by its reference',
  );
  const byGuest = getList(
    deps,
    '/api/v1/guests/{guestId}/bookings',
    'guest_id',
    "A guest's bookings",
  );
  const byVenue = getList(
    deps,
    '/api/v1/venues/{venueId}/bookings',
    'resource_id',
    "A venue's (resource's) bookings",
  );
  return [
    byReference,
    byGuest,
    byVenue,
    aliasAt(byReference, '/api/v1/bookings/reference/{reference}'),
    aliasAt(byGuest, '/api/v1/bookings/guest/{guestId}'),
    aliasAt(byVenue, '/api/v1/bookings/venue/{venueId}'),
    getOne(deps, '/api/v1/bookings/{id}', 'id', 'A booking by id'),
  ];
};
