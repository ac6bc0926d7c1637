import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { parseStoredEvent } from '../../domain/events/registry.ts';
import { sampleNightly } from '../../domain/resource/testing/sampleResources.ts';
import type { ResourceConfig } from '../../domain/resource/schema.ts';
import { MAX_MONEY_AMOUNT, MAX_MONEY_TOTAL } from '../../domain/shared/moneyLimits.ts';
import { resourceStream } from '../../domain/shared/streams.ts';
import { startWriteTestApp, type WriteTestApp } from '../../infra/testing/writeTestApp.ts';
import { NO_STREAM } from '../shared/eventStore.ts';
import { call, guest } from '../shared/testing/httpClient.ts';
import { resourceClient } from '../shared/testing/resourceRequests.ts';

const priced = (basePrice: number, overrides: Partial<ResourceConfig> = {}): ResourceConfig => {
  const base = sampleNightly({ capacity: 10, ...overrides });
  return { ...base, pricingRules: { ...base.pricingRules, basePrice } };
};

/**
 * Issue 9 item 1: a price of 2^53 − 1 was accepted, a 3-night × 3 hold wrote
 * a quote past 2^53, and every reader of that event crash-looped. Money now
 * has one ceiling, enforced where amounts are set and where quotes are made.
 */
describe('money ceiling: every amount is refused past the documented limit, with a 422 and no event', function () {
  this.timeout(30_000);
  let app: WriteTestApp;
  let admin: ReturnType<typeof resourceClient>;
  let partner: { key: string };
  before(async () => {
    app = await startWriteTestApp();
    admin = resourceClient(app.baseUrl, app.adminKey);
    partner = await app.createPartnerKey();
  });
  after(async () => app.close());

  const eventCount = async (): Promise<number> => {
    const result = await app.db.pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM "${app.db.schema}".events`,
    );
    return Number(result.rows[0]?.n);
  };
  const hold = (resourceId: string, quantity: number) =>
    call(app, 'POST', '/api/v1/reservations', partner.key, {
      resourceId,
      checkIn: '2026-12-24',
      checkOut: '2026-12-27',
      quantity,
      guest,
      requesterId: 'req-ceiling',
    });
  const expectRefused = (response: { status: number; body: Record<string, unknown> }) => {
    expect(response.status, JSON.stringify(response.body)).to.equal(422);
    const error = response.body['error'] as Record<string, unknown>;
    expect(error['code']).to.equal('MONEY_LIMIT_EXCEEDED');
    expect(error['message']).to.be.a('string');
    expect(error['details']).to.be.an('object');
    expect(error['retryable']).to.equal(false);
  };

  it('refuses basePrice 2^53 − 1 at registration (the reported attack): 422, nothing appended', async () => {
    const before = await eventCount();
    const response = await admin.register(priced(Number.MAX_SAFE_INTEGER), 'ceiling-attack');
    expectRefused(response);
    expect((response.body['error'] as { details: object }).details).to.include({
      path: 'pricingRules.basePrice',
    });
    expect(await eventCount()).to.equal(before);
  });

  it('refuses every configured amount one past the ceiling, at registration and on change', async () => {
    const over = MAX_MONEY_AMOUNT + 1;
    const base = sampleNightly();
    const variants: [string, Partial<ResourceConfig>][] = [
      [
        'dateOverrides',
        {
          pricingRules: {
            ...base.pricingRules,
            dateOverrides: [{ date: '2026-12-24', price: over }],
          },
        },
      ],
      ['minPrice', { pricingRules: { ...base.pricingRules, minPrice: over, maxPrice: over } }],
      [
        'promo',
        {
          pricingRules: {
            ...base.pricingRules,
            promoCodes: [{ code: 'BIG', discount: { kind: 'fixed', amount: over } }],
          },
        },
      ],
      [
        'cleaning',
        {
          pricingRules: {
            ...base.pricingRules,
            fees: { commissionBasisPoints: 0, insuranceBasisPoints: 0, cleaningPerStay: over },
          },
        },
      ],
      [
        'cityTax',
        {
          taxJurisdiction: {
            country: 'DE',
            eilatDealer: false,
            cityTax: { kind: 'perPersonPerNight', amount: over },
          },
        },
      ],
      [
        'refund',
        {
          cancellationPolicy: {
            tiers: [{ minHoursBefore: 1, refund: { kind: 'fixed', amount: over } }],
            noShowFee: { kind: 'fixed', amount: 1 },
          },
        },
      ],
      ['deposit', { vendorDeposit: { amount: over, currency: 'EUR' } }],
    ];
    await admin.register(sampleNightly(), 'ceiling-change');
    for (const [label, overrides] of variants) {
      const before = await eventCount();
      expectRefused(await admin.register(sampleNightly(overrides), `ceiling-${label}`));
      expectRefused(await admin.change('ceiling-change', overrides));
      expect(await eventCount(), label).to.equal(before);
    }
    const rules = await admin.call(
      '/ceiling-change/pricing-rules',
      { ...base.pricingRules, basePrice: over },
      'PUT',
    );
    expectRefused(rules);
  });

  it('accepts amounts at the ceiling, and a 3-night × 3 hold at it writes an event every reader decodes', async () => {
    const registered = await admin.register(priced(MAX_MONEY_AMOUNT), 'ceiling-at');
    expect(registered.status).to.equal(201);
    const response = await hold('ceiling-at', 3);
    expect(response.status, JSON.stringify(response.body)).to.equal(201);
    const total = (response.body['quote'] as { total: { amount: number } }).total.amount;
    expect(total)
      .to.be.at.least(9 * MAX_MONEY_AMOUNT)
      .and.at.most(MAX_MONEY_TOTAL);
    const events = await app.store.readAll({ maxCount: 10_000 });
    for (const event of events) parseStoredEvent(event.type, event.schemaVersion, event.data);
  });

  it('refuses a quote whose total passes MAX_MONEY_TOTAL: 422, no hold, nothing appended', async () => {
    await admin.register(priced(MAX_MONEY_AMOUNT, { capacity: 1000 }), 'ceiling-total');
    const before = await eventCount();
    expectRefused(await hold('ceiling-total', 1000));
    expect(await eventCount()).to.equal(before);
  });

  it('refuses to hold a resource registered before the ceiling existed with a price of 2^53 − 1', async () => {
    const config = priced(Number.MAX_SAFE_INTEGER);
    await app.store.append([
      {
        stream: resourceStream('ceiling-legacy'),
        expectedRevision: NO_STREAM,
        events: [
          {
            eventId: randomUUID(),
            type: 'ResourceRegistered',
            schemaVersion: app.writeSide.codec.schemaVersionOf('ResourceRegistered'),
            data: {
              resourceId: 'ceiling-legacy',
              ...config,
              registeredAt: '2026-11-01T00:00:00.000Z',
            },
            metadata: {},
          },
        ],
      },
    ]);
    const before = await eventCount();
    expectRefused(await hold('ceiling-legacy', 3));
    expect(await eventCount()).to.equal(before);
  });
});
