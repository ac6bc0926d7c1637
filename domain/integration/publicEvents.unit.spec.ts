import { expect } from 'chai';
import fc from 'fast-check';
import { historyTo } from '../reservation/testing/fixtures.ts';
import type { ReservationEvent } from '../reservation/events.ts';
import type { ReservationState } from '../reservation/state.ts';
import { initialReservationState } from '../reservation/state.ts';
import { assertEventPatterns, matchesAny } from './eventPatterns.ts';
import {
  publicEventJsonSchemas,
  publicEventSchema,
  PUBLIC_EVENT_TYPES,
} from './publicEventSchema.ts';
import { DEFAULT_RETRY_POLICY, nextAttempt } from './retryPolicy.ts';
import { toPublicEvents } from './toPublicEvents.ts';

const mapAll = (events: readonly ReservationEvent[]) => {
  let state: ReservationState = initialReservationState();
  return events.flatMap((event, revision) => {
    const mapped = toPublicEvents(state, event, {
      eventId: `e-${revision}`,
      position: `1:${revision + 1}`,
      recordedAt: '2026-12-01T10:00:00.000Z',
      revision,
    });
    state = mapped.after;
    return mapped.events;
  });
};

describe('public events (the one mapping from internal events)', () => {
  it('maps the full lifecycle to the seeds names, each valid against its published schema', () => {
    const published = mapAll(historyTo('COMPLETED').events);
    expect(published.map((e) => e.type)).to.deep.equal([
      'reservation.created',
      'booking.created',
      'booking.status_changed',
      'reservation.vendor_confirmed',
      'booking.status_changed',
      'booking.status_changed',
      'reservation.vendor_authorized',
      'booking.status_changed',
      'booking.status_changed',
      'reservation.authorized_both',
      'booking.status_changed',
      'booking.status_changed',
      'reservation.committed',
      'booking.confirmed',
      'booking.status_changed',
      'booking.checked_in',
      'booking.status_changed',
      'booking.completed',
      'booking.status_changed',
    ]);
    for (const event of published) publicEventSchema.parse(event);
  });

  it('derives stable, unique ids from the internal event ids', () => {
    const first = mapAll(historyTo('CONFIRMED').events);
    const again = mapAll(historyTo('CONFIRMED').events);
    expect(first.map((e) => e.id)).to.deep.equal(again.map((e) => e.id));
    expect(new Set(first.map((e) => e.id)).size).to.equal(first.length);
  });

  it('never carries guest data, payment ids or free-text reasons', () => {
    const statuses = ['CANCELLED', 'FAILED_VENDOR_DECLINED', 'COMPLETED', 'EXPIRED'] as const;
    for (const status of statuses) {
      const text = JSON.stringify(mapAll(historyTo(status).events));
      for (const secret of [
        'g-1',
        'req-1',
        'pi_',
        'ch_',
        'pm_card',
        'Plans changed',
        'declined by',
      ])
        expect(text, `${status}: ${secret}`).not.to.include(secret);
    }
  });

  it('reports failures by code and cancellations by who cancelled', () => {
    const failed = mapAll(historyTo('FAILED_VENDOR_DECLINED').events).find(
      (e) => e.type === 'reservation.failed',
    );
    expect(failed?.data['failure']).to.deep.equal({ code: 'vendor_declined' });
    const cancelled = mapAll(historyTo('CANCELLED').events).find(
      (e) => e.type === 'booking.cancelled',
    );
    expect(cancelled?.data['cancelledBy']).to.equal('guest');
    expect(cancelled?.data.previousStatus).to.equal('HELD');
  });

  it('publishes a JSON Schema per type', () => {
    const schemas = publicEventJsonSchemas();
    expect(Object.keys(schemas)).to.deep.equal([...PUBLIC_EVENT_TYPES]);
    expect(JSON.stringify(schemas['booking.created'])).to.include('"reservationId"');
  });
});

describe('event patterns', () => {
  it('matches *, families and exact types, and refuses unknown ones', () => {
    expect(matchesAny(['booking.*'], 'booking.created')).to.equal(true);
    expect(matchesAny(['booking.*'], 'reservation.created')).to.equal(false);
    expect(matchesAny(['*'], 'reservation.failed')).to.equal(true);
    expect(matchesAny(['reservation.expired'], 'reservation.expired')).to.equal(true);
    expect(() => assertEventPatterns(['booking.*', 'book*'])).to.throw(/book\*/);
  });
});

describe('webhook retry policy', () => {
  it('backs off exponentially within the jitter band and never past the give-up deadline', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 0, max: 4 * 24 * 3_600_000 }),
        fc.double({ min: 0, max: 0.999999, noNaN: true }),
        (failures, elapsed, random) => {
          const next = nextAttempt(DEFAULT_RETRY_POLICY, failures, 0, elapsed, random);
          if (elapsed >= DEFAULT_RETRY_POLICY.giveUpAfterMs) {
            expect(next.kind).to.equal('dead-letter');
            return;
          }
          if (next.kind !== 'retry') throw new Error('expected a retry');
          const base = Math.min(6 * 3_600_000, 30_000 * 2 ** (failures - 1));
          expect(next.atMs).to.be.at.most(DEFAULT_RETRY_POLICY.giveUpAfterMs);
          expect(next.atMs).to.be.greaterThan(elapsed);
          if (next.atMs < DEFAULT_RETRY_POLICY.giveUpAfterMs) {
            expect(next.atMs - elapsed).to.be.within(base * 0.8 - 1, base * 1.2 + 1);
          }
        },
      ),
    );
  });
});
