/**
 * A guest's personal data as the booking recorded it. It never enters the
 * immutable log in clear: the PII store seals it with a per-guest data key,
 * and erasing the guest destroys that key (crypto-shredding).
 */
export interface GuestPersonalData {
  readonly name: string;
  readonly email?: string | undefined;
  readonly phone?: string | undefined;
  /** BCP 47 language the guest prefers for messages (`en`, `he`); the venue's locale otherwise. */
  readonly language?: string | undefined;
  readonly specialRequests?: string | undefined;
  readonly notes?: string | undefined;
  /** Seed 002: where the booking came from (`web`, `partner-app`, ...). */
  readonly source?: string | undefined;
  /** Seed 002: the caller's own string key/values. */
  readonly metadata?: Readonly<Record<string, string>> | undefined;
}

/** What a read of personal data finds: the data, the fact it was erased, or nothing recorded. */
export type PersonalDataLookup =
  | { readonly status: 'present'; readonly guestId: string; readonly data: GuestPersonalData }
  | { readonly status: 'erased'; readonly guestId: string; readonly erasedAt: string }
  | { readonly status: 'none' };
