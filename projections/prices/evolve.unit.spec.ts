import { expect } from 'chai';
import { sampleNightly } from '../../domain/resource/testing/sampleResources.ts';
import { evolvePriceSource, pricesOf } from './evolve.ts';

describe('prices evolve', () => {
  it('prices each date from the rules (weekend factor) through the quote’s unit line', () => {
    const config = sampleNightly({ horizonDays: 10 });
    const rules = { ...config.pricingRules, dayOfWeek: [{ days: [5, 6], basisPoints: 12_500 }] };
    const source = evolvePriceSource(
      undefined,
      {
        type: 'ResourceRegistered',
        data: {
          ...config,
          pricingRules: rules,
          resourceId: 'r',
          registeredAt: '2026-12-01T10:00:00.000Z',
        },
      },
      0,
    );
    const prices = pricesOf(source);
    expect(prices).to.have.length(11);
    // 2026-12-04 is a Friday: 20 000 × 1.25
    expect(prices.find((p) => p.date === '2026-12-04')?.price).to.equal(25_000);
    expect(prices.find((p) => p.date === '2026-12-03')?.price).to.equal(20_000);
    const again = evolvePriceSource(
      source,
      {
        type: 'ResourceRetired',
        data: { resourceId: 'r', reason: 'x', retiredAt: '2026-12-02T00:00:00.000Z' },
      },
      0,
    );
    expect(again).to.equal(source);
  });
});
