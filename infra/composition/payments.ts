import type { Tracer } from '@opentelemetry/api';
import { traceGateway } from '../observability/tracedGateway.ts';
import type { PaymentGateway } from '../../commands/payments/paymentGateway.ts';
import type { ConnectedAccountProvider } from '../../commands/managingPayoutAccounts/ports.ts';
import { createRegisteredPaymentAccounts } from '../../commands/managingPayoutAccounts/paymentAccounts.ts';
import { getPayoutAccountRoutes } from '../../commands/managingPayoutAccounts/route.ts';
import type { PaymentAccounts, VendorNotifier } from '../../commands/payments/paymentSaga/ports.ts';
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
import { getReconciliationRoutes } from '../../commands/reconcilingPayments/route.ts';
import { getPostgresReconciliationStore } from '../payments/reconciliation/postgresReconciliationStore.ts';
import {
  createReconciliationRunner,
  type ReconciliationRunner,
} from '../payments/reconciliation/reconciliationRunner.ts';
import { getPostgresPayoutAccounts } from '../payments/payoutAccounts/postgresPayoutAccounts.ts';
import { getSimulatedConnectedAccounts } from '../payments/simulated/simulatedConnectedAccounts.ts';
import { getStripeConnectedAccounts } from '../payments/stripe/stripeConnectedAccounts.ts';
import { Counter, type Registry } from 'prom-client';
import { resolveLiveTables, toSql } from '../projections/versions.ts';
import { createNotificationParts } from './notifications.ts';

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

/** Stripe Connect when a key is configured, else the simulator's accounts. */
export const createConnectedAccounts = (config: Config): ConnectedAccountProvider =>
  config.STRIPE_SECRET_KEY
    ? getStripeConnectedAccounts(createStripeClient({ secretKey: config.STRIPE_SECRET_KEY }))
    : getSimulatedConnectedAccounts();

const missingAccountCounter = (registry: Registry | undefined): Counter<'missing'> | undefined => {
  if (!registry) return undefined;
  const name = 'payment_vendor_account_missing_total';
  const existing = registry.getSingleMetric(name);
  if (existing) return existing as Counter<'missing'>;
  return new Counter({
    name,
    help: 'Payment steps refused because the vendor has no active payout account or no deposit payment method, by what was missing',
    labelNames: ['missing'],
    registers: [registry],
  });
};

/** The saga's vendor accounts from the registry; each refusal counts in the metric and logs a line. */
export const createVendorPaymentAccounts = (deps: {
  readonly pool: Pool;
  readonly logger: Logger;
  readonly registry?: Registry | undefined;
}): PaymentAccounts => {
  const counter = missingAccountCounter(deps.registry);
  return createRegisteredPaymentAccounts(
    getPostgresPayoutAccounts(deps.pool),
    (missing, vendorId) => {
      counter?.inc({ missing });
      deps.logger.warn(
        { vendorId, missing },
        'payment step refused: the vendor has not set up its account',
      );
    },
  );
};

export const createPaymentSagaDeps = (deps: {
  readonly config: Config;
  readonly pool: Pool;
  readonly writeSide: WriteSide;
  readonly logger: Logger;
  readonly registry?: Registry;
  /** Default: the notifications engine's (vendor users are emailed confirm/decline links). */
  readonly vendorNotifier?: VendorNotifier;
  /** Every gateway call becomes a client span (docs/tracing.md). */
  readonly tracer?: Tracer | undefined;
}): PaymentSagaDeps => ({
  write: deps.writeSide,
  gateway: deps.tracer
    ? traceGateway(createPaymentGateway(deps.config, deps.pool), deps.tracer)
    : createPaymentGateway(deps.config, deps.pool),
  clock: deps.writeSide.clock,
  jitter: Math.random,
  accounts: createVendorPaymentAccounts(deps),
  notifier:
    deps.vendorNotifier ??
    createNotificationParts(deps.config, deps.pool, deps.logger).vendorNotifier,
  timers: getPostgresSagaTimers(deps.pool),
  options: {
    ...DEFAULT_SAGA_OPTIONS,
    scaTimeoutSeconds: deps.config.PAYMENT_SCA_TIMEOUT_SECONDS,
    scaPollSeconds: deps.config.PAYMENT_SCA_POLL_SECONDS,
  },
  log: (message, details) => deps.logger.info(details, message),
});

/** The payment routes of the api role: dead-letter retry, Stripe webhooks, the ledger report. */
/** The reconciliation job over the saga's own gateway and log (docs/payments.md "Reconciliation"). */
export const createPaymentReconciliation = (deps: {
  readonly saga: PaymentSagaDeps;
  readonly pool: Pool;
  readonly schema: string;
  readonly logger: Logger;
  readonly registry?: Registry | undefined;
}): ReconciliationRunner =>
  createReconciliationRunner({
    pool: deps.pool,
    scope: deps.schema,
    logger: deps.logger,
    registry: deps.registry,
    deps: {
      write: deps.saga.write,
      gateway: deps.saga.gateway,
      clock: deps.saga.clock,
      options: deps.saga.options,
      store: getPostgresReconciliationStore(deps.pool),
    },
  });

export const getPaymentRoutes = (
  saga: PaymentSagaDeps,
  config: Config,
  pool: Pool,
  reconciliation?: ReconciliationRunner,
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
  const retry = { write: saga.write, clock: saga.clock, options: saga.options };
  return [
    getRetryDeadLettersRoute(retry),
    ...getPayoutAccountRoutes({
      store: getPostgresPayoutAccounts(pool),
      provider: createConnectedAccounts(config),
      retry,
    }),
    getStripeWebhookRoute({ saga, inbox: getPostgresWebhookInbox(pool), verify }),
    ...(reconciliation
      ? getReconciliationRoutes({
          run: (trigger, ids) => reconciliation.runOnce(trigger, ids),
          store: getPostgresReconciliationStore(pool),
        })
      : []),
    getLedgerReportRoute({
      sql: toSql(pool),
      liveTable: async (base) => (await resolveLiveTables(pool, ledgerProjection))?.[base],
    }),
  ];
};
