import { expect } from 'chai';
import ICAL from 'ical.js';
import { DEFAULT_SAGA_OPTIONS } from '../../domain/payment/sagaDecider.ts';
import { sampleNightly } from '../../domain/resource/testing/sampleResources.ts';
import { createNotificationParts } from '../../infra/composition/notifications.ts';
import { loadConfig } from '../../infra/config/config.ts';
import { getPostgresCheckpointStore } from '../../infra/eventStore/postgres/checkpointStore.ts';
import { DEDUP_HEADER } from '../../infra/notifications/mailer.ts';
import type { RunningNotifier } from '../../infra/notifications/notifierRole.ts';
import {
  calendarOf,
  startSmtpTestServer,
  type ReceivedMail,
  type SmtpTestServer,
} from '../../infra/notifications/testing/smtpTestServer.ts';
import { createLogger } from '../../infra/observability/logger.ts';
import { getSimulatedPaymentGateway } from '../../infra/payments/simulated/simulatedPaymentGateway.ts';
import {
  startPaymentSaga,
  type RunningPaymentSaga,
} from '../../infra/processManagers/paymentSagaProcess.ts';
import { getPostgresSagaTimers } from '../../infra/processManagers/postgresSagaTimers.ts';
import { startWriteTestApp, type WriteTestApp } from '../../infra/testing/writeTestApp.ts';
import { createStaticPaymentAccounts } from '../payments/paymentSaga/ports.ts';
import { call } from '../shared/testing/httpClient.ts';
import { holdNights } from '../shared/testing/lifecycle.ts';
import { registerResource } from '../shared/testing/reservationFixtures.ts';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const inviteOf = (mail: ReceivedMail) => {
  const ics = calendarOf(mail);
  if (ics === undefined) throw new Error(`No calendar part in "${mail.parsed.subject ?? ''}".`);
  const calendar = new ICAL.Component(ICAL.parse(ics) as unknown[]);
  const event = calendar.getFirstSubcomponent('vevent');
  if (!event) throw new Error('The invite has no VEVENT.');
  return {
    method: calendar.getFirstPropertyValue('method'),
    uid: event.getFirstPropertyValue('uid'),
    sequence: Number(event.getFirstPropertyValue('sequence')),
    start: (event.getFirstPropertyValue('dtstart') as ICAL.Time).toString(),
    end: (event.getFirstPropertyValue('dtend') as ICAL.Time).toString(),
  };
};

/**
 * Issue 11 "Shown by": a real SMTP server, the saga and the notifier beside
 * the API. The vendor's email carries working one-click links; the guest's
 * confirmation carries an invite that a cancellation cancels.
 */
describe('notifications over a real SMTP server (vendor links, guest invites)', function () {
  this.timeout(60_000);
  let smtp: SmtpTestServer;
  let app: WriteTestApp;
  let saga: RunningPaymentSaga;
  let notifier: RunningNotifier;
  const sagaErrors: unknown[] = [];

  before(async () => {
    smtp = await startSmtpTestServer();
    const config = loadConfig({
      SMTP_URL: smtp.url,
      NOTIFY_FROM: 'bookings@ledger.test',
      NOTIFY_REMINDER_BEFORE: 'PT0S',
    });
    let parts: ReturnType<typeof createNotificationParts> | undefined;
    app = await startWriteTestApp({
      extraRoutes: (writeSide, db) => {
        parts = createNotificationParts(config, db.pool, createLogger('silent'), {
          clock: writeSide.clock,
          pollMs: 50,
        });
        return parts.routes(writeSide);
      },
    });
    if (!parts) throw new Error('routes were not built');
    saga = startPaymentSaga(
      {
        write: app.writeSide,
        gateway: getSimulatedPaymentGateway(app.db.pool),
        clock: app.clock,
        jitter: () => 0.5,
        accounts: createStaticPaymentAccounts(),
        notifier: parts.vendorNotifier,
        timers: getPostgresSagaTimers(app.db.pool),
        options: DEFAULT_SAGA_OPTIONS,
      },
      {
        store: app.store,
        checkpoints: getPostgresCheckpointStore(app.db.pool),
        timerPollMs: 25,
        onError: (error) => sagaErrors.push(error),
      },
    );
    const directory = app.writeSide.guestDirectory;
    if (!directory) throw new Error('the write test app has no PII store');
    notifier = parts.start({
      store: app.store,
      guests: directory,
      baseUrl: app.baseUrl,
      connectionString: app.db.connectionString,
      schema: app.db.schema,
    });
  });
  after(async () => {
    saga?.stop();
    notifier?.stop();
    await pause(100);
    await app?.close();
    await smtp?.close();
  });

  const stateOf = async (id: string, key: string) =>
    String((await call(app, 'GET', `/api/v1/reservations/${id}`, key)).body['state']);
  const reached = async (id: string, key: string, state: string) => {
    const deadline = Date.now() + 15_000;
    while ((await stateOf(id, key)) !== state) {
      if (Date.now() > deadline)
        throw new Error(`${id} never reached ${state}; saga: ${sagaErrors.map(String).join('; ')}`);
      await pause(50);
    }
  };
  const linkIn = (mail: ReceivedMail, label: string): string => {
    const match = new RegExp(`${label}: (\\S+)`).exec(mail.parsed.text ?? '');
    if (!match?.[1]) throw new Error(`No "${label}" link in the vendor email.`);
    return match[1];
  };
  const click = async (url: string, method = 'GET') => {
    const response = await fetch(url, { method });
    return { status: response.status, html: await response.text() };
  };

  it('hold → vendor email with links → confirm by GET → guest confirmation with an invite → cancellation cancels it', async () => {
    const vendor = await app.createVendorToken();
    const partner = await app.createPartnerKey();
    const resourceId = await registerResource(
      app.writeSide,
      sampleNightly({ vendorId: vendor.vendorId, confirmationPolicy: 'vendor' }),
    );
    const guestEmail = `dana-${vendor.vendorId}@guest.test`;
    const id = await holdNights(app, partner.key, resourceId, '2026-12-24', '2026-12-26', {
      guest: { name: 'Dana Cohen', email: guestEmail, language: 'he' },
    });

    // Seed 004 step 2: the saga notifies, the notifier emails every vendor user.
    const vendorMail = await smtp.waitFor('the vendor request', (m) =>
      m.to.includes(`${vendor.vendorId}@example.test`),
    );
    expect(vendorMail.parsed.text).to.contain('Dana Cohen');
    expect(vendorMail.dedup).to.match(/^[0-9a-f]{40}$/);
    expect(vendorMail.raw).to.match(new RegExp(`^${DEDUP_HEADER}: `, 'im'));
    const confirm = linkIn(vendorMail, 'Confirm the request');
    const decline = linkIn(vendorMail, 'Decline the request');
    expect(confirm.startsWith(`${app.baseUrl}/api/v1/vendor-requests/`)).to.equal(true);
    await reached(id, partner.key, 'AWAITING_VENDOR_CONFIRMATION');

    // A forged signature, and a malformed token, change nothing.
    const [payload, signature] = confirm.split('/').at(-2)?.split('.') ?? [];
    const forged = confirm.replace(`${payload}.${signature}`, `${payload}.${'A'.repeat(43)}`);
    expect((await click(forged)).status).to.equal(403);
    expect(
      (await click(confirm.replace(/\/[^/]+\/confirm$/, '/not-a-token/confirm'))).status,
    ).to.equal(400);
    expect(await stateOf(id, partner.key)).to.equal('AWAITING_VENDOR_CONFIRMATION');

    // The click (a plain GET, no login) confirms.
    const clicked = await click(confirm);
    expect(clicked.status).to.equal(200);
    expect(clicked.html).to.contain('Request confirmed');
    await reached(id, partner.key, 'AWAITING_REQUESTER_AUTH');
    // Single use: the same link, and its sibling decline link, are spent.
    const again = await click(confirm, 'POST');
    expect(again.status).to.equal(409);
    expect(again.html).to.contain('already used');
    expect((await click(decline)).status).to.equal(409);
    expect(await stateOf(id, partner.key)).to.equal('AWAITING_REQUESTER_AUTH');

    const paid = await call(
      app,
      'POST',
      `/api/v1/reservations/${id}/confirm`,
      partner.key,
      { paymentMethod: 'pm_card_visa' },
      { 'idempotency-key': `confirm-${id}` },
    );
    expect(paid.status).to.equal(202);
    await reached(id, partner.key, 'CONFIRMED');

    const confirmation = await smtp.waitFor('the guest confirmation', (m) =>
      m.to.includes(guestEmail),
    );
    expect(confirmation.parsed.subject).to.match(/^ההזמנה אושרה: /);
    expect(confirmation.parsed.html).to.contain('dir="rtl"');
    const invite = inviteOf(confirmation);
    expect(invite.method).to.equal('REQUEST');
    expect(invite.uid).to.equal(`${id}@booking-ledger`);
    expect([invite.start, invite.end]).to.deep.equal(['2026-12-24', '2026-12-26']);

    const cancelled = await call(app, 'POST', `/api/v1/bookings/${id}/cancel`, partner.key, {
      reason: 'Plans changed',
    });
    expect(cancelled.status).to.equal(200);
    const cancellation = await smtp.waitFor(
      'the guest cancellation',
      (m) => m.to.includes(guestEmail) && m !== confirmation,
    );
    const cancelInvite = inviteOf(cancellation);
    expect(cancelInvite.method).to.equal('CANCEL');
    expect(cancelInvite.uid).to.equal(invite.uid);
    expect(cancelInvite.sequence).to.be.greaterThan(invite.sequence);
    // The refund shown is the one the saga made, read from the payment record.
    const summary = (await call(app, 'GET', `/api/v1/reservations/${id}`, partner.key)).body[
      'paymentSummary'
    ] as { refunded: { amount: number } };
    expect(cancellation.parsed.text).to.contain('הוחזר:');
    if (summary.refunded.amount === 0) expect(cancellation.parsed.text).to.contain('ללא החזר');

    const log = await call(app, 'GET', `/api/v1/reservations/${id}/notifications`, partner.key);
    expect(log.status).to.equal(200);
    const kinds = (log.body['notifications'] as { kind: string; status: string }[]).map(
      (n) => `${n.kind}:${n.status}`,
    );
    expect(kinds).to.deep.equal(['vendor-request:sent', 'confirmation:sent', 'cancellation:sent']);
    const stranger = await app.createPartnerKey();
    expect(
      (await call(app, 'GET', `/api/v1/reservations/${id}/notifications`, stranger.key)).status,
    ).to.equal(403);
    // Every message went out exactly once.
    const dedups = smtp.received.map((m) => m.dedup);
    expect(new Set(dedups).size).to.equal(dedups.length);
  });

  it('an expired link answers 410 and changes nothing', async () => {
    const vendor = await app.createVendorToken();
    const partner = await app.createPartnerKey();
    const resourceId = await registerResource(
      app.writeSide,
      sampleNightly({ vendorId: vendor.vendorId, confirmationPolicy: 'vendor' }),
    );
    const id = await holdNights(app, partner.key, resourceId, '2026-12-20', '2026-12-21');
    const mail = await smtp.waitFor('the second vendor request', (m) =>
      m.to.includes(`${vendor.vendorId}@example.test`),
    );
    await reached(id, partner.key, 'AWAITING_VENDOR_CONFIRMATION');
    app.clock.advance(60 * 60_000);
    const expired = await click(linkIn(mail, 'Decline the request'));
    expect(expired.status).to.equal(410);
    expect(expired.html).to.contain('expired');
    expect(await stateOf(id, partner.key)).to.equal('AWAITING_VENDOR_CONFIRMATION');
  });
});
