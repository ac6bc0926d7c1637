import { ConflictError, ForbiddenError } from '../../domain/shared/errors.ts';
import type { Principal } from '../../domain/access/principal.ts';
import type { WriteSide } from '../shared/writeSide.ts';

/** partnerId of reservations made directly (by a guest or an admin), not through a partner. */
export const DIRECT_PARTNER_ID = 'direct';

export interface Parties {
  readonly guestId: string;
  readonly partnerId: string;
  readonly requesterId: string;
}

export interface PartyInput {
  readonly guestId?: string | undefined;
  readonly requesterId?: string | undefined;
}

const forbidden = (message: string): ForbiddenError => new ForbiddenError(message);

/**
 * Who a hold is for and through whom. A guest holds only for themselves; a
 * partner holds for its requesters (the guest defaults to the requester);
 * an admin holds directly for anyone. Vendors, auditors and analysts place no holds.
 */
export const partiesOf = (principal: Principal, input: PartyInput): Parties => {
  switch (principal.role) {
    case 'guest': {
      const own = principal.guestId;
      if (own === undefined) throw forbidden('This guest account has no guest id; sign in again.');
      if (input.guestId !== undefined && input.guestId !== own) {
        throw forbidden('A guest may place holds only for themselves; leave guest.guestId out.');
      }
      return { guestId: own, partnerId: DIRECT_PARTNER_ID, requesterId: input.requesterId ?? own };
    }
    case 'partner': {
      if (principal.partnerId === undefined) {
        throw forbidden('This partner key has no partner id; ask an admin for a new key.');
      }
      const requesterId = input.requesterId ?? input.guestId;
      if (requesterId === undefined) {
        throw forbidden('A partner must say whom the hold is for: send requesterId.');
      }
      return { guestId: input.guestId ?? requesterId, partnerId: principal.partnerId, requesterId };
    }
    case 'admin': {
      const guestId = input.guestId ?? input.requesterId ?? principal.id;
      return { guestId, partnerId: DIRECT_PARTNER_ID, requesterId: input.requesterId ?? guestId };
    }
    case 'vendor':
    case 'auditor':
    case 'analyst':
      throw forbidden(
        `A ${principal.role} cannot place holds; use a guest, partner or admin credential.`,
      );
    default: {
      const _never: never = principal.role;
      return _never;
    }
  }
};

/** Seed 004 "Hold Caps": 409 HOLD_LIMIT_REACHED once a partner has its maximum of active holds. */
export const assertBelowHoldCap = async (
  writeSide: WriteSide,
  partnerId: string,
): Promise<void> => {
  const cap = writeSide.holdCap;
  if (cap === undefined || partnerId === DIRECT_PARTNER_ID) return;
  const active = await cap.activeHolds(partnerId);
  if (active >= cap.maxActiveHoldsPerPartner) {
    throw new ConflictError(
      'HOLD_LIMIT_REACHED',
      `Partner ${partnerId} already has ${active} active holds, the most allowed (${cap.maxActiveHoldsPerPartner}); confirm or cancel some first.`,
      { partnerId, active, max: cap.maxActiveHoldsPerPartner },
      true,
    );
  }
};
