import {
  personalDataBodyOf,
  personalDataViewOf,
  type PersonalDataBody,
} from '../../domain/access/personalDataAccess.ts';
import type { Ownership, Principal } from '../../domain/access/principal.ts';
import type { GuestDirectory } from './guestDirectory.ts';

/**
 * `{ personalData }` for a read of one booking, as this principal may see it
 * (domain/access/personalDataAccess.ts): spread into the body. Empty for
 * analysts (the field is left out) and when no PII store is wired.
 */
export const personalDataFieldFor = async (
  directory: GuestDirectory | undefined,
  principal: Principal,
  owner: Ownership,
  reservationId: string,
): Promise<{ personalData?: PersonalDataBody }> => {
  const view = personalDataViewOf(principal, owner);
  if (view === 'none' || directory === undefined) return {};
  const body = personalDataBodyOf(view, await directory.personalDataOf(reservationId));
  return body === undefined ? {} : { personalData: body };
};
