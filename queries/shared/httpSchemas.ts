import { z } from 'zod';
import {
  guestTaxStatusSchema,
  type GuestTaxStatus,
} from '../../domain/pricing/tax/guestTaxStatus.ts';
import { isLocalDate } from '../../domain/shared/time.ts';

export const idSchema = z
  .string()
  .regex(
    /^[A-Za-z0-9._~-]{1,128}$/,
    'Expected an id of 1–128 letters, digits, ".", "_", "~" or "-".',
  );

export const localDateSchema = z
  .string()
  .refine(isLocalDate, 'Expected a calendar date as YYYY-MM-DD.');

export const instantSchema = z.iso.datetime({
  offset: true,
  message: 'Expected an ISO 8601 instant with an offset, e.g. 2026-12-24T09:00:00Z.',
});

export const quantityQuery = z.coerce.number().int().min(1).max(100).default(1);

/** `true`/`false` as query strings (z.coerce.boolean would read "false" as true). */
export const booleanQuery = z.enum(['true', 'false']).transform((value) => value === 'true');

/**
 * The guest's tax facts as query parameters: `citizenships=US,FR` and
 * `israeliVisa=B/2`; none given means a resident guest at the standard rate.
 */
export const guestQuery = {
  citizenships: z
    .string()
    .regex(
      /^[A-Z]{2}(,[A-Z]{2})*$/,
      'citizenships is a comma-separated list of ISO country codes, e.g. US,FR.',
    )
    .optional(),
  israeliVisa: z
    .string()
    .regex(/^[A-Z]\/\d{1,2}$/, 'israeliVisa looks like B/2.')
    .optional(),
};

export const toGuestTaxStatus = (query: {
  readonly citizenships?: string | undefined;
  readonly israeliVisa?: string | undefined;
}): GuestTaxStatus =>
  guestTaxStatusSchema.parse({
    citizenships: query.citizenships?.split(',') ?? [],
    israeliVisa: query.israeliVisa ?? null,
  });
