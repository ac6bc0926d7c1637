import { z } from 'zod';
import {
  cancellationPolicySchema,
  pricingRulesSchema,
  taxJurisdictionSchema,
} from '../pricing/rules.ts';
import { isLocalDate, isLocalTime, isZone, minutesOfDay, WEEKDAYS } from '../shared/time.ts';

/**
 * What a resource is configured with. Shared by its events (where zod checks
 * stored data) and by availability, which reads the hours, buffers and
 * restrictions. Times of day are local to the resource's zone.
 */
export const localDateSchema = z
  .string()
  .refine(isLocalDate, 'Expected a calendar date as YYYY-MM-DD.');
const localTime = z.string().refine(isLocalTime, 'Expected a local time as HH:mm (00:00–24:00).');

// zod runs an object's refinement even when a field failed: compare only valid times.
const bothLocalTimes = (r: { opens: string; closes: string }): boolean =>
  isLocalTime(r.opens) && isLocalTime(r.closes);

/** Open from `opens` to `closes` on the same local day; `closes` may be 24:00. */
export const timeRangeSchema = z
  .object({ opens: localTime, closes: localTime })
  .refine(
    (r) => !bothLocalTimes(r) || minutesOfDay(r.opens) < minutesOfDay(r.closes),
    'A time range must close after it opens.',
  );

export const weeklyHoursSchema = z.array(
  z
    .object({ day: z.enum(WEEKDAYS), opens: localTime, closes: localTime })
    .refine(
      (r) => !bothLocalTimes(r) || minutesOfDay(r.opens) < minutesOfDay(r.closes),
      'Weekly hours must close after they open; split overnight hours at midnight.',
    ),
);

/** Replaces the weekly hours on one date; `hours: []` closes the whole day. */
export const dateOverrideSchema = z.object({
  date: localDateSchema,
  hours: z.array(timeRangeSchema),
});

const closedDaysSchema = z.object({
  dates: z.array(localDateSchema),
  weekdays: z.array(z.enum(WEEKDAYS)),
});

export const stayRestrictionsSchema = z
  .object({
    minNights: z.number().int().min(1),
    /** null: no maximum. */
    maxNights: z.number().int().min(1).nullable(),
    closedToArrival: closedDaysSchema,
    closedToDeparture: closedDaysSchema,
  })
  .refine(
    (s) => s.maxNights === null || s.minNights <= s.maxNights,
    'minNights must not exceed maxNights.',
  );

export const moneySchema = z.object({
  amount: z.number().int(),
  currency: z.string().regex(/^[A-Z]{3}$/),
});

export const listingSchema = z.object({
  name: z.string().min(1).max(200),
  description: z.string().max(5000),
  location: z.object({
    city: z.string().min(1),
    country: z.string().regex(/^[A-Z]{2}$/),
    latitude: z.number().min(-90).max(90).nullable(),
    longitude: z.number().min(-180).max(180).nullable(),
  }),
  /** Average guest rating, 0–5; null before any review. */
  rating: z.number().min(0).max(5).nullable(),
});

export const resourceConfigSchema = z.object({
  vendorId: z.string().min(1),
  kind: z.enum(['nightly', 'timed']),
  capacity: z.number().int().nonnegative(),
  zone: z.string().refine(isZone, 'Expected an IANA time zone such as "Europe/Paris".'),
  currency: z.string().regex(/^[A-Z]{3}$/),
  weeklyHours: weeklyHoursSchema,
  dateOverrides: z.array(dateOverrideSchema),
  /** Timed: length of one slot in minutes. Nightly resources use 1440. */
  slotMinutes: z.number().int().min(5).max(1440),
  bufferBeforeMinutes: z.number().int().nonnegative(),
  bufferAfterMinutes: z.number().int().nonnegative(),
  /** How long before its start a slot (or a stay's arrival day) may still be booked. */
  minimumNoticeMinutes: z.number().int().nonnegative(),
  /** How many local days ahead bookings are accepted. */
  horizonDays: z.number().int().min(1),
  stayRestrictions: stayRestrictionsSchema,
  confirmationPolicy: z.enum(['instant', 'vendor']),
  /** The vendor's deposit to authorize (seed 004 step 4), or null for none. */
  vendorDeposit: moneySchema.nullable(),
  pricingRules: pricingRulesSchema,
  taxJurisdiction: taxJurisdictionSchema,
  cancellationPolicy: cancellationPolicySchema,
  listing: listingSchema,
});

export type ResourceConfig = z.infer<typeof resourceConfigSchema>;
export type ResourceConfigInput = z.input<typeof resourceConfigSchema>;
export type WeeklyHours = z.infer<typeof weeklyHoursSchema>;
export type DateOverride = z.infer<typeof dateOverrideSchema>;
export type StayRestrictions = z.infer<typeof stayRestrictionsSchema>;
export type Listing = z.infer<typeof listingSchema>;
export type ResourceKind = ResourceConfig['kind'];
