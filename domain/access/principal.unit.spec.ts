import { expect } from 'chai';
import fc from 'fast-check';
import { ForbiddenError } from '../shared/errors.ts';
import { assertCanAccess, assertRole, canAccess, ROLES, type Principal } from './principal.ts';

describe('principal guards', () => {
  const guest: Principal = { id: 'u1', role: 'guest', guestId: 'g1' };
  const vendor: Principal = { id: 'u2', role: 'vendor', vendorId: 'v1' };

  it('lets guests and vendors touch only what carries their id', () => {
    expect(canAccess(guest, { guestId: 'g1' }, 'write')).to.equal(true);
    expect(canAccess(guest, { guestId: 'g2' }, 'read')).to.equal(false);
    expect(canAccess(guest, { vendorId: 'g1' }, 'read')).to.equal(false);
    expect(canAccess(vendor, { vendorId: 'v1', guestId: 'g9' }, 'write')).to.equal(true);
    expect(canAccess(vendor, { vendorId: 'v2' }, 'read')).to.equal(false);
    expect(() => assertCanAccess(guest, { guestId: 'g2' }, 'read')).to.throw(ForbiddenError);
  });

  it('a principal without an owner id never matches an owner without one', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ROLES),
        fc.constantFrom<'read' | 'write'>('read', 'write'),
        (role, access) => {
          const allowed = canAccess({ id: 'x', role }, {}, access);
          const expected =
            role === 'admin' || ((role === 'auditor' || role === 'analyst') && access === 'read');
          expect(allowed).to.equal(expected);
        },
      ),
    );
  });

  it('assertRole refuses other roles with 403', () => {
    expect(() => assertRole(guest, ['admin'])).to.throw(ForbiddenError);
    expect(() => assertRole(guest, ['guest', 'admin'])).to.not.throw();
  });
});
