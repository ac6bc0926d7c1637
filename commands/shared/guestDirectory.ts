import type { PersonalDataLookup } from '../../domain/guest/personalData.ts';

/**
 * Opens the personal data recorded with a reservation (the PII store, issue 11).
 * Used by the notifier (guest emails) and by reads that show the guest to those
 * allowed to see it. Never used by analysts, never logged.
 */
export interface GuestDirectory {
  personalDataOf(reservationId: string): Promise<PersonalDataLookup>;
}

/** An in-memory directory for tests that do not exercise the PII store itself. */
export const createInMemoryGuestDirectory = (
  entries: ReadonlyMap<string, PersonalDataLookup> = new Map(),
): GuestDirectory & {
  set(reservationId: string, lookup: PersonalDataLookup): void;
} => {
  const byKey = new Map(entries);
  return {
    personalDataOf: (reservationId) =>
      Promise.resolve(byKey.get(reservationId) ?? { status: 'none' }),
    set: (reservationId, lookup) => {
      byKey.set(reservationId, lookup);
    },
  };
};
