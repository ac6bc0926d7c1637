import { expect } from 'chai';
import { ValidationError } from './errors.ts';
import { toEpochMillis } from './time.ts';
import {
  parseSlotKey,
  parseSlotStream,
  resourceStream,
  slotStream,
  timedSlotKey,
  timedSlotStart,
} from './streams.ts';

describe('streams and slot keys', () => {
  it('names streams category-id', () => {
    expect(resourceStream('r-1')).to.equal('resource-r-1');
    expect(slotStream('r-1', '2026-12-24')).to.equal('slot-r-1.2026-12-24');
    expect(slotStream('r-1', '2026-12-24T09:00')).to.equal('slot-r-1.2026-12-24T09:00');
    expect(parseSlotStream('slot-r-1.2026-12-24T09:00')).to.deep.equal({
      resourceId: 'r-1',
      slotKey: '2026-12-24T09:00',
    });
    expect(() => resourceStream('a.b')).to.throw(ValidationError);
    expect(() => slotStream('r', '2026-13-01')).to.throw(ValidationError);
  });

  it('parses nightly and timed keys', () => {
    expect(parseSlotKey('2026-12-24')).to.deep.equal({ kind: 'nightly', date: '2026-12-24' });
    expect(parseSlotKey('2026-12-24T09:00')).to.deep.equal({
      kind: 'timed',
      date: '2026-12-24',
      time: '09:00',
    });
    expect(() => parseSlotKey('2026-12-24T25:00')).to.throw(ValidationError);
  });

  it('gives the repeated fall-back hour distinct keys that round-trip', () => {
    const zone = 'America/New_York';
    const first = toEpochMillis('2026-11-01T05:30:00Z');
    const second = toEpochMillis('2026-11-01T06:30:00Z');
    expect(timedSlotKey(first, zone)).to.equal('2026-11-01T01:30');
    expect(timedSlotKey(second, zone)).to.equal('2026-11-01T01:30-05:00');
    expect(timedSlotStart('2026-11-01T01:30', zone)).to.equal(first);
    expect(timedSlotStart('2026-11-01T01:30-05:00', zone)).to.equal(second);
  });
});
