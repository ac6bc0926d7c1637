import type { Redis } from 'ioredis';
import { startHoldExpiry } from '../commands/expiringHolds/holdExpiry.ts';
import { domainEventCodec } from '../commands/shared/eventCodec.ts';
import type { WriteSide } from '../commands/shared/writeSide.ts';
import { POSTGRES_PROJECTIONS, REDIS_PROJECTIONS } from '../projections/catalog.ts';
import { bookingsProjection } from '../projections/bookings/project.ts';
import { loadAuditSigner } from './audit/signingKey.ts';
import { getAnalystRoutes } from './composition/analysts.ts';
import { startApi } from './composition/api.ts';
import { selectEventStore } from './composition/eventStore.ts';
import { seedDemoCatalog } from './composition/demoCatalog.ts';
import {
  createPaymentReconciliation,
  createPaymentSagaDeps,
  getPaymentRoutes,
} from './composition/payments.ts';
import { getPostgresCheckpointStore } from './eventStore/postgres/checkpointStore.ts';
import { startPaymentSaga } from './processManagers/paymentSagaProcess.ts';
import { getPostgresHoldDeadlines } from './processManagers/postgresHoldDeadlines.ts';
import { createStallStore } from './subscribers/stalls.ts';
import { ensureEmbeddedAdminKey } from './composition/embeddedAdminKey.ts';
import { getReadModelHoldCap } from './composition/holdCap.ts';
import { createResourceCache } from '../commands/shared/resourceCache.ts';
import { createStreamLanes } from '../commands/shared/streamLanes.ts';
import { parseRoles } from './composition/roles.ts';
import { cryptoIds, systemClock } from './composition/systemPorts.ts';
import type { Config } from './config/config.ts';
import { openDatabase } from './database.ts';
import { registerStoreMetrics } from './eventStore/postgres/storeMetrics.ts';
import type { Logger } from './observability/logger.ts';
import { getCompensationFailures } from './observability/compensationFailures.ts';
import { createMetricsRegistry } from './observability/metrics.ts';
import { createProjectionRunner } from './projections/projectionRunner.ts';
import { createLiveTableResolver } from './projections/readSide.ts';
import { ensureLiveVersion } from './projections/versions.ts';
import { createRedisClient } from './redis.ts';
import { redisKeys as redisKeysOf, resolveRedisKeyPrefix } from './redisKeys.ts';
import { createWebhookParts, startWebhookRole } from './composition/webhooks.ts';
import { createNotificationParts } from './composition/notifications.ts';
import { createPersonalDataParts } from './composition/personalData.ts';
import { traceEventStore } from './observability/tracedEventStore.ts';
import { createTracing } from './observability/tracerProvider.ts';
import type { Tracing } from './observability/tracing.ts';

export interface RunningServer {
  /** The API's base URL, when this process runs the api role. */
  readonly url: string | undefined;
  /** Embedded default only: where the generated admin API key is kept. */
  readonly adminApiKeyFile: string | undefined;
  /** Demo resources registered at this start (embedded default, empty log). */
  readonly seededResources: readonly string[];
  close(): Promise<void>;
}

/**
 * The composition root: every client is built once here and injected; nothing
 * below reads the environment or holds a module-level singleton. Each role
 * (api, projector, saga, scheduler, webhooks) can run in its own process.
 */
/** What a test may put in place of the composition's own parts. */
export interface StartOptions {
  /** The tracer provider (tests: one with an in-memory exporter); default from OTEL_* config. */
  readonly tracing?: Tracing;
}

export const startServer = async (
  config: Config,
  logger: Logger,
  options: StartOptions = {},
): Promise<RunningServer> => {
  const roles = parseRoles(config.ROLES);
  const database = await openDatabase(config, logger);
  const { pool } = database;
  const registry = createMetricsRegistry();
  const log = selectEventStore(config, database, registry);
  try {
    await log.verifyReachable();
  } catch (error) {
    await database.close();
    throw error;
  }
  for (const projection of POSTGRES_PROJECTIONS) await ensureLiveVersion(pool, projection);
  const stopStoreMetrics = registerStoreMetrics(registry, pool);
  const redis: Redis | undefined = config.REDIS_URL
    ? createRedisClient(config.REDIS_URL, logger)
    : undefined;
  const redisKeys = redis
    ? redisKeysOf(await resolveRedisKeyPrefix(config.REDIS_KEY_PREFIX, pool, database.schema))
    : undefined;
  if (redisKeys) logger.info({ redisKeyPrefix: redisKeys.prefix }, 'redis keys namespaced');
  const tracing =
    options.tracing ??
    (await createTracing({
      serviceName: config.OTEL_SERVICE_NAME,
      otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT,
    }));
  const { tracer } = tracing;
  // Every append records the active trace in its events' metadata (docs/tracing.md).
  const store = traceEventStore(log.store);
  const webhookParts = createWebhookParts(config, pool);
  const personalData = await createPersonalDataParts({
    config,
    db: pool,
    store,
    codec: domainEventCodec,
    embedded: database.embedded,
    logger,
  });
  const writeSide: WriteSide = {
    personalData: personalData.vault,
    guestDirectory: personalData.directory,
    holdWebhooks: webhookParts.holdWebhooks,
    store,
    codec: domainEventCodec,
    ids: cryptoIds,
    clock: systemClock,
    surgeEnabled: config.SURGE_ENABLED,
    paymentAnswerWaitMs: config.PAYMENT_ANSWER_WAIT_MS,
    compensationFailures: getCompensationFailures(registry, logger),
    resourceCache: createResourceCache(),
    lanes: createStreamLanes(),
    holdCap: getReadModelHoldCap({
      db: pool,
      liveTable: createLiveTableResolver(pool, bookingsProjection),
      maxActiveHoldsPerPartner: config.MAX_ACTIVE_HOLDS_PER_PARTNER,
    }),
  };
  const projections = createProjectionRunner({
    pool,
    connectionString: database.connectionString,
    schema: database.schema,
    postgres: POSTGRES_PROJECTIONS,
    redisProjections: REDIS_PROJECTIONS,
    redis,
    redisKeys,
    log: log.projectionLog,
    registry,
    logger,
    stallMaxBackoffMs: config.SUBSCRIBER_MAX_BACKOFF_MS,
    tracer,
  });
  if (roles.has('projector')) projections.start();
  const notifications = createNotificationParts(config, pool, logger);
  const paymentSaga = createPaymentSagaDeps({
    config,
    pool,
    writeSide,
    logger,
    registry,
    vendorNotifier: notifications.vendorNotifier,
    tracer,
  });
  const saga = roles.has('saga')
    ? startPaymentSaga(paymentSaga, {
        store,
        checkpoints: getPostgresCheckpointStore(pool),
        leaseConnectionString: database.connectionString,
        leaseScope: database.schema,
        stalls: createStallStore(pool),
        stallMaxBackoffMs: config.SUBSCRIBER_MAX_BACKOFF_MS,
        onError: (error) => logger.error({ err: error }, 'payment saga failed; restarting'),
        tracer,
      })
    : undefined;
  const reconciliation = createPaymentReconciliation({
    saga: paymentSaga,
    pool,
    schema: database.schema,
    logger,
    registry,
  });
  // Each run takes the reconciliation lease; a saga instance that finds it taken skips that run.
  const reconciliationSchedule =
    roles.has('saga') && config.PAYMENT_RECONCILE_SECONDS > 0
      ? reconciliation.startSchedule(config.PAYMENT_RECONCILE_SECONDS * 1000)
      : undefined;
  const webhooks = roles.has('webhooks')
    ? startWebhookRole({
        config,
        pool,
        store,
        parts: webhookParts,
        registry,
        logger,
        connectionString: database.connectionString,
        schema: database.schema,
        tracer,
      })
    : undefined;
  // Several scheduler instances are safe: every expiry appends with an expected revision.
  const expiry = roles.has('scheduler')
    ? startHoldExpiry(writeSide, {
        tickMs: 1000,
        concurrency: 4,
        logger,
        // A checkpointed table on the PostgreSQL log: a restart does not re-read the log.
        ...(log.kind === 'postgres'
          ? {
              deadlines: getPostgresHoldDeadlines({
                pool,
                store,
                checkpoints: getPostgresCheckpointStore(pool),
              }),
            }
          : {}),
      })
    : undefined;
  const embeddedAdmin =
    database.embedded && !config.ADMIN_API_KEY
      ? await ensureEmbeddedAdminKey(config.EMBEDDED_PG_DIR)
      : undefined;
  const seededResources = database.embedded ? await seedDemoCatalog(writeSide) : [];

  const api = roles.has('api')
    ? await startApi({
        config: embeddedAdmin ? { ...config, ADMIN_API_KEY: embeddedAdmin.key } : config,
        logger,
        pool,
        redis,
        redisKeys,
        projectionLog: log.projectionLog,
        registry,
        writeSide,
        projections,
        extraRoutes: [
          ...getPaymentRoutes(paymentSaga, config, pool, reconciliation),
          ...getAnalystRoutes({
            pool,
            schema: database.schema,
            store,
            signer: await loadAuditSigner({
              pem: config.AUDIT_SIGNING_KEY,
              file: config.AUDIT_KEY_FILE,
            }),
          }),
          ...webhookParts.routes,
          ...notifications.routes(writeSide),
        ],
        tracer,
      })
    : undefined;
  // After the api: the links in vendor emails point at its URL unless PUBLIC_BASE_URL says otherwise.
  const notifier = roles.has('notifier')
    ? notifications.start({
        store,
        guests: personalData.directory,
        baseUrl: api?.url ?? `http://${config.HOST}:${config.PORT}`,
        connectionString: database.connectionString,
        schema: database.schema,
        registry,
      })
    : undefined;
  logger.info(
    { roles: [...roles], embeddedDatabase: database.embedded, eventStore: log.kind },
    'started',
  );
  return {
    url: api?.url,
    adminApiKeyFile: embeddedAdmin?.file,
    seededResources,
    close: async () => {
      await api?.close();
      await expiry?.stop();
      reconciliationSchedule?.stop();
      saga?.stop();
      webhooks?.stop();
      notifier?.stop();
      await projections.stop();
      stopStoreMetrics();
      redis?.disconnect();
      await log.close();
      await database.close();
      if (options.tracing === undefined) await tracing.shutdown();
    },
  };
};
