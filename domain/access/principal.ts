import { ForbiddenError } from '../shared/errors.ts';

export const ROLES = ['guest', 'vendor', 'partner', 'admin', 'auditor', 'analyst'] as const;
export type Role = (typeof ROLES)[number];

export const isRole = (value: unknown): value is Role =>
  typeof value === 'string' && (ROLES as readonly string[]).includes(value);

/** Who is calling: a person (JWT) or a partner/admin system (API key). */
export interface Principal {
  /** User id for people, API key id for keys; the rate-limit and idempotency scope. */
  readonly id: string;
  readonly role: Role;
  readonly vendorId?: string;
  readonly guestId?: string;
  readonly partnerId?: string;
}

/** The parties a resource or booking belongs to, as far as the caller knows them. */
export interface Ownership {
  readonly guestId?: string | undefined;
  readonly vendorId?: string | undefined;
  readonly partnerId?: string | undefined;
}

export type Access = 'read' | 'write';

/**
 * Whether `principal` may read or change something owned by `owner`: admins
 * everything; auditors and analysts read everything and change nothing; guests,
 * vendors and partners only what carries their own id.
 */
export const canAccess = (principal: Principal, owner: Ownership, access: Access): boolean => {
  switch (principal.role) {
    case 'admin':
      return true;
    case 'auditor':
    case 'analyst':
      return access === 'read';
    case 'guest':
      return principal.guestId !== undefined && principal.guestId === owner.guestId;
    case 'vendor':
      return principal.vendorId !== undefined && principal.vendorId === owner.vendorId;
    case 'partner':
      return principal.partnerId !== undefined && principal.partnerId === owner.partnerId;
    default: {
      const _never: never = principal.role;
      return false;
    }
  }
};

/** Throws a ForbiddenError (403) unless `principal` may access what `owner` owns. */
export const assertCanAccess = (
  principal: Principal,
  owner: Ownership,
  access: Access,
  what = 'this resource',
): void => {
  if (canAccess(principal, owner, access)) return;
  throw new ForbiddenError(
    `A ${principal.role} may only ${access === 'read' ? 'read' : 'change'} ${what} when it is their own; use the credentials of its owner or an admin.`,
    { role: principal.role, access },
  );
};

/** Throws a ForbiddenError (403) unless the principal has one of `roles`. */
export const assertRole = (principal: Principal, roles: readonly Role[]): void => {
  if (roles.includes(principal.role)) return;
  throw new ForbiddenError(
    `This operation needs one of the roles ${roles.join(', ')}, but the caller is a ${principal.role}.`,
    { role: principal.role, allowedRoles: roles },
  );
};
