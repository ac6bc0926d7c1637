import { DateTime } from 'luxon';
import { ValidationError } from '../shared/errors.ts';
import { plainInstantMillis, toIsoInstant } from '../shared/time.ts';

/**
 * Staged TTLs of seed 004 ("Reservation / Hold Semantics") and seed 003.
 * Each stage restarts the clock from the moment it is reached (seed 004's
 * "State Deadlines": `vendor_confirmed_at + 30 minutes`, `requester_auth_at
 * + 15 minutes`), rather than adding to the previous deadline, so a slow
 * vendor does not eat the guest's payment window.
 */
export interface TtlPolicy {
  /** Initial hold of a reservation that needs the vendor's confirmation, minutes (seed 004: 10). */
  readonly holdMinutes: number;
  /** Hold of an instant-confirmation (hotel-style) reservation, minutes (seed 003: 15). */
  readonly instantHoldMinutes: number;
  /** Window for both authorizations, from the vendor's confirmation, minutes (seed 004: 30). */
  readonly afterVendorConfirmationMinutes: number;
  /** Window for revalidation and commit, from the last authorization, minutes (seed 004: 15). */
  readonly afterBothAuthorizationsMinutes: number;
}

export const DEFAULT_TTL_POLICY: TtlPolicy = {
  holdMinutes: 10,
  instantHoldMinutes: 15,
  afterVendorConfirmationMinutes: 30,
  afterBothAuthorizationsMinutes: 15,
};

export type TtlStage =
  'hold' | 'instantHold' | 'afterVendorConfirmation' | 'afterBothAuthorizations';

const minutesFor = (policy: TtlPolicy, stage: TtlStage): number => {
  switch (stage) {
    case 'hold':
      return policy.holdMinutes;
    case 'instantHold':
      return policy.instantHoldMinutes;
    case 'afterVendorConfirmation':
      return policy.afterVendorConfirmationMinutes;
    case 'afterBothAuthorizations':
      return policy.afterBothAuthorizationsMinutes;
    default: {
      const _never: never = stage;
      return _never;
    }
  }
};

export const parseInstant = (iso: string, field = 'now'): DateTime => {
  const parsed = DateTime.fromISO(iso, { setZone: true });
  if (!parsed.isValid) {
    throw new ValidationError(
      `${field} must be an ISO 8601 instant with an offset, e.g. 2026-12-24T09:00:00Z (got "${iso}").`,
    );
  }
  return parsed;
};

/**
 * An instant as epoch milliseconds: the plain shape (`…T09:00:00.000Z`,
 * `+02:00`) by arithmetic, anything else through luxon as before.
 */
export const instantMillis = (iso: string, field = 'now'): number =>
  plainInstantMillis(iso) ?? parseInstant(iso, field).toMillis();

/** An instant normalized to `YYYY-MM-DDTHH:mm:ss.SSSZ` (see `toUtcIso`), without a luxon DateTime. */
export const normalizeInstant = (iso: string, field = 'now'): string =>
  toIsoInstant(instantMillis(iso, field));

/** The deadline of `stage` reached at `now`, as a UTC ISO instant (plain arithmetic on milliseconds). */
export const expiresAtFor = (
  now: string,
  stage: TtlStage,
  policy: TtlPolicy = DEFAULT_TTL_POLICY,
): string => toIsoInstant(instantMillis(now) + minutesFor(policy, stage) * 60_000);

/** Normalizes a valid instant to `YYYY-MM-DDTHH:mm:ss.SSSZ` so events compare as strings. */
export const toUtcIso = (instant: DateTime): string => {
  const iso = instant.toUTC().toISO();
  if (iso === null)
    throw new ValidationError(
      `Cannot format an invalid instant (${instant.invalidExplanation ?? 'unknown reason'}).`,
    );
  return iso;
};

/** True once `now` has reached the deadline: a deadline is exclusive, like a hold's `expiresAt ≤ now`. */
export const isDue = (expiresAt: string, now: string): boolean =>
  instantMillis(now) >= instantMillis(expiresAt, 'expiresAt');
