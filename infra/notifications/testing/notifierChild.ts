/**
 * The notifier role as its own process, for the kill -9 test
 * (notifierDelivery.e2e.spec.ts), built like webhookChild.ts. Environment:
 * - NOTIFIER_DATABASE_URL, NOTIFIER_SCHEMA: the test's database and schema;
 * - NOTIFIER_SMTP_URL: the test's SMTP server;
 * - NOTIFIER_GUEST: JSON {reservationId, name, email} for the in-memory guest directory;
 * - NOTIFIER_CRASH_AFTER_SEND=1: SIGKILL this process after the first event's
 *   messages were sent, before its checkpoint is stored.
 */
import { createInMemoryGuestDirectory } from '../../../commands/shared/guestDirectory.ts';
import { domainEventCodec } from '../../../commands/shared/eventCodec.ts';
import { systemClock } from '../../composition/systemPorts.ts';
import { getPostgresCheckpointStore } from '../../eventStore/postgres/checkpointStore.ts';
import { getPostgresEventStore } from '../../eventStore/postgres/postgresEventStore.ts';
import { createPool } from '../../postgres/pool.ts';
import { getHmacLinkTokens, loadLinkSecret } from '../linkTokens.ts';
import { createMailer, createOutboxSms } from '../mailer.ts';
import { createNotificationDelivery } from '../notificationDelivery.ts';
import { createNotifierMetrics } from '../notifierMetrics.ts';
import { startNotifier } from '../notifierRole.ts';
import { getPostgresOptOuts, getPostgresVendorContacts } from '../postgresNotifications.ts';

const env = (name: string): string => {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`${name} must be set.`);
  return value;
};

const connectionString = env('NOTIFIER_DATABASE_URL');
const schema = env('NOTIFIER_SCHEMA');
const guest = JSON.parse(env('NOTIFIER_GUEST')) as {
  reservationId: string;
  name: string;
  email: string;
};
const crash = process.env['NOTIFIER_CRASH_AFTER_SEND'] === '1';
const pool = createPool({ connectionString, schema, max: 3, applicationName: 'notifier-child' });
const store = getPostgresEventStore(pool, { schema, connectionString });
const from = { name: 'booking-ledger', email: 'bookings@ledger.test' };
const guests = createInMemoryGuestDirectory(
  new Map([
    [
      guest.reservationId,
      {
        status: 'present',
        guestId: 'g-1',
        data: { name: guest.name, email: guest.email, language: 'en' },
      },
    ],
  ]),
);
startNotifier({
  pool,
  store,
  codec: domainEventCodec,
  checkpoints: getPostgresCheckpointStore(pool),
  delivery: createNotificationDelivery({
    pool,
    compose: {
      write: { store, codec: domainEventCodec },
      guests,
      vendors: getPostgresVendorContacts(pool),
      links: getHmacLinkTokens(pool, () => loadLinkSecret(pool)),
      optOuts: getPostgresOptOuts(pool),
      baseUrl: 'http://127.0.0.1:1',
      from,
      clock: systemClock,
      refundWaitMs: 0,
    },
    mailer: createMailer({ smtpUrl: env('NOTIFIER_SMTP_URL'), outboxDir: '/nonexistent', from }),
    sms: createOutboxSms('/nonexistent'),
    metrics: createNotifierMetrics(),
    policy: { firstDelayMs: 50, factor: 2, maxDelayMs: 200, giveUpAfterMs: 5_000, jitter: 0 },
    random: () => 0.5,
  }),
  clock: systemClock,
  reminderBeforeMs: 0,
  pollMs: 50,
  leaseConnectionString: connectionString,
  leaseScope: schema,
  logger: {
    warn: (details, message) => process.stderr.write(`${message} ${JSON.stringify(details)}\n`),
  },
  afterSend: () => {
    if (crash) process.kill(process.pid, 'SIGKILL');
  },
});
process.stdout.write('notifier started\n');
