import { expect } from 'chai';
import { noShowFee, refundFor } from './cancellationPolicy.ts';
import { cancellationPolicySchema } from './rules.ts';

const policy = cancellationPolicySchema.parse({
  tiers: [
    { minHoursBefore: 72, refund: { kind: 'percent', basisPoints: 10_000 } },
    { minHoursBefore: 24, refund: { kind: 'percent', basisPoints: 5_000 } },
    { minHoursBefore: 2, refund: { kind: 'fixed', amount: 2_000 } },
  ],
  noShowFee: { kind: 'fixed', amount: 15_000 },
});
const paid = { amount: 10_001, currency: 'EUR' };
const start = '2026-12-24T15:00:00Z';

describe('cancellation policy tiers', () => {
  it('refunds in full 72 hours or more before the start', () => {
    expect(refundFor(policy, paid, start, '2026-12-21T15:00:00Z')).to.deep.equal({
      refund: paid,
      tierMinHoursBefore: 72,
      hoursBeforeStart: 72,
    });
  });

  it('drops to the next tier one minute later (hours round down), rounding half-up', () => {
    const decision = refundFor(policy, paid, start, '2026-12-21T15:01:00Z');
    expect(decision).to.deep.equal({
      refund: { amount: 5_001, currency: 'EUR' },
      tierMinHoursBefore: 24,
      hoursBeforeStart: 71,
    });
  });

  it('caps a fixed refund at the amount paid', () => {
    expect(
      refundFor(policy, { amount: 1_500, currency: 'EUR' }, start, '2026-12-24T10:00:00Z').refund
        .amount,
    ).to.equal(1_500);
  });

  it('refunds nothing below the last tier or after the start', () => {
    expect(refundFor(policy, paid, start, '2026-12-24T14:00:00Z')).to.deep.equal({
      refund: { amount: 0, currency: 'EUR' },
      tierMinHoursBefore: null,
      hoursBeforeStart: 1,
    });
    expect(refundFor(policy, paid, start, '2026-12-25T14:00:00Z').refund.amount).to.equal(0);
  });

  it('charges a no-show fee capped at the amount paid; the default keeps everything', () => {
    expect(noShowFee(policy, paid).amount).to.equal(10_001);
    expect(noShowFee(policy, { amount: 20_000, currency: 'EUR' }).amount).to.equal(15_000);
    expect(noShowFee(cancellationPolicySchema.parse({ tiers: [] }), paid).amount).to.equal(10_001);
  });
});
