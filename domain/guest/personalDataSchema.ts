import { z } from 'zod';
import type { GuestPersonalData } from './personalData.ts';

/** Bounds of what a booking may record about its guest (docs/personal-data.md, docs/input-limits.md). */
export const PERSONAL_DATA_LIMITS = {
  name: 200,
  email: 320,
  phone: 40,
  text: 2000,
  source: 64,
  metadataEntries: 20,
  metadataKey: 64,
  metadataValue: 500,
} as const;

const L = PERSONAL_DATA_LIMITS;

export const guestNameSchema = z.string().trim().min(1).max(L.name);
export const guestEmailSchema = z.email().max(L.email);
/** E.164 or a human spelling of it: digits, spaces, `+ - ( ) .`, at least 5 digits. */
export const guestPhoneSchema = z
  .string()
  .trim()
  .max(L.phone)
  .regex(/^\+?[0-9 ().-]*$/, 'Expected a phone number: digits, spaces and + - ( ) . only.')
  .refine((v) => (v.match(/[0-9]/g) ?? []).length >= 5, 'Expected at least 5 digits.');
/** BCP 47 language tag such as `en`, `he`, `pt-BR`. */
export const guestLanguageSchema = z
  .string()
  .regex(
    /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}$/,
    'Expected a BCP 47 language tag such as en or he.',
  );
export const guestTextSchema = z.string().trim().max(L.text);
export const bookingSourceSchema = z.string().trim().min(1).max(L.source);
export const bookingMetadataSchema = z
  .record(z.string().min(1).max(L.metadataKey), z.string().max(L.metadataValue))
  .refine(
    (m) => Object.keys(m).length <= L.metadataEntries,
    `metadata may hold at most ${L.metadataEntries} entries.`,
  );

/** What is sealed and what the PII store reads back (validated again when opened). */
export const guestPersonalDataSchema = z.object({
  name: guestNameSchema,
  email: guestEmailSchema.optional(),
  phone: guestPhoneSchema.optional(),
  language: guestLanguageSchema.optional(),
  specialRequests: guestTextSchema.optional(),
  notes: guestTextSchema.optional(),
  source: bookingSourceSchema.optional(),
  metadata: bookingMetadataSchema.optional(),
}) satisfies z.ZodType<GuestPersonalData>;

/** Drops absent fields so the sealed JSON carries only what was given. */
export const toPersonalData = (input: {
  readonly name: string;
  readonly email?: string | undefined;
  readonly phone?: string | undefined;
  readonly language?: string | undefined;
  readonly specialRequests?: string | undefined;
  readonly notes?: string | undefined;
  readonly source?: string | undefined;
  readonly metadata?: Readonly<Record<string, string>> | undefined;
}): GuestPersonalData =>
  Object.fromEntries(
    Object.entries(input).filter(([, value]) => value !== undefined),
  ) as unknown as GuestPersonalData;
