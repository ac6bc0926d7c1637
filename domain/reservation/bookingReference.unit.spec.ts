import { expect } from 'chai';
import fc from 'fast-check';
import { ValidationError } from '../shared/errors.ts';
import {
  BOOKING_REFERENCE_ALPHABET,
  assertBookingReference,
  isBookingReference,
  makeBookingReference,
} from './bookingReference.ts';

describe('booking references', () => {
  it('are BR-YYYYMMDD-XXXXXX with the UTC date of now', () => {
    const reference = makeBookingReference('2026-12-24T23:30:00-05:00', new Uint8Array(8));
    expect(reference).to.equal('BR-20261225-222222');
  });

  it('use no ambiguous symbol', () => {
    for (const symbol of '01OIL') expect(BOOKING_REFERENCE_ALPHABET).not.to.include(symbol);
    expect(new Set(BOOKING_REFERENCE_ALPHABET).size).to.equal(31);
  });

  it('are deterministic in their inputs and always valid', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 8, maxLength: 16 }), (bytes) => {
        const reference = makeBookingReference('2026-01-02T03:04:05Z', bytes);
        expect(reference).to.equal(
          makeBookingReference('2026-01-02T03:04:05Z', Uint8Array.from(bytes)),
        );
        expect(isBookingReference(reference)).to.equal(true);
        expect(reference).to.match(/^BR-20260102-[2-9A-HJKMNP-Z]{6}$/);
      }),
    );
  });

  it('spread different entropy over different references', () => {
    const references = new Set(
      Array.from({ length: 200 }, (_, i) =>
        makeBookingReference(
          '2026-01-02T00:00:00Z',
          new Uint8Array([0, 0, 0, 0, 0, 0, i >> 8, i & 255]),
        ),
      ),
    );
    expect(references.size).to.equal(200);
  });

  it('refuse too little entropy and bad dates', () => {
    expect(() => makeBookingReference('2026-01-02T00:00:00Z', new Uint8Array(7))).to.throw(
      ValidationError,
    );
    expect(() => makeBookingReference('yesterday', new Uint8Array(8))).to.throw(ValidationError);
  });

  it('validate shape, alphabet and calendar', () => {
    expect(isBookingReference('BR-20261224-K7QX3M')).to.equal(true);
    expect(isBookingReference('BR-20261224-K7QX0M')).to.equal(false);
    expect(isBookingReference('BR-20261224-k7qx3m')).to.equal(false);
    expect(isBookingReference('BR-20260230-K7QX3M')).to.equal(false);
    expect(isBookingReference('BR-2026122-K7QX3MM')).to.equal(false);
    expect(() => assertBookingReference('BR-1')).to.throw(ValidationError, /BR-20261224-K7QX3M/);
  });
});
