import { expect } from 'chai';
import type { PersonalDataLookup } from '../guest/personalData.ts';
import { personalDataBodyOf, personalDataViewOf } from './personalDataAccess.ts';
import type { Principal } from './principal.ts';

const owner = { guestId: 'g-1', vendorId: 'v-1', partnerId: 'p-1' };
const present: PersonalDataLookup = {
  status: 'present',
  guestId: 'g-1',
  data: { name: 'Ada', email: 'ada@example.test' },
};
const erased: PersonalDataLookup = {
  status: 'erased',
  guestId: 'g-1',
  erasedAt: '2026-12-02T10:00:00.000Z',
};

describe('who reads a booking’s personal data', () => {
  const cases: readonly [string, Principal, 'full' | 'existence' | 'none'][] = [
    ['the guest', { id: 'u1', role: 'guest', guestId: 'g-1' }, 'full'],
    ['another guest', { id: 'u2', role: 'guest', guestId: 'g-2' }, 'none'],
    ['the booking partner', { id: 'k1', role: 'partner', partnerId: 'p-1' }, 'full'],
    ['another partner', { id: 'k2', role: 'partner', partnerId: 'p-2' }, 'none'],
    ['the vendor of the resource', { id: 'u3', role: 'vendor', vendorId: 'v-1' }, 'full'],
    ['another vendor', { id: 'u4', role: 'vendor', vendorId: 'v-2' }, 'none'],
    ['an admin', { id: 'a', role: 'admin' }, 'full'],
    ['an auditor', { id: 'au', role: 'auditor' }, 'existence'],
    ['an analyst', { id: 'an', role: 'analyst' }, 'none'],
    ['a guest account without a guest id', { id: 'u5', role: 'guest' }, 'none'],
  ];
  for (const [who, principal, view] of cases) {
    it(`${who}: ${view}`, () => {
      expect(personalDataViewOf(principal, owner)).to.equal(view);
    });
  }

  it('shows values only in the full view; erasure and existence without values; nothing to analysts', () => {
    expect(personalDataBodyOf('full', present)).to.deep.equal({
      recorded: true,
      erased: false,
      guestId: 'g-1',
      name: 'Ada',
      email: 'ada@example.test',
    });
    expect(personalDataBodyOf('existence', present)).to.deep.equal({
      recorded: true,
      erased: false,
    });
    for (const view of ['full', 'existence'] as const) {
      expect(personalDataBodyOf(view, erased)).to.deep.equal({
        recorded: true,
        erased: true,
        erasedAt: '2026-12-02T10:00:00.000Z',
      });
      expect(personalDataBodyOf(view, { status: 'none' })).to.equal(null);
    }
    expect(personalDataBodyOf('none', present)).to.equal(undefined);
  });
});
