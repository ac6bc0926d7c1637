import { isLocalDate, toIsoInstant } from '../shared/time.ts';
import { instantMillis } from './ttl.ts';
import { ValidationError } from '../shared/errors.ts';

/**
 * Booking references `BR-YYYYMMDD-XXXXXX`, read aloud over the phone and typed
 * from paper, so the alphabet drops the look-alikes 0/O, 1/I/L: digits 2–9 and
 * 23 letters, 31 symbols. Six symbols give 31⁶ ≈ 887 million references per
 * day; uniqueness is still enforced by the write side (a reference index
 * stream), the domain only makes and checks the shape.
 */
export const BOOKING_REFERENCE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
const SUFFIX_LENGTH = 6;
/** 8 bytes = 64 bits, so the modulo bias over 31⁶ values is below 10⁻¹⁰. */
export const BOOKING_REFERENCE_ENTROPY_BYTES = 8;

const PATTERN = new RegExp(`^BR-(\\d{8})-([${BOOKING_REFERENCE_ALPHABET}]{${SUFFIX_LENGTH}})$`);

/**
 * Makes a reference from the UTC date of `now` and caller-supplied random
 * bytes (the domain has no randomness of its own).
 */
export const makeBookingReference = (now: string, entropy: Uint8Array): string => {
  if (entropy.length < BOOKING_REFERENCE_ENTROPY_BYTES) {
    throw new ValidationError(
      `A booking reference needs at least ${BOOKING_REFERENCE_ENTROPY_BYTES} bytes of entropy (got ${entropy.length}).`,
    );
  }
  let millis: number | undefined;
  try {
    millis = instantMillis(now);
  } catch {
    millis = undefined;
  }
  if (millis === undefined) {
    throw new ValidationError(
      `now must be an ISO 8601 instant, e.g. 2026-12-24T09:00:00Z (got "${now}").`,
    );
  }
  let value = 0n;
  for (const byte of entropy) value = (value << 8n) | BigInt(byte);
  const base = BigInt(BOOKING_REFERENCE_ALPHABET.length);
  let suffix = '';
  for (let i = 0; i < SUFFIX_LENGTH; i += 1) {
    suffix = BOOKING_REFERENCE_ALPHABET.charAt(Number(value % base)) + suffix;
    value /= base;
  }
  return `BR-${toIsoInstant(millis).slice(0, 10).replaceAll('-', '')}-${suffix}`;
};

/** Shape and calendar check; case-sensitive because references are always issued upper-case. */
export const isBookingReference = (candidate: string): boolean => {
  const match = PATTERN.exec(candidate);
  if (match === null) return false;
  const digits = match[1] ?? '';
  return isLocalDate(`${digits.slice(0, 4)}-${digits.slice(4, 6)}-${digits.slice(6, 8)}`);
};

export const assertBookingReference = (candidate: string): string => {
  if (!isBookingReference(candidate)) {
    throw new ValidationError(
      `A booking reference looks like BR-20261224-K7QX3M: "BR-", a valid date, "-", and six of ${BOOKING_REFERENCE_ALPHABET} (got "${candidate}").`,
    );
  }
  return candidate;
};
