import { expect } from 'chai';
import { fold } from '../shared/decider.ts';
import { ConflictError, ValidationError } from '../shared/errors.ts';
import type { ClaimRequest } from './claimPlan.ts';
import { claimSteps, compensationFor, decideClaimStep, planClaim } from './claimPlan.ts';
import type { SlotEvent } from './events.ts';
import { slotDecider } from './slotDecider.ts';
import type { SlotState } from './state.ts';
import { activeHeldQuantity } from './state.ts';

const NOW = '2026-12-01T10:00:00.000Z';
const request: ClaimRequest = {
  resourceId: 'room-1',
  resourceCapacity: 1,
  reservationId: 'res-1',
  slotKeys: ['2026-12-26', '2026-12-24', '2026-12-25'],
  quantity: 1,
  expiresAt: '2026-12-01T10:15:00.000Z',
  now: NOW,
};
const takenBy = (reservationId: string, slotKey: string): SlotState =>
  fold(
    slotDecider,
    slotDecider.decide(
      { ...claimSteps({ ...request, reservationId, slotKeys: [slotKey] })[0]!.command },
      slotDecider.initialState(),
    ),
  );

describe('multi-slot claim plan', () => {
  it('orders the steps by slot key with their streams', () => {
    expect(claimSteps(request).map((s) => s.stream)).to.deep.equal([
      'slot-room-1.2026-12-24',
      'slot-room-1.2026-12-25',
      'slot-room-1.2026-12-26',
    ]);
    expect(() => claimSteps({ ...request, slotKeys: ['2026-12-24', '2026-12-24'] })).to.throw(
      ValidationError,
      /twice/,
    );
    expect(() => claimSteps({ ...request, slotKeys: [] })).to.throw(ValidationError);
  });

  it('claims every slot when all are free (the atomic path appends all of it)', () => {
    const plan = planClaim(request, () => slotDecider.initialState());
    expect(plan.ok).to.equal(true);
    expect(plan.decisions.map((d) => d.outcome)).to.deep.equal(['claimed', 'claimed', 'claimed']);
    for (const d of plan.decisions) {
      if (d.outcome !== 'claimed') throw new Error('unreachable');
      expect(d.events.map((e: SlotEvent) => e.type)).to.deep.equal(['SlotOpened', 'SlotHeld']);
    }
  });

  it('stops at the first refused slot and compensates the earlier ones, newest first', () => {
    const plan = planClaim(request, (key) =>
      key === '2026-12-25' ? takenBy('other', key) : slotDecider.initialState(),
    );
    if (plan.ok) throw new Error('expected a refusal');
    expect(plan.failedAt).to.equal(1);
    expect(plan.error).to.be.instanceOf(ConflictError);
    expect(plan.error.code).to.equal('SLOT_UNAVAILABLE');
    expect(plan.decisions).to.have.length(2);
    expect(
      plan.compensation.map((c) => [c.stream, c.command.type, c.command.reservationId]),
    ).to.deep.equal([['slot-room-1.2026-12-24', 'ReleaseHold', 'res-1']]);
  });

  it('runs step by step with compensation that leaves no hold behind', () => {
    const states = new Map<string, SlotState>([['2026-12-26', takenBy('other', '2026-12-26')]]);
    const claimed: string[] = [];
    let failure: string | undefined;
    for (const step of claimSteps(request)) {
      const decision = decideClaimStep(
        step,
        states.get(step.slotKey) ?? slotDecider.initialState(),
      );
      if (decision.outcome === 'refused') {
        failure = decision.slotKey;
        break;
      }
      states.set(step.slotKey, fold(slotDecider, decision.events, states.get(step.slotKey)));
      claimed.push(step.slotKey);
    }
    expect(failure).to.equal('2026-12-26');
    for (const release of compensationFor(request, claimed)) {
      const state = states.get(release.slotKey) ?? slotDecider.initialState();
      states.set(
        release.slotKey,
        fold(slotDecider, slotDecider.decide(release.command, state), state),
      );
    }
    const now = Date.parse(NOW);
    expect(activeHeldQuantity(states.get('2026-12-24')!, now)).to.equal(0);
    expect(activeHeldQuantity(states.get('2026-12-25')!, now)).to.equal(0);
    expect(activeHeldQuantity(states.get('2026-12-26')!, now)).to.equal(1);
  });

  it('is idempotent on retry: slots already held by the same claim decide no events', () => {
    const first = planClaim(request, () => slotDecider.initialState());
    const after = new Map(
      first.decisions.map((d) => [
        d.slotKey,
        d.outcome === 'claimed' ? fold(slotDecider, d.events) : slotDecider.initialState(),
      ]),
    );
    const retry = planClaim(request, (key) => after.get(key) ?? slotDecider.initialState());
    expect(retry.ok).to.equal(true);
    expect(retry.decisions.flatMap((d) => (d.outcome === 'claimed' ? d.events : []))).to.deep.equal(
      [],
    );
  });
});
