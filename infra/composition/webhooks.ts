import type { Tracer } from '@opentelemetry/api';
import { getWebhookRoutes } from '../../commands/managingWebhooks/route.ts';
import { domainEventCodec } from '../../commands/shared/eventCodec.ts';
import type { EventStore } from '../../commands/shared/eventStore.ts';
import type { RouteModule } from '../../commands/shared/route.ts';
import { getEventSchemaRoute } from '../../queries/eventSchema/route.ts';
import type { Config } from '../config/config.ts';
import { getPostgresCheckpointStore } from '../eventStore/postgres/checkpointStore.ts';
import { defaultStreamName, startNatsRelay } from '../nats/natsRelay.ts';
import type { Logger } from '../observability/logger.ts';
import type { Registry } from '../observability/metrics.ts';
import type { Pool } from '../postgres/pool.ts';
import {
  getPostgresWebhookEndpoints,
  type PostgresWebhookEndpoints,
} from '../webhooks/endpointStore.ts';
import { createHoldWebhooks } from '../webhooks/holdWebhooks.ts';
import { createWebhookSender } from '../webhooks/sender.ts';
import { createUrlGuard, type WebhookTargetGuard } from '../webhooks/urlGuard.ts';
import { createWebhookMetrics } from '../webhooks/webhookMetrics.ts';
import { startWebhooks } from '../webhooks/webhookRole.ts';
import { systemClock } from './systemPorts.ts';

export interface WebhookParts {
  readonly endpoints: PostgresWebhookEndpoints;
  readonly guard: WebhookTargetGuard;
  readonly holdWebhooks: ReturnType<typeof createHoldWebhooks>;
  /** The webhook and event-schema routes of the api role. */
  readonly routes: readonly RouteModule[];
}

export const createWebhookParts = (config: Config, pool: Pool): WebhookParts => {
  const endpoints = getPostgresWebhookEndpoints(pool, systemClock);
  const guard = createUrlGuard({ allowedHosts: config.WEBHOOK_ALLOWED_HOSTS });
  return {
    endpoints,
    guard,
    holdWebhooks: createHoldWebhooks(endpoints, guard),
    routes: [...getWebhookRoutes({ endpoints, urlGuard: guard }), getEventSchemaRoute()],
  };
};

/** The webhooks role: deliveries behind a lease, and the NATS relay when NATS_URL is set. */
export const startWebhookRole = (deps: {
  readonly config: Config;
  readonly pool: Pool;
  readonly store: EventStore;
  readonly parts: WebhookParts;
  readonly registry: Registry;
  readonly logger: Logger;
  readonly connectionString: string;
  readonly schema: string;
  readonly tracer?: Tracer | undefined;
}): { stop(): void } => {
  const { config, pool, store, parts, logger } = deps;
  const metrics = createWebhookMetrics(deps.registry);
  const checkpoints = getPostgresCheckpointStore(pool);
  const webhooks = startWebhooks({
    pool,
    store,
    codec: domainEventCodec,
    checkpoints,
    send: createWebhookSender(parts.guard, { timeoutMs: config.WEBHOOK_TIMEOUT_MS }),
    metrics,
    clock: systemClock,
    leaseConnectionString: deps.connectionString,
    leaseScope: deps.schema,
    logger,
    tracer: deps.tracer,
  });
  parts.endpoints.onQueued(() => webhooks.wake());
  const install = config.NATS_INSTALL ?? deps.schema;
  const relay = config.NATS_URL
    ? startNatsRelay({
        servers: config.NATS_URL,
        install,
        stream: config.NATS_STREAM ?? defaultStreamName(install),
        store,
        codec: domainEventCodec,
        checkpoints,
        metrics,
        leaseConnectionString: deps.connectionString,
        leaseScope: deps.schema,
        logger,
      })
    : undefined;
  return {
    stop: () => {
      webhooks.stop();
      relay?.stop();
    },
  };
};
