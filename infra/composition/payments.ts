import type { PaymentGateway } from '../../commands/payments/paymentGateway.ts';
import {
  createSilentVendorNotifier,
  createStaticPaymentAccounts,
} from '../../commands/payments/paymentSaga/ports.ts';
import type { PaymentSagaDeps } from '../../commands/payments/paymentSaga/sagaDeps.ts';
import { getRetryDeadLettersRoute } from '../../commands/payments/retryDeadLetters.ts';
import type { InboundStripeEvent } from '../../commands/receivingStripeWebhook/handler.ts';
import { getStripeWebhookRoute } from '../../commands/receivingStripeWebhook/route.ts';
import type { WriteSide } from '../../commands/shared/writeSide.ts';
import { DEFAULT_SAGA_OPTIONS } from '../../domain/payment/sagaDecider.ts';
import { UnavailableError } from '../../domain/shared/errors.ts';
import { ledgerProjection } from '../../projections/ledger/project.ts';
import { getLedgerReportRoute } from '../../queries/readingLedger/route.ts';
import type { Config } from '../config/config.ts';
import type { RouteModule } from '../../commands/shared/route.ts';
import type { Logger } from '../observability/logger.ts';
import { parsePaymentScript, createPaymentScript } from '../payments/simulated/paymentScript.ts';
import { getSimulatedPaymentGateway } from '../payments/simulated/simulatedPaymentGateway.ts';
import { getPostgresWebhookInbox } from '../payments/stripe/postgresWebhookInbox.ts';
import {
  createStripeClient,
  getStripePaymentGateway,
} from '../payments/stripe/stripePaymentGateway.ts';
import { verifyStripeWebhook } from '../payments/stripe/stripeWebhook.ts';
import type { Pool } from '../postgres/pool.ts';
import { getPostgresSagaTimers } from '../processManagers/postgresSagaTimers.ts';
import { resolveLiveTables, toSql } from '../projections/versions.ts';

/** Stripe when a key is configured, else the simulated gateway (the embedded default). */
export const createPaymentGateway = (config: Config, pool: Pool): PaymentGateway =>
  config.STRIPE_SECRET_KEY
    ? getStripePaymentGateway(createStripeClient({ secretKey: config.STRIPE_SECRET_KEY }))
    : getSimulatedPaymentGateway(pool, {
        script: createPaymentScript(
          config.PAYMENT_SIMULATOR_SCRIPT
            ? parsePaymentScript(config.PAYMENT_SIMULATOR_SCRIPT)
            : [],
        ),
      });

export const createPaymentSagaDeps = (deps: {
  readonly config: Config;
  readonly pool: Pool;
  readonly writeSide: WriteSide;
  readonly logger: Logger;
}): PaymentSagaDeps => ({
  write: deps.writeSide,
  gateway: createPaymentGateway(deps.config, deps.pool),
  clock: deps.writeSide.clock,
  jitter: Math.random,
  accounts: createStaticPaymentAccounts(),
  notifier: createSilentVendorNotifier(),
  timers: getPostgresSagaTimers(deps.pool),
  options: DEFAULT_SAGA_OPTIONS,
  log: (message, details) => deps.logger.info(details, message),
});

/** The payment routes of the api role: dead-letter retry, Stripe webhooks, the ledger report. */
export const getPaymentRoutes = (
  saga: PaymentSagaDeps,
  config: Config,
  pool: Pool,
): RouteModule[] => {
  const secret = config.STRIPE_WEBHOOK_SECRET;
  const verify = (raw: Uint8Array, signature: string): InboundStripeEvent => {
    if (!secret) {
      throw new UnavailableError(
        'Stripe webhooks are not configured on this server: set STRIPE_WEBHOOK_SECRET.',
        3600,
      );
    }
    return verifyStripeWebhook(raw, signature, secret);
  };
  return [
    getRetryDeadLettersRoute({ write: saga.write, clock: saga.clock, options: saga.options }),
    getStripeWebhookRoute({ saga, inbox: getPostgresWebhookInbox(pool), verify }),
    getLedgerReportRoute({
      sql: toSql(pool),
      liveTable: async (base) => (await resolveLiveTables(pool, ledgerProjection))?.[base],
    }),
  ];
};
