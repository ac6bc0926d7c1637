import { expect } from 'chai';
import { sampleTimed } from '../../domain/resource/testing/sampleResources.ts';
import { request, type JsonAnswer } from '../../infra/readSide/testing/http.ts';
import { startReadTestApp, type ReadTestApp } from '../../infra/readSide/testing/readTestApp.ts';

interface Slot {
  startTime: string;
  isAvailable: boolean;
  reasons: string[];
}

describe('reads when Redis goes down and comes back (a redis-server of the test)', function () {
  this.timeout(60_000);
  let app: ReadTestApp;
  let partner: string;
  const path =
    '/api/v1/vendors/vendor-degrade/availability?startTime=2026-12-03T14:00:00Z&endTime=2026-12-03T16:00:00Z';
  const read = (minPosition?: string): Promise<JsonAnswer> =>
    request(
      app.expressUrl,
      'GET',
      path,
      partner,
      undefined,
      minPosition ? { 'x-min-position': minPosition } : {},
    );
  const sourceOf = (answer: JsonAnswer) => (answer.body['metadata'] as { source: string }).source;
  const nine = (answer: JsonAnswer) =>
    (answer.body['slots'] as Slot[]).find((s) => s.startTime === '2026-12-03T14:00:00.000Z');
  const until = async (what: string, check: () => Promise<boolean>, ms = 20_000) => {
    const deadline = Date.now() + ms;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`Timed out waiting until ${what}.`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  const hold = async (requesterId: string) => {
    const held = await request(app.expressUrl, 'POST', '/api/v1/reservations', partner, {
      resourceId: 'svc-degrade',
      slotStart: '2026-12-03T14:00:00Z',
      slotEnd: '2026-12-03T15:00:00Z',
      guest: { name: 'Ada Lovelace', email: 'ada@example.test' },
      requesterId,
    });
    expect(held.status, JSON.stringify(held.body)).to.equal(201);
    return held;
  };

  before(async () => {
    app = await startReadTestApp();
    partner = (await app.createPartnerKey()).key;
    const registered = await request(app.expressUrl, 'POST', '/api/v1/resources', app.adminKey, {
      ...sampleTimed({
        vendorId: 'vendor-degrade',
        taxJurisdiction: { country: 'DE', eilatDealer: false },
      }),
      resourceId: 'svc-degrade',
    });
    expect(registered.status).to.equal(201);
  });
  after(async () => app.close());

  it('serves from Redis, then from Postgres while it is down (same answers, writes keep working), then from Redis again', async () => {
    const first = await hold('req-1');
    await until('Redis is warm and shows the hold', async () => {
      const answer = await read(String(first.body['position']));
      return sourceOf(answer) === 'redis' && nine(answer)?.isAvailable === false;
    });
    const warmAnswer = await read();
    expect(nine(warmAnswer)?.reasons).to.deep.equal(['HELD']);

    await app.redis.stop();
    const down = await read(String(first.body['position']));
    expect(down.status).to.equal(200);
    expect(sourceOf(down)).to.equal('postgres');
    expect(down.body['stale']).to.equal(false);
    expect(down.body['slots']).to.deep.equal(warmAnswer.body['slots']);

    // A write while Redis is down, read back through Postgres.
    const cancelled = await request(
      app.expressUrl,
      'POST',
      `/api/v1/bookings/${String(first.body['reservationId'])}/cancel`,
      partner,
      { reason: 'redis is down' },
    );
    expect(cancelled.status, JSON.stringify(cancelled.body)).to.equal(200);
    const afterCancel = await read(String(cancelled.body['position']));
    expect(sourceOf(afterCancel)).to.equal('postgres');
    expect(nine(afterCancel)).to.include({ isAvailable: true });

    // Back, empty (no persistence): the projection rebuilds it from the log before reads use it.
    await app.redis.start();
    await until(
      'Redis is caught up and read again',
      async () => sourceOf(await read()) === 'redis',
      30_000,
    );
    expect(nine(await read())).to.include({ isAvailable: true });
    const second = await hold('req-2');
    const again = await read(String(second.body['position']));
    expect(sourceOf(again)).to.equal('redis');
    expect(nine(again)?.reasons).to.deep.equal(['HELD']);
  });
});
