import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { call } from '../../commands/shared/testing/httpClient.ts';
import { holdNights } from '../../commands/shared/testing/lifecycle.ts';
import { registerResource } from '../../commands/shared/testing/reservationFixtures.ts';
import { sampleNightly } from '../../domain/resource/testing/sampleResources.ts';
import { createNotificationParts } from '../composition/notifications.ts';
import { loadConfig } from '../config/config.ts';
import { getPostgresCheckpointStore } from '../eventStore/postgres/checkpointStore.ts';
import { createLogger } from '../observability/logger.ts';
import { startWriteTestApp, type WriteTestApp } from '../testing/writeTestApp.ts';
import type { RunningNotifier } from './notifierRole.ts';
import { startSmtpTestServer, type SmtpTestServer } from './testing/smtpTestServer.ts';

const CHILD = fileURLToPath(new URL('./testing/notifierChild.ts', import.meta.url));
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A cancelled hold whose guest left an email: one cancellation message to send. */
const cancelledHold = async (app: WriteTestApp, email: string) => {
  const partner = await app.createPartnerKey();
  const resourceId = await registerResource(app.writeSide, sampleNightly());
  const id = await holdNights(app, partner.key, resourceId, '2026-12-24', '2026-12-26', {
    guest: { name: 'Ada Lovelace', email },
  });
  const cancelled = await call(app, 'POST', `/api/v1/bookings/${id}/cancel`, partner.key, {
    reason: 'Plans changed',
  });
  expect(cancelled.status).to.equal(200);
  return { id, partner };
};

describe('the notifier killed with SIGKILL between a send and its checkpoint', function () {
  this.timeout(60_000);
  let smtp: SmtpTestServer;
  let app: WriteTestApp;
  const children: ChildProcess[] = [];

  before(async () => {
    smtp = await startSmtpTestServer();
    app = await startWriteTestApp();
  });
  after(async () => {
    for (const child of children)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await app?.close();
    await smtp?.close();
  });

  const startChild = (guest: object, crash: boolean) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
      env: {
        ...process.env,
        NOTIFIER_DATABASE_URL: app.db.connectionString,
        NOTIFIER_SCHEMA: app.db.schema,
        NOTIFIER_SMTP_URL: smtp.url,
        NOTIFIER_GUEST: JSON.stringify(guest),
        NOTIFIER_CRASH_AFTER_SEND: crash ? '1' : '0',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    children.push(child);
    return child;
  };

  it('replays the event after the restart and sends nothing twice (same dedup key)', async () => {
    const email = 'ada-crash@guest.test';
    const { id } = await cancelledHold(app, email);
    const guest = { reservationId: id, name: 'Ada Lovelace', email };
    const checkpoints = getPostgresCheckpointStore(app.db.pool);

    const first = startChild(guest, true);
    const [, signal] = (await once(first, 'exit')) as [number | null, string | null];
    expect(signal).to.equal('SIGKILL');
    // It died after the SMTP server took the message and before the checkpoint moved.
    expect(smtp.received.filter((m) => m.to.includes(email))).to.have.length(1);
    expect(await checkpoints.load('process:notifier')).to.equal(undefined);

    const second = startChild(guest, false);
    const deadline = Date.now() + 30_000;
    while ((await checkpoints.load('process:notifier')) === undefined) {
      if (Date.now() > deadline) throw new Error('the restarted notifier never checkpointed');
      await pause(50);
    }
    await pause(300);
    second.kill('SIGKILL');
    const mails = smtp.received.filter((m) => m.to.includes(email));
    expect(mails).to.have.length(1);
    const [mail] = mails;
    expect(mail?.dedup).to.match(/^[0-9a-f]{40}$/);
    expect(mail?.parsed.messageId).to.equal(`<${mail?.dedup ?? ''}@booking-ledger.notifications>`);
    const { rows } = await app.db.pool.query<{ status: string; attempts: number }>(
      'SELECT status, attempts FROM notification_messages WHERE reservation_id = $1',
      [id],
    );
    expect(rows).to.deep.equal([{ status: 'sent', attempts: 1 }]);
  });
});

describe('notification retries, dead letters and the admin retry route', function () {
  this.timeout(60_000);
  let smtp: SmtpTestServer;
  let app: WriteTestApp;
  let notifier: RunningNotifier | undefined;

  before(async () => {
    smtp = await startSmtpTestServer();
    const config = loadConfig({ SMTP_URL: smtp.url, NOTIFY_REMINDER_BEFORE: 'PT0S' });
    let parts: ReturnType<typeof createNotificationParts> | undefined;
    app = await startWriteTestApp({
      extraRoutes: (writeSide, db) => {
        parts = createNotificationParts(config, db.pool, createLogger('silent'), {
          clock: { now: () => new Date() },
          pollMs: 25,
          policy: { firstDelayMs: 50, factor: 2, maxDelayMs: 100, giveUpAfterMs: 400, jitter: 0 },
        });
        return parts.routes(writeSide);
      },
    });
    const directory = app.writeSide.guestDirectory;
    if (!parts || !directory) throw new Error('the test app was not built');
    notifier = parts.start({
      store: app.store,
      guests: directory,
      baseUrl: app.baseUrl,
      connectionString: app.db.connectionString,
      schema: app.db.schema,
    });
  });
  after(async () => {
    notifier?.stop();
    await pause(100);
    await app?.close();
    await smtp?.close();
  });

  it('retries a refused message with backoff, dead-letters it, and an admin retry delivers it once', async () => {
    const email = 'ada-refused@guest.test';
    let refusals = 0;
    smtp.refuse = (address) => {
      if (address !== email) return undefined;
      refusals += 1;
      return 'Mailbox unavailable';
    };
    const { id, partner } = await cancelledHold(app, email);
    type Letter = { id: string; reservationId: string; attempts: number; lastError: string };
    const deadLetter = async (): Promise<Letter | undefined> => {
      const r = await call(app, 'GET', '/api/v1/admin/notifications/dead-letters', app.adminKey);
      expect(r.status).to.equal(200);
      return (r.body['deadLetters'] as Letter[]).find((l) => l.reservationId === id);
    };
    const deadline = Date.now() + 20_000;
    let letter = await deadLetter();
    while (!letter) {
      if (Date.now() > deadline) throw new Error('the refused message was never dead-lettered');
      await pause(50);
      letter = await deadLetter();
    }
    expect(letter.attempts).to.be.greaterThan(1);
    expect(refusals).to.equal(letter.attempts);
    expect(letter.lastError).to.contain('Mailbox unavailable');
    expect(smtp.received.filter((m) => m.to.includes(email))).to.have.length(0);
    // Only admins see or retry dead letters.
    expect(
      (await call(app, 'GET', '/api/v1/admin/notifications/dead-letters', partner.key)).status,
    ).to.equal(403);
    expect(
      (
        await call(
          app,
          'POST',
          '/api/v1/admin/notifications/dead-letters/999999/retry',
          app.adminKey,
        )
      ).status,
    ).to.equal(404);

    smtp.refuse = undefined;
    const retried = await call(
      app,
      'POST',
      `/api/v1/admin/notifications/dead-letters/${letter.id}/retry`,
      app.adminKey,
    );
    expect(retried.status).to.equal(202);
    const mail = await smtp.waitFor('the retried message', (m) => m.to.includes(email));
    expect(mail.parsed.subject).to.match(/^Booking cancelled: /);
    await pause(300);
    expect(smtp.received.filter((m) => m.to.includes(email))).to.have.length(1);
    expect(await deadLetter()).to.equal(undefined);
    const log = await call(app, 'GET', `/api/v1/reservations/${id}/notifications`, partner.key);
    expect(
      (log.body['notifications'] as { kind: string; status: string }[]).map(
        (n) => `${n.kind}:${n.status}`,
      ),
    ).to.deep.equal(['cancellation:sent']);
  });
});
