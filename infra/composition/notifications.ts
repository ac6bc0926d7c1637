import type { ComposeDeps } from '../../commands/notifying/composeMessage.ts';
import { getVendorActionRoutes } from '../../commands/notifying/vendorActionRoutes.ts';
import { getNotificationRoutes } from '../../commands/notifying/routes.ts';
import { createEmailVendorNotifier } from '../../commands/notifying/vendorNotifier.ts';
import type { VendorNotifier } from '../../commands/payments/paymentSaga/ports.ts';
import { domainEventCodec } from '../../commands/shared/eventCodec.ts';
import type { EventStore } from '../../commands/shared/eventStore.ts';
import type { GuestDirectory } from '../../commands/shared/guestDirectory.ts';
import type { RouteModule } from '../../commands/shared/route.ts';
import type { WriteSide } from '../../commands/shared/writeSide.ts';
import type { RetryPolicy } from '../../domain/integration/retryPolicy.ts';
import type { Config } from '../config/config.ts';
import { getPostgresCheckpointStore } from '../eventStore/postgres/checkpointStore.ts';
import { getHmacLinkTokens, loadLinkSecret } from '../notifications/linkTokens.ts';
import { createMailer, createOutboxSms } from '../notifications/mailer.ts';
import { createNotificationDelivery } from '../notifications/notificationDelivery.ts';
import { createNotifierMetrics } from '../notifications/notifierMetrics.ts';
import { startNotifier, type RunningNotifier } from '../notifications/notifierRole.ts';
import {
  getPostgresMessageQueue,
  getPostgresNotificationLog,
  getPostgresOptOuts,
  getPostgresVendorContacts,
} from '../notifications/postgresNotifications.ts';
import type { Logger } from '../observability/logger.ts';
import type { Registry } from '../observability/metrics.ts';
import type { Pool } from '../postgres/pool.ts';
import { systemClock } from './systemPorts.ts';

/** Email retries: from 30 s, doubling to at most an hour, given up (dead letter) after a day. */
export const NOTIFICATION_RETRY_POLICY: RetryPolicy = {
  firstDelayMs: 30_000,
  factor: 2,
  maxDelayMs: 3_600_000,
  giveUpAfterMs: 24 * 3_600_000,
  jitter: 0.2,
};

/** How long a cancellation waits for the saga's refund before it is sent with what was done. */
const REFUND_WAIT_MS = 10 * 60_000;

const SENDER_NAME = 'booking-ledger';

export interface NotificationParts {
  /** The payment saga's vendor notifier: queues the vendor users' request emails. */
  readonly vendorNotifier: VendorNotifier;
  /** The api role's routes: vendor action links, delivery log, dead letters, opt-out. */
  routes(writeSide: WriteSide): RouteModule[];
  /** Starts the notifier role (email/SMS delivery) once the API's URL is known. */
  start(deps: {
    readonly store: EventStore;
    readonly guests: GuestDirectory;
    readonly baseUrl: string;
    readonly connectionString: string;
    readonly schema: string;
    readonly registry?: Registry | undefined;
  }): RunningNotifier;
}

export const createNotificationParts = (
  config: Config,
  pool: Pool,
  logger: Logger,
  overrides: {
    readonly policy?: RetryPolicy;
    readonly pollMs?: number;
    /** Default the wall clock; tests bring their manual one. */
    readonly clock?: { now(): Date };
  } = {},
): NotificationParts => {
  const clock = overrides.clock ?? systemClock;
  const vendors = getPostgresVendorContacts(pool);
  let wakeRole: (() => void) | undefined;
  const queue = getPostgresMessageQueue(pool, () => wakeRole?.());
  let secret: Promise<Buffer> | undefined;
  const links = getHmacLinkTokens(pool, () => {
    secret ??= loadLinkSecret(pool, config.NOTIFY_LINK_SECRET).catch((error: unknown) => {
      secret = undefined;
      throw error;
    });
    return secret;
  });
  const optOuts = getPostgresOptOuts(pool);
  return {
    vendorNotifier: createEmailVendorNotifier({
      vendors,
      queue,
      clock,
      onNoRecipient: (vendorId, reservationId) =>
        logger.warn(
          { vendorId, reservationId },
          'vendor has no user to email; the request waits for the vendor to look',
        ),
    }),
    routes: (writeSide) => [
      ...getVendorActionRoutes({ writeSide, links, vendors }),
      ...getNotificationRoutes({ writeSide, log: getPostgresNotificationLog(pool), optOuts }),
    ],
    start: (deps) => {
      const from = { name: SENDER_NAME, email: config.NOTIFY_FROM };
      const compose: ComposeDeps = {
        write: { store: deps.store, codec: domainEventCodec },
        guests: deps.guests,
        vendors,
        links,
        optOuts,
        baseUrl: config.PUBLIC_BASE_URL ?? deps.baseUrl,
        from,
        clock,
        refundWaitMs: REFUND_WAIT_MS,
      };
      const mailer = createMailer({
        smtpUrl: config.SMTP_URL,
        outboxDir: config.NOTIFY_OUTBOX_DIR,
        from,
      });
      const running = startNotifier({
        pool,
        store: deps.store,
        codec: domainEventCodec,
        checkpoints: getPostgresCheckpointStore(pool),
        delivery: createNotificationDelivery({
          pool,
          compose,
          mailer,
          sms: createOutboxSms(config.NOTIFY_OUTBOX_DIR),
          metrics: createNotifierMetrics(deps.registry),
          policy: overrides.policy ?? NOTIFICATION_RETRY_POLICY,
          random: Math.random,
          logger,
        }),
        clock,
        reminderBeforeMs: config.NOTIFY_REMINDER_BEFORE,
        leaseConnectionString: deps.connectionString,
        leaseScope: deps.schema,
        ...(overrides.pollMs === undefined ? {} : { pollMs: overrides.pollMs }),
        logger,
      });
      const wake = () => running.wake();
      wakeRole = wake;
      return {
        wake,
        stop: () => {
          wakeRole = undefined;
          running.stop();
          mailer.close();
        },
      };
    },
  };
};
