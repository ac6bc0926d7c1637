import { getWebhookRoutes } from '../../../commands/managingWebhooks/route.ts';
import { domainEventCodec } from '../../../commands/shared/eventCodec.ts';
import type { RetryPolicy } from '../../../domain/integration/retryPolicy.ts';
import { getPostgresCheckpointStore } from '../../eventStore/postgres/checkpointStore.ts';
import { bearer, postJson } from '../../http/testing.ts';
import { startWriteTestApp, type WriteTestApp } from '../../testing/writeTestApp.ts';
import { getPostgresWebhookEndpoints, type PostgresWebhookEndpoints } from '../endpointStore.ts';
import { createWebhookSender } from '../sender.ts';
import { createUrlGuard } from '../urlGuard.ts';
import { createHoldWebhooks } from '../holdWebhooks.ts';
import { getEventSchemaRoute } from '../../../queries/eventSchema/route.ts';
import { createWebhookMetrics } from '../webhookMetrics.ts';
import { startWebhooks, type RunningWebhooks } from '../webhookRole.ts';

/** Backoff in milliseconds instead of minutes: the policy's shape, quickly (gives up after 30 s). */
export const FAST_POLICY: RetryPolicy = {
  firstDelayMs: 20,
  factor: 2,
  maxDelayMs: 200,
  giveUpAfterMs: 30_000,
  jitter: 0.2,
};

/** Gives up after 300 ms: a receiver that is down is dead-lettered at once. */
export const IMPATIENT_POLICY: RetryPolicy = { ...FAST_POLICY, giveUpAfterMs: 300 };

export interface WebhookTestBed {
  readonly app: WriteTestApp;
  readonly endpoints: PostgresWebhookEndpoints;
  /** Push a receiver's `host:port` here to allow-list it. */
  readonly allowedHosts: string[];
  /** The webhooks role, running in this process (startRole / stopRole for restarts). */
  role: RunningWebhooks | undefined;
  startRole(): void;
  stopRole(): void;
  /** POST /api/v1/webhooks/endpoints with `credential`; returns status and body. */
  register(
    credential: string,
    body: Record<string, unknown>,
  ): Promise<{ status: number; body: Record<string, unknown> }>;
  close(): Promise<void>;
}

export const startWebhookTestBed = async (
  options: { readonly policy?: RetryPolicy; readonly disableAfterDeadLetters?: number } = {},
): Promise<WebhookTestBed> => {
  const allowedHosts: string[] = [];
  const guard = createUrlGuard({ allowedHosts });
  let endpoints: PostgresWebhookEndpoints | undefined;
  const app = await startWriteTestApp({
    writeSideExtras: (db) => {
      endpoints = getPostgresWebhookEndpoints(db.pool);
      return { holdWebhooks: createHoldWebhooks(endpoints, guard) };
    },
    extraRoutes: () => {
      if (!endpoints) throw new Error('the webhook endpoints were not built');
      return [...getWebhookRoutes({ endpoints, urlGuard: guard }), getEventSchemaRoute()];
    },
  });
  if (!endpoints) throw new Error('the webhook routes were not built');
  const store = endpoints;
  const send = createWebhookSender(guard, { timeoutMs: 2_000 });
  const metrics = createWebhookMetrics(app.registry);
  const bed: WebhookTestBed = {
    app,
    endpoints: store,
    allowedHosts,
    role: undefined,
    startRole: () => {
      bed.role = startWebhooks({
        pool: app.db.pool,
        store: app.store,
        codec: domainEventCodec,
        checkpoints: getPostgresCheckpointStore(app.db.pool),
        send,
        metrics,
        policy: options.policy ?? FAST_POLICY,
        disableAfterDeadLetters: options.disableAfterDeadLetters ?? 5,
        pollMs: 50,
      });
    },
    stopRole: () => {
      bed.role?.stop();
      bed.role = undefined;
    },
    register: async (credential, body) => {
      const response = await postJson(
        `${app.baseUrl}/api/v1/webhooks/endpoints`,
        body,
        bearer(credential),
      );
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    },
    close: async () => {
      bed.stopRole();
      await new Promise((resolve) => setTimeout(resolve, 50));
      await app.close();
    },
  };
  store.onQueued(() => bed.role?.wake());
  return bed;
};
