import { expect } from 'chai';
import { parseStoredEvent } from '../events/registry.ts';
import { reservationDecider } from './decider.ts';
import { requestOf } from './testing/fixtures.ts';

const policy = {
  tiers: [{ minHoursBefore: 48, refund: { kind: 'percent' as const, basisPoints: 5_000 } }],
  noShowFee: { kind: 'percent' as const, basisPoints: 10_000 },
};

describe('reservation: the cancellation policy in force at booking travels with it', () => {
  it('ReservationRequested v3 records the policy the request carried, and the state keeps it', () => {
    const events = reservationDecider.decide(
      { ...requestOf(), cancellationPolicy: policy },
      reservationDecider.initialState(),
    );
    expect(events[0]?.data).to.deep.include({ cancellationPolicy: policy });
    const state = events.reduce(
      (s, e) => reservationDecider.evolve(s, e),
      reservationDecider.initialState(),
    );
    expect(state.status !== 'NONE' && state.cancellationPolicy).to.deep.equal(policy);
    const stored = parseStoredEvent('ReservationRequested', 3, events[0]?.data);
    expect(stored.data).to.deep.include({ cancellationPolicy: policy });
  });

  it('a v2 event (recorded before the policy was kept) is upcast with null: the resource’s policy applies', () => {
    const [event] = reservationDecider.decide(requestOf(), reservationDecider.initialState());
    const { cancellationPolicy: _dropped, ...v2 } = event?.data as Record<string, unknown>;
    expect(_dropped).to.equal(null);
    const upcast = parseStoredEvent('ReservationRequested', 2, v2);
    expect(upcast.data).to.deep.include({ cancellationPolicy: null });
    expect(() => parseStoredEvent('ReservationRequested', 3, v2)).to.throw(/cancellationPolicy/);
  });
});
