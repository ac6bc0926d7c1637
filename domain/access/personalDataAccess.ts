import type { PersonalDataLookup } from '../guest/personalData.ts';
import { canAccess, type Ownership, type Principal } from './principal.ts';

/**
 * How much of a booking's personal data a principal sees (issue 11):
 * `full` — the guest themself, the partner that booked, the vendor of the
 * booked resource, admins; `existence` — auditors (that it was recorded or
 * erased, never the values); `none` — analysts, and anyone not a party to the
 * booking.
 */
export type PersonalDataView = 'full' | 'existence' | 'none';

export const personalDataViewOf = (principal: Principal, owner: Ownership): PersonalDataView => {
  switch (principal.role) {
    case 'admin':
      return 'full';
    case 'auditor':
      return 'existence';
    case 'analyst':
      return 'none';
    case 'guest':
    case 'partner':
    case 'vendor':
      return canAccess(principal, owner, 'read') ? 'full' : 'none';
    default: {
      const _never: never = principal.role;
      return _never;
    }
  }
};

/** What a read shows of the personal data; `undefined` → the field is left out. */
export type PersonalDataBody =
  | null
  | { readonly recorded: true; readonly erased: false }
  | { readonly recorded: true; readonly erased: true; readonly erasedAt: string }
  | ({ readonly recorded: true; readonly erased: false; readonly guestId: string } & Readonly<
      Record<string, unknown>
    >);

/** The `personalData` field of a read for this principal; undefined leaves it out (analysts). */
export const personalDataBodyOf = (
  view: PersonalDataView,
  lookup: PersonalDataLookup,
): PersonalDataBody | undefined => {
  if (view === 'none') return undefined;
  switch (lookup.status) {
    case 'none':
      return null;
    case 'erased':
      return { recorded: true, erased: true, erasedAt: lookup.erasedAt };
    case 'present':
      return view === 'full'
        ? { recorded: true, erased: false, guestId: lookup.guestId, ...lookup.data }
        : { recorded: true, erased: false };
    default: {
      const _never: never = lookup;
      return _never;
    }
  }
};
