import { z } from 'zod';
import type { Principal } from '../../domain/access/principal.ts';
import type { Caller } from './writeMetadata.ts';
import {
  guestEmailSchema,
  guestLanguageSchema,
  guestNameSchema,
  guestPhoneSchema,
} from '../../domain/guest/personalDataSchema.ts';

/** Stream-safe ids (the `.` separates a slot stream's resource id from its key). */
export const idSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,128}$/, 'Expected 1–128 letters, digits, "_" or "-".');
export const localDateSchema = z.iso.date();
export const localTimeSchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Expected HH:mm.');
export const instantSchema = z.iso.datetime({ offset: true });
export const countryCodeSchema = z
  .string()
  .regex(/^[A-Z]{2}$/, 'Expected an ISO 3166 alpha-2 code.');
export const quantitySchema = z.number().int().min(1).max(1000);
export const promoCodeSchema = z.string().min(1).max(64);
export const reasonSchema = z.string().trim().min(1).max(500);

/** Largest value of a PostgreSQL bigint: each half of a position must fit in one. */
const INT64_MAX = 9_223_372_036_854_775_807n;
const POSITION_PATTERN = /^\d{1,19}:\d{1,19}$/;

/**
 * A log position as writes answer it (`"<transaction_id>:<global_position>"`),
 * e.g. for `X-Min-Position`: two unsigned integers, each within a signed 64-bit
 * integer, so no position a caller sends can overflow the store's columns.
 */
export const positionSchema = z
  .string()
  .regex(
    POSITION_PATTERN,
    'A position is the "position" a write answered: "<transaction_id>:<global_position>", e.g. 812:4031.',
  )
  .refine(
    // zod runs this even when the pattern failed; that case is already reported above.
    (position) =>
      !POSITION_PATTERN.test(position) ||
      position.split(':').every((part) => BigInt(part) <= INT64_MAX),
    `Each half of a position is at most ${INT64_MAX} (a 64-bit integer); send the "position" a write answered.`,
  );

/** Path of every `/…/{id}` reservation route. */
export const reservationIdParams = z.strictObject({ id: idSchema });

/** The guest of a hold: tax facts (recorded in the log) and personal data (sealed by the PII store). */
export const guestSchema = z.strictObject({
  guestId: idSchema.optional(),
  name: guestNameSchema,
  email: guestEmailSchema.optional(),
  phone: guestPhoneSchema.optional(),
  /** BCP 47 tag of the language the guest's messages are written in (`en`, `he`). */
  language: guestLanguageSchema.optional(),
  persons: z.number().int().min(1).max(100).optional(),
  nationality: countryCodeSchema.optional(),
  citizenships: z.array(countryCodeSchema).max(10).optional(),
  visaType: z.string().min(1).max(20).optional(),
});

/** The write's caller from a route context. */
export const callerOf = (context: {
  readonly principal: Principal;
  readonly requestId: string;
  readonly idempotencyKey: string | undefined;
}): Caller => ({
  principal: context.principal,
  requestId: context.requestId,
  idempotencyKey: context.idempotencyKey,
});

/** Documented write responses shared by the reservation routes. */
export const WRITE_ERRORS = {
  400: { description: 'Invalid request' },
  401: { description: 'Missing or invalid credentials' },
  403: { description: 'Not this principal’s reservation or resource' },
  404: { description: 'Unknown reservation or resource' },
  409: { description: 'Refused by the current state (capacity, lifecycle, version)' },
  422: { description: 'Idempotency-Key reused with another request' },
  429: { description: 'Rate limited' },
} as const;
