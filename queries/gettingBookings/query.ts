import type { GuestDirectory } from '../../commands/shared/guestDirectory.ts';
import type { Sql } from '../../projections/shared/projection.ts';

/**
 * What the bookings read routes need, built by the composition root:
 * `liveTable` resolves the bookings projection's live versioned table
 * (infra/projections/versions.ts), `waitForPosition` is the projection
 * runner's (read-your-writes).
 */
export interface BookingReadDeps {
  readonly sql: Sql;
  liveTable(base: 'bookings'): Promise<string>;
  waitForPosition(
    projection: 'bookings',
    position: string,
    timeoutMs: number,
  ): Promise<{ readonly reached: boolean; readonly position: string | undefined }>;
  /** Opens one booking's personal data for those allowed to see it; absent → none shown. */
  readonly guestDirectory?: GuestDirectory | undefined;
}

export interface BookingView {
  /** The reservation's id; `id` is kept for seed 002's clients. */
  readonly reservationId: string;
  readonly id: string;
  readonly bookingReference: string;
  readonly status: string;
  readonly resourceId: string;
  readonly vendorId: string;
  readonly partnerId: string;
  readonly requesterId: string;
  readonly guestId: string;
  readonly startsAt: string;
  readonly endsAt: string;
  readonly slots: readonly string[];
  readonly quantity: number;
  readonly total: { readonly amount: number; readonly currency: string };
  readonly version: number;
  readonly position: string;
  readonly requestedAt: string;
}

interface BookingRecord {
  readonly id: string;
  readonly booking_reference: string;
  readonly status: string;
  readonly resource_id: string;
  readonly vendor_id: string;
  readonly partner_id: string;
  readonly requester_id: string;
  readonly guest_id: string;
  readonly starts_at: string;
  readonly ends_at: string;
  readonly slots: readonly string[];
  readonly quantity: number;
  readonly total_amount: string;
  readonly currency: string;
  readonly version: number;
  readonly position: string;
  readonly requested_at: string;
}

const toBookingView = (r: BookingRecord): BookingView => ({
  reservationId: r.id,
  id: r.id,
  bookingReference: r.booking_reference,
  status: r.status,
  resourceId: r.resource_id,
  vendorId: r.vendor_id,
  partnerId: r.partner_id,
  requesterId: r.requester_id,
  guestId: r.guest_id,
  startsAt: r.starts_at,
  endsAt: r.ends_at,
  slots: r.slots,
  quantity: r.quantity,
  total: { amount: Number(r.total_amount), currency: r.currency },
  version: r.version,
  position: r.position,
  requestedAt: r.requested_at,
});

// Instants as ISO 8601 UTC text, so the driver's Date parsing never shifts them.
const COLUMNS = `id, booking_reference, status, resource_id, vendor_id, partner_id, requester_id,
  guest_id, to_char(starts_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS starts_at,
  to_char(ends_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS ends_at,
  state->'reservation'->'slots' AS slots, quantity, total_amount::text AS total_amount, currency,
  version, position,
  to_char(requested_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS requested_at`;

export type BookingKey = 'id' | 'booking_reference' | 'guest_id' | 'resource_id';

/** Bookings whose `key` column equals `value`, by start then id; at most `limit`. */
export const findBookings = async (
  deps: BookingReadDeps,
  key: BookingKey,
  value: string,
  limit: number,
): Promise<BookingView[]> => {
  const table = await deps.liveTable('bookings');
  const { rows } = await deps.sql.query<BookingRecord>(
    `SELECT ${COLUMNS} FROM ${table} WHERE ${key} = $1 ORDER BY starts_at, id LIMIT $2`,
    [value, limit],
  );
  return rows.map(toBookingView);
};
