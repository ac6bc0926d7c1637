import { z } from 'zod';
import { moneySchema } from '../pricing/quoteSchema.ts';
import { cancelledBySchema, instant, reservationStatusSchema } from '../reservation/eventParts.ts';

/**
 * The public integration events: the documented, versioned contract that
 * leaves the process (webhooks, NATS JetStream). They are derived from the
 * internal events by `toPublicEvents` and never expose them. Bump
 * PUBLIC_EVENTS_VERSION on any incompatible change (it is `X-Webhook-Version`).
 */
export const PUBLIC_EVENTS_VERSION = '2026-12-01';

/** Seed 004's partner events, then seed 002's booking events. */
export const PUBLIC_EVENT_TYPES = [
  'reservation.created',
  'reservation.vendor_confirmed',
  'reservation.vendor_authorized',
  'reservation.authorized_both',
  'reservation.committed',
  'reservation.failed',
  'reservation.expired',
  'reservation.cancelled',
  'booking.created',
  'booking.updated',
  'booking.cancelled',
  'booking.status_changed',
  'booking.confirmed',
  'booking.checked_in',
  'booking.completed',
  'booking.expired',
  'booking.extended',
] as const;

export type PublicEventType = (typeof PUBLIC_EVENT_TYPES)[number];

/** What every public event says about its reservation: business facts only, no guest data. */
export const reservationSnapshotSchema = z.object({
  bookingReference: z.string(),
  status: reservationStatusSchema,
  /** The status before this change; null on creation. */
  previousStatus: reservationStatusSchema.nullable(),
  resourceId: z.string(),
  vendorId: z.string(),
  partnerId: z.string(),
  startsAt: instant,
  endsAt: instant,
  quantity: z.number().int().positive(),
  /** What the booking costs now: the quote's total plus any extensions. */
  total: moneySchema,
});

const failureSchema = z.object({
  /** Which step failed, as a stable code (the status without its FAILED_ prefix, lower case). */
  code: z.enum([
    'vendor_timeout',
    'vendor_declined',
    'vendor_auth',
    'requester_auth',
    'availability_changed',
    'commit',
  ]),
});

const extras = {
  'reservation.failed': { failure: failureSchema },
  'reservation.cancelled': { cancelledBy: cancelledBySchema },
  'booking.cancelled': { cancelledBy: cancelledBySchema },
  'booking.updated': {
    /** New total − previous total: positive is owed by the guest, negative is due back. */
    priceDifference: moneySchema,
  },
  'booking.extended': { addedSlots: z.array(z.string()) },
} as const satisfies Partial<Record<PublicEventType, z.ZodRawShape>>;

const dataSchemaOf = (type: PublicEventType) =>
  type in extras
    ? reservationSnapshotSchema.extend(extras[type as keyof typeof extras])
    : reservationSnapshotSchema;

const envelopeOf = <T extends PublicEventType>(type: T) =>
  z.object({
    /** Stable: derived from the internal event's id, the same on every delivery and relay. */
    id: z.string(),
    type: z.literal(type),
    /** The contract version (PUBLIC_EVENTS_VERSION). */
    version: z.literal(PUBLIC_EVENTS_VERSION),
    /** When the change was recorded in the log. */
    occurredAt: instant,
    /** The log position of the change; compare positions only for equality. */
    position: z.string(),
    reservationId: z.string(),
    /** 1, 2, 3… per reservation: consumers order and de-duplicate by it. */
    reservationVersion: z.number().int().positive(),
    data: dataSchemaOf(type),
  });

/** One zod schema per public event type: the source of docs/events.md and `GET /api/v1/events/schema`. */
export const PUBLIC_EVENT_SCHEMAS = Object.fromEntries(
  PUBLIC_EVENT_TYPES.map((type) => [type, envelopeOf(type)]),
) as { readonly [T in PublicEventType]: ReturnType<typeof envelopeOf<T>> };

export const publicEventSchema = z.discriminatedUnion(
  'type',
  PUBLIC_EVENT_TYPES.map((type) => PUBLIC_EVENT_SCHEMAS[type]) as unknown as [
    ReturnType<typeof envelopeOf<PublicEventType>>,
    ...ReturnType<typeof envelopeOf<PublicEventType>>[],
  ],
);

export type ReservationSnapshot = z.infer<typeof reservationSnapshotSchema>;

/** A public event as sent: the envelope plus the type's data (extras included). */
export interface PublicEvent {
  readonly id: string;
  readonly type: PublicEventType;
  readonly version: typeof PUBLIC_EVENTS_VERSION;
  readonly occurredAt: string;
  readonly position: string;
  readonly reservationId: string;
  readonly reservationVersion: number;
  readonly data: ReservationSnapshot & Readonly<Record<string, unknown>>;
}

/** JSON Schema (draft 2020-12) of every public event type, generated from the zod schemas. */
export const publicEventJsonSchemas = (): Record<PublicEventType, unknown> =>
  Object.fromEntries(
    PUBLIC_EVENT_TYPES.map((type) => [
      type,
      z.toJSONSchema(PUBLIC_EVENT_SCHEMAS[type], { unrepresentable: 'any' }),
    ]),
  ) as Record<PublicEventType, unknown>;
