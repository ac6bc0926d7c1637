import { expect } from 'chai';
import { IllegalStateError } from '../shared/errors.ts';
import { toEpochMillis } from '../shared/time.ts';
import { assertInStatusWindow, statusWindow, type StatusChange } from './statusWindows.ts';

const resource = (kind: 'nightly' | 'timed', timeZone: string) => ({
  resourceId: 'r-1',
  vendorId: 'v-1',
  kind,
  confirmationPolicy: 'instant' as const,
  vendorDeposit: null,
  timeZone,
});
// Nights of 24 and 25 December in Berlin (UTC+1): local midnights as instants.
const stay = {
  startsAt: '2026-12-23T23:00:00.000Z',
  endsAt: '2026-12-25T23:00:00.000Z',
  resource: resource('nightly', 'Europe/Berlin'),
};
// 09:00–10:00 on Monday 7 December in New York (UTC−5).
const slot = {
  startsAt: '2026-12-07T14:00:00.000Z',
  endsAt: '2026-12-07T15:00:00.000Z',
  resource: resource('timed', 'America/New_York'),
};

const accepts = (booking: typeof stay, change: StatusChange, at: string): boolean => {
  try {
    assertInStatusWindow(booking, change, toEpochMillis(at));
    return true;
  } catch (error) {
    expect(error).to.be.instanceOf(IllegalStateError);
    expect((error as IllegalStateError).code).to.equal('OUTSIDE_STATUS_WINDOW');
    return false;
  }
};

describe('status windows (check-in, completion, no-show) in the resource’s zone', () => {
  it('refuses all three months before a stay', () => {
    for (const change of ['CHECKED_IN', 'COMPLETED', 'NO_SHOW'] as const)
      expect(accepts(stay, change, '2026-09-01T10:00:00Z'), change).to.equal(false);
  });

  it('checks a stay in from noon the day before arrival until its end', () => {
    expect(accepts(stay, 'CHECKED_IN', '2026-12-23T10:59:59Z')).to.equal(false);
    expect(accepts(stay, 'CHECKED_IN', '2026-12-23T11:00:00Z')).to.equal(true);
    expect(accepts(stay, 'CHECKED_IN', '2026-12-25T22:59:59Z')).to.equal(true);
    expect(accepts(stay, 'CHECKED_IN', '2026-12-25T23:00:00Z')).to.equal(false);
  });

  it('records a stay’s no-show once the arrival day has ended in Berlin, not before', () => {
    expect(accepts(stay, 'NO_SHOW', '2026-12-24T20:00:00Z')).to.equal(false);
    expect(accepts(stay, 'NO_SHOW', '2026-12-24T22:59:59Z')).to.equal(false);
    expect(accepts(stay, 'NO_SHOW', '2026-12-24T23:00:00Z')).to.equal(true);
    expect(accepts(stay, 'NO_SHOW', '2027-03-01T00:00:00Z')).to.equal(true);
  });

  it('completes a stay from noon of its last night', () => {
    expect(statusWindow(stay, 'COMPLETED').from).to.equal(toEpochMillis('2026-12-25T11:00:00Z'));
    expect(accepts(stay, 'COMPLETED', '2026-12-25T10:59:00Z')).to.equal(false);
    expect(accepts(stay, 'COMPLETED', '2026-12-25T11:00:00Z')).to.equal(true);
  });

  it('uses an hour of tolerance and a 15-minute no-show grace for timed bookings', () => {
    expect(accepts(slot, 'CHECKED_IN', '2026-12-07T12:59:00Z')).to.equal(false);
    expect(accepts(slot, 'CHECKED_IN', '2026-12-07T13:00:00Z')).to.equal(true);
    expect(accepts(slot, 'NO_SHOW', '2026-12-07T14:14:59Z')).to.equal(false);
    expect(accepts(slot, 'NO_SHOW', '2026-12-07T14:15:00Z')).to.equal(true);
    expect(accepts(slot, 'COMPLETED', '2026-12-07T13:59:00Z')).to.equal(false);
    expect(accepts(slot, 'COMPLETED', '2026-12-07T14:00:00Z')).to.equal(true);
  });

  it('says when the change will be accepted', () => {
    expect(() => assertInStatusWindow(stay, 'NO_SHOW', toEpochMillis('2026-12-01T00:00:00Z')))
      .to.throw(IllegalStateError, /from 2026-12-24T23:00:00.000Z/)
      .with.deep.property('details', {
        status: 'NO_SHOW',
        now: '2026-12-01T00:00:00.000Z',
        from: '2026-12-24T23:00:00.000Z',
        until: null,
      });
  });
});
