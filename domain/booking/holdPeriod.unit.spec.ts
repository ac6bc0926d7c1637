import { expect } from 'chai';
import { sampleNightly, sampleTimed } from '../resource/testing/sampleResources.ts';
import { ValidationError } from '../shared/errors.ts';
import { resolveHoldPeriod } from './holdPeriod.ts';

describe('resolveHoldPeriod', () => {
  it('records where a stay starts and ends: midnight in the resource zone', () => {
    const resolved = resolveHoldPeriod(sampleNightly(), {
      kind: 'nights',
      checkIn: '2026-12-24',
      checkOut: '2026-12-26',
    });
    expect(resolved).to.deep.include({
      slotKeys: ['2026-12-24', '2026-12-25'],
      startsAt: '2026-12-23T23:00:00.000Z',
      endsAt: '2026-12-25T23:00:00.000Z',
    });
  });

  it('parses ISO instants with offsets and records them in UTC', () => {
    const resolved = resolveHoldPeriod(sampleTimed(), {
      kind: 'instants',
      start: '2026-12-07T09:00:00-05:00',
      end: '2026-12-07T11:00:00-05:00',
    });
    expect(resolved).to.deep.include({
      slotKeys: ['2026-12-07T09:00', '2026-12-07T10:00'],
      startsAt: '2026-12-07T14:00:00.000Z',
      endsAt: '2026-12-07T16:00:00.000Z',
    });
  });

  it('answers the resource kind before it parses the instants', () => {
    const ask = () =>
      resolveHoldPeriod(sampleNightly(), { kind: 'instants', start: 'soon', end: 'later' });
    expect(ask).to.throw(ValidationError).with.property('code', 'WRONG_RESOURCE_KIND');
  });
});
