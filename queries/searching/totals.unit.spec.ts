import { expect } from 'chai';
import { sampleNightly } from '../../domain/resource/testing/sampleResources.ts';
import { quoteOf } from '../shared/quoteOf.ts';
import type { SlotUsage } from '../shared/slotUsage.ts';
import { createTotalMemo, type TotalRequest } from './totals.ts';

const base = sampleNightly();
const config = sampleNightly({
  pricingRules: {
    ...base.pricingRules,
    // Booked 10+ days ahead: −10 %; half full or more: +20 % (with surge on).
    leadTimeTiers: [{ minDaysBefore: 10, basisPoints: 9_000 }],
    occupancyTiers: [{ minOccupancyBasisPoints: 5_000, basisPoints: 12_000 }],
  },
});
const half: ReadonlyMap<string, SlotUsage> = new Map([
  ['2026-12-20', { capacity: 2, closed: false, booked: 1, held: 0, holds: [] }],
]);
const request = (overrides: Partial<TotalRequest> = {}): TotalRequest => ({
  resourceId: 'r',
  version: 1,
  config,
  slotKeys: ['2026-12-20', '2026-12-21'],
  quantity: 1,
  now: new Date('2026-12-01T10:00:00Z'),
  usage: new Map(),
  guest: { citizenships: [], israeliVisa: null },
  persons: 1,
  promoCode: null,
  surgeEnabled: false,
  ...overrides,
});

describe('search total memo', () => {
  it('answers exactly what quote() answers, for every input the total depends on', () => {
    const memo = createTotalMemo();
    const cases = [
      request(),
      // Same day, later instant: the same booking date, the same total.
      request({ now: new Date('2026-12-01T20:00:00Z') }),
      // 9 days ahead: the lead-time tier no longer applies.
      request({ now: new Date('2026-12-11T10:00:00Z') }),
      request({ quantity: 2 }),
      request({
        version: 2,
        config: { ...config, pricingRules: { ...config.pricingRules, basePrice: 30_000 } },
      }),
      request({ usage: half }),
      request({ usage: half, surgeEnabled: true }),
      request({ surgeEnabled: true }),
    ];
    const totals = cases.map((c) => memo.totalOf(c).total.amount);
    // Asked again in reverse, so hits come back after misses of other keys.
    const again = [...cases]
      .reverse()
      .map((c) => memo.totalOf(c).total.amount)
      .reverse();
    expect(again).to.deep.equal(totals);
    expect(totals).to.deep.equal(cases.map((c) => quoteOf(c).total.amount));
    // The cases really differ where the key says they do.
    expect(totals[0]).to.equal(totals[1]);
    expect(totals[2]).to.be.greaterThan(totals[0] ?? 0);
    expect(totals[6]).to.be.greaterThan(totals[7] ?? 0);
    expect(totals[5]).to.equal(totals[0]);
  });
});
