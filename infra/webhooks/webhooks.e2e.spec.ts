import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { call } from '../../commands/shared/testing/httpClient.ts';
import { appendLifecycle } from './testing/lifecycle.ts';
import { startReceiver, type Receiver } from './testing/receiver.ts';
import {
  IMPATIENT_POLICY,
  startWebhookTestBed,
  type WebhookTestBed,
} from './testing/webhookTestBed.ts';
import { verifyWebhook } from './verifyWebhook.ts';

/** Public events of one COMPLETED lifecycle (see publicEvents.unit.spec.ts). */
const LIFECYCLE_EVENTS = 19;

const firstAcceptedPerId = (receiver: Receiver) => {
  const seen = new Set<string>();
  return receiver.accepted.filter((r) => !seen.has(r.id) && seen.add(r.id));
};

describe('outbound webhooks, end to end with real HTTP receivers', function () {
  this.timeout(60_000);
  let bed: WebhookTestBed;
  let partner: { key: string; partnerId: string };
  const receivers: Receiver[] = [];
  const receiver = async (answer?: Parameters<typeof startReceiver>[0]) => {
    const started = await startReceiver(answer);
    receivers.push(started);
    bed.allowedHosts.push(started.hostPort);
    return started;
  };
  const lifecycle = (reservationId = `r-${randomUUID().slice(0, 8)}`) =>
    appendLifecycle(bed.app.store, {
      reservationId,
      partnerId: partner.partnerId,
      vendorId: 'vendor-1',
    }).then(() => reservationId);
  const register = async (url: string, events: string[] = ['*']) => {
    const created = await bed.register(partner.key, { url, events });
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    return { id: String(created.body['id']), secret: String(created.body['secret']) };
  };

  before(async () => {
    bed = await startWebhookTestBed();
    partner = await bed.app.createPartnerKey();
    bed.startRole();
  });
  after(async () => {
    await bed.close();
    await Promise.all(receivers.map((r) => r.close()));
  });

  it('signs every delivery so the documented snippet verifies it, with Webhook-Id and X-Webhook-Version', async () => {
    const hook = await receiver();
    const { secret } = await register(hook.url);
    const reservationId = await lifecycle();
    await hook.waitFor(
      (a) => a.filter((r) => r.event.reservationId === reservationId).length >= LIFECYCLE_EVENTS,
    );
    const mine = hook.accepted.filter((r) => r.event.reservationId === reservationId);
    expect(mine).to.have.length(LIFECYCLE_EVENTS);
    for (const delivery of mine) {
      expect(verifyWebhook(delivery.body, delivery.signature, secret), delivery.signature).to.equal(
        true,
      );
      expect(verifyWebhook(delivery.body, delivery.signature, 'whsec_wrong')).to.equal(false);
      expect(verifyWebhook(`${delivery.body} `, delivery.signature, secret)).to.equal(false);
      expect(delivery.id).to.equal(delivery.event.id);
      expect(delivery.version).to.equal('2026-12-01');
    }
    expect(mine.map((r) => r.event.type).slice(0, 2)).to.deep.equal([
      'reservation.created',
      'booking.created',
    ]);
    const versions = mine.map((r) => r.event.reservationVersion ?? 0);
    expect(versions).to.deep.equal([...versions].sort((a, b) => a - b));
  });

  it('refuses a replayed signature outside the tolerance', async () => {
    const hook = await receiver();
    const { secret } = await register(hook.url, ['reservation.created']);
    await lifecycle();
    await hook.waitFor((a) => a.length >= 1);
    const delivery = hook.accepted[0];
    if (!delivery) throw new Error('no delivery');
    expect(
      verifyWebhook(delivery.body, delivery.signature, secret, 300, Date.now() + 301_000),
    ).to.equal(false);
  });

  it('retries a receiver that fails its first 3 requests, which then gets each event exactly once', async () => {
    // Events of earlier tests' reservations may still be fanned out to a new endpoint: only ours count.
    const reservationId = `r-${randomUUID().slice(0, 8)}`;
    let failures = 0;
    const ours = (r: { event: { reservationId?: string } }) =>
      r.event.reservationId === reservationId;
    const hook = await receiver((request) => (ours(request) && failures++ < 3 ? 503 : 200));
    const endpoint = await register(hook.url, ['reservation.*']);
    await lifecycle(reservationId);
    await hook.waitFor((a) => a.some((r) => ours(r) && r.event.type === 'reservation.committed'));
    const mine = hook.accepted.filter(ours);
    const ids = mine.map((r) => r.id);
    expect(new Set(ids).size).to.equal(ids.length);
    expect(mine.map((r) => r.event.type)).to.deep.equal([
      'reservation.created',
      'reservation.vendor_confirmed',
      'reservation.vendor_authorized',
      'reservation.authorized_both',
      'reservation.committed',
    ]);
    expect(
      hook.requests
        .filter(ours)
        .slice(0, 4)
        .map((r) => r.id),
    ).to.deep.equal(Array(4).fill(ids[0]));
    const log = await call(
      bed.app,
      'GET',
      `/api/v1/webhooks/endpoints/${endpoint.id}/deliveries?limit=100`,
      partner.key,
    );
    const deliveries = log.body['deliveries'] as {
      id: string;
      eventId: string;
      attempts: number;
      status: string;
    }[];
    const first = deliveries.find((d) => d.eventId === ids[0]);
    expect(first).to.include({ attempts: 4, status: 'delivered' });
    const detail = await call(
      bed.app,
      'GET',
      `/api/v1/webhooks/endpoints/${endpoint.id}/deliveries/${first?.id}`,
      partner.key,
    );
    const attempts = detail.body['log'] as { statusCode: number; responseExcerpt: string }[];
    expect(attempts.map((a) => a.statusCode)).to.deep.equal([200, 503, 503, 503]);
    expect(attempts[1]?.responseExcerpt.length).to.be.at.most(256);
    const byEvent = await call(
      bed.app,
      'GET',
      `/api/v1/webhooks/events/${encodeURIComponent(ids[0] ?? '')}/deliveries`,
      partner.key,
    );
    // Every endpoint of this partner subscribed to reservation.created: '*', 'reservation.created', ours.
    const byEndpoint = (byEvent.body['deliveries'] as { endpointId: string }[]).map(
      (d) => d.endpointId,
    );
    expect(byEndpoint).to.have.length(3).and.to.include(endpoint.id);
  });

  it('keeps each reservation in log order under concurrent changes and a flaky receiver', async () => {
    let n = 0;
    const hook = await receiver(() => (n++ % 3 === 1 ? 500 : 200));
    await register(hook.url);
    const ids = await Promise.all(Array.from({ length: 6 }, () => lifecycle()));
    await hook.waitFor(
      (a) =>
        ids.every(
          (id) =>
            new Set(a.filter((r) => r.event.reservationId === id).map((r) => r.id)).size >=
            LIFECYCLE_EVENTS,
        ),
      40_000,
    );
    for (const id of ids) {
      const mine = firstAcceptedPerId(hook).filter((r) => r.event.reservationId === id);
      const versions = mine.map((r) => r.event.reservationVersion ?? 0);
      expect(versions, id).to.deep.equal([...versions].sort((a, b) => a - b));
      expect(mine).to.have.length(LIFECYCLE_EVENTS);
      // In order: nothing of a reservation is accepted before every earlier event of it was.
      const accepted = hook.accepted.filter((r) => r.event.reservationId === id);
      const firsts = accepted.map((r) => mine.findIndex((m) => m.id === r.id));
      for (const [i, index] of firsts.entries())
        expect(index).to.be.at.most(Math.max(...firsts.slice(0, i + 1)));
    }
  });

  it('signs with both secrets during a rotation overlap, and with the new one only after', async () => {
    const hook = await receiver();
    const { id, secret: oldSecret } = await register(hook.url, ['reservation.created']);
    const rotated = await call(
      bed.app,
      'POST',
      `/api/v1/webhooks/endpoints/${id}/rotate-secret`,
      partner.key,
      { overlapSeconds: 3600 },
    );
    expect(rotated.status).to.equal(200);
    const newSecret = String(rotated.body['secret']);
    expect(newSecret).not.to.equal(oldSecret);
    await lifecycle();
    await hook.waitFor((a) => a.length >= 1);
    const during = hook.accepted[0];
    if (!during) throw new Error('no delivery');
    expect(during.signature.match(/v1=/g)).to.have.length(2);
    expect(verifyWebhook(during.body, during.signature, oldSecret)).to.equal(true);
    expect(verifyWebhook(during.body, during.signature, newSecret)).to.equal(true);
    const ended = await call(
      bed.app,
      'POST',
      `/api/v1/webhooks/endpoints/${id}/rotate-secret`,
      partner.key,
      { overlapSeconds: 0 },
    );
    const newest = String(ended.body['secret']);
    await lifecycle();
    await hook.waitFor((a) => a.length >= 2);
    const after = hook.accepted[1];
    if (!after) throw new Error('no delivery');
    expect(verifyWebhook(after.body, after.signature, newest)).to.equal(true);
    expect(verifyWebhook(after.body, after.signature, newSecret)).to.equal(false);
  });

  it('sends a signed test event on request', async () => {
    const hook = await receiver();
    const { id, secret } = await register(hook.url, ['booking.completed']);
    const queued = await call(
      bed.app,
      'POST',
      `/api/v1/webhooks/endpoints/${id}/test`,
      partner.key,
    );
    expect(queued.status).to.equal(202);
    await hook.waitFor((a) => a.length >= 1);
    expect(hook.accepted[0]?.event.type).to.equal('webhook.test');
    expect(
      verifyWebhook(hook.accepted[0]?.body ?? '', hook.accepted[0]?.signature ?? '', secret),
    ).to.equal(true);
  });
});

describe('outbound webhooks: dead letters', function () {
  this.timeout(60_000);
  let bed: WebhookTestBed;
  let partner: { key: string; partnerId: string };
  const receivers: Receiver[] = [];
  const receiver = async (answer?: Parameters<typeof startReceiver>[0]) => {
    const started = await startReceiver(answer);
    receivers.push(started);
    bed.allowedHosts.push(started.hostPort);
    return started;
  };
  const lifecycle = () =>
    appendLifecycle(bed.app.store, {
      reservationId: `r-${randomUUID().slice(0, 8)}`,
      partnerId: partner.partnerId,
      vendorId: 'vendor-1',
    });
  const register = async (url: string, events: string[]) => {
    const created = await bed.register(partner.key, { url, events });
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    return { id: String(created.body['id']), secret: String(created.body['secret']) };
  };
  before(async () => {
    bed = await startWebhookTestBed({ policy: IMPATIENT_POLICY, disableAfterDeadLetters: 3 });
    partner = await bed.app.createPartnerKey();
    bed.startRole();
  });
  after(async () => {
    await bed.close();
    await Promise.all(receivers.map((r) => r.close()));
  });

  it('dead-letters a receiver down longer than the policy, disables the endpoint, and redelivers by hand', async () => {
    let up = false;
    const hook = await receiver(() => (up ? 200 : 500));
    const endpoint = await register(hook.url, ['booking.*']);
    await lifecycle();
    const deadline = Date.now() + 20_000;
    let view: Record<string, unknown> = {};
    while (Date.now() < deadline) {
      view = (await call(bed.app, 'GET', `/api/v1/webhooks/endpoints/${endpoint.id}`, partner.key))
        .body;
      if (view['enabled'] === false) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(view['enabled']).to.equal(false);
    expect(String(view['disabledReason'])).to.match(/3 deliveries in a row/);
    const dead = await call(
      bed.app,
      'GET',
      `/api/v1/webhooks/endpoints/${endpoint.id}/deliveries?status=dead`,
      partner.key,
    );
    const letters = dead.body['deliveries'] as { id: string; eventId: string }[];
    expect(letters.length).to.equal(3);
    expect(hook.accepted).to.have.length(0);
    up = true;
    const enabled = await call(
      bed.app,
      'PATCH',
      `/api/v1/webhooks/endpoints/${endpoint.id}`,
      partner.key,
      { enabled: true },
    );
    expect(enabled.body['enabled']).to.equal(true);
    const oldest = letters[letters.length - 1];
    const again = await call(
      bed.app,
      'POST',
      `/api/v1/webhooks/endpoints/${endpoint.id}/deliveries/${oldest?.id}/redeliver`,
      partner.key,
    );
    expect(again.status).to.equal(202);
    await hook.waitFor((a) => a.some((r) => r.id === oldest?.eventId));
    expect(hook.accepted.filter((r) => r.id === oldest?.eventId)).to.have.length(1);
  });
});
