import { randomBytes, randomUUID } from 'node:crypto';
import type {
  DeliveryAttemptView,
  DeliveryView,
  EndpointOwner,
  WebhookEndpoints,
  WebhookEndpointView,
} from '../../commands/managingWebhooks/ports.ts';
import { PUBLIC_EVENTS_VERSION } from '../../domain/integration/publicEventSchema.ts';
import { NotFoundError } from '../../domain/shared/errors.ts';
import type { Pool } from '../postgres/pool.ts';
import { newWebhookSecret } from './signing.ts';

/** The test event's type: not part of the public contract, sent only by the "send test event" route. */
export const TEST_EVENT_TYPE = 'webhook.test';

interface EndpointRow {
  id: string;
  owner_role: EndpointOwner['role'];
  owner_id: string;
  reservation_id: string | null;
  url: string;
  events: string[];
  description: string | null;
  enabled: boolean;
  disabled_reason: string | null;
  disabled_at: Date | null;
  previous_secret_expires_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

interface DeliveryRow {
  id: string;
  endpoint_id: string;
  event_id: string;
  event_type: string;
  status: DeliveryView['status'];
  attempts: number;
  next_attempt_at: Date;
  delivered_at: Date | null;
  last_status_code: number | null;
  last_error: string | null;
  created_at: Date;
}

const iso = (date: Date | null): string | null => (date ? date.toISOString() : null);

const toEndpoint = (row: EndpointRow, now = Date.now()): WebhookEndpointView => ({
  id: row.id,
  url: row.url,
  events: row.events,
  description: row.description,
  owner: { role: row.owner_role, id: row.owner_id },
  reservationId: row.reservation_id,
  enabled: row.enabled,
  disabledReason: row.disabled_reason,
  disabledAt: iso(row.disabled_at),
  previousSecretExpiresAt:
    row.previous_secret_expires_at && row.previous_secret_expires_at.getTime() > now
      ? row.previous_secret_expires_at.toISOString()
      : null,
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
});

const toDelivery = (row: DeliveryRow): DeliveryView => ({
  id: String(row.id),
  endpointId: row.endpoint_id,
  eventId: row.event_id,
  eventType: row.event_type,
  status: row.status,
  attempts: row.attempts,
  nextAttemptAt: row.status === 'pending' ? row.next_attempt_at.toISOString() : null,
  deliveredAt: iso(row.delivered_at),
  lastStatusCode: row.last_status_code,
  lastError: row.last_error,
  createdAt: row.created_at.toISOString(),
});

const ENDPOINT_COLUMNS = `id, owner_role, owner_id, reservation_id, url, events, description, enabled,
  disabled_reason, disabled_at, previous_secret_expires_at, created_at, updated_at`;
const DELIVERY_COLUMNS = `id, endpoint_id, event_id, event_type, status, attempts, next_attempt_at,
  delivered_at, last_status_code, last_error, created_at`;

const ownerClause = (owner: EndpointOwner | 'all', first: number) =>
  owner === 'all'
    ? { sql: 'TRUE', params: [] as string[] }
    : {
        sql: `owner_role = $${first} AND owner_id = $${first + 1}`,
        params: [owner.role, owner.id],
      };

export interface PostgresWebhookEndpoints extends WebhookEndpoints {
  /** Called after a delivery was queued by hand (redeliver, test): wakes the delivery worker. */
  onQueued(listener: () => void): void;
}

/** The WebhookEndpoints port on PostgreSQL (migration 070). */
export const getPostgresWebhookEndpoints = (
  pool: Pool,
  clock: { now(): Date } = { now: () => new Date() },
): PostgresWebhookEndpoints => {
  const listeners: (() => void)[] = [];
  const queued = () => listeners.forEach((listener) => listener());

  const get = async (id: string) => {
    const { rows } = await pool.query<EndpointRow>(
      `SELECT ${ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE id = $1`,
      [id],
    );
    return rows[0] ? toEndpoint(rows[0], clock.now().getTime()) : undefined;
  };
  const mustGet = async (id: string) => {
    const endpoint = await get(id);
    if (!endpoint) throw new NotFoundError(`No webhook endpoint ${id}.`, { endpointId: id });
    return endpoint;
  };
  const attemptsOf = async (deliveryId: string): Promise<DeliveryAttemptView[]> => {
    const { rows } = await pool.query<{
      attempted_at: Date;
      duration_ms: number;
      status_code: number | null;
      error: string | null;
      response_excerpt: string | null;
    }>(
      `SELECT attempted_at, duration_ms, status_code, error, response_excerpt
       FROM webhook_attempts WHERE delivery_id = $1 ORDER BY id DESC LIMIT 20`,
      [deliveryId],
    );
    return rows.map((row) => ({
      attemptedAt: row.attempted_at.toISOString(),
      durationMs: row.duration_ms,
      statusCode: row.status_code,
      error: row.error,
      responseExcerpt: row.response_excerpt,
    }));
  };

  return {
    onQueued: (listener) => listeners.push(listener),
    create: async (endpoint) => {
      const id = `we_${randomBytes(12).toString('base64url')}`;
      const secret = newWebhookSecret();
      const { rows } = await pool.query<EndpointRow>(
        `INSERT INTO webhook_endpoints
           (id, owner_role, owner_id, reservation_id, url, events, description, secret, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING ${ENDPOINT_COLUMNS}`,
        [
          id,
          endpoint.owner.role,
          endpoint.owner.id,
          endpoint.reservationId,
          endpoint.url,
          endpoint.events,
          endpoint.description,
          secret,
          clock.now(),
        ],
      );
      return { endpoint: toEndpoint(rows[0] as EndpointRow), secret };
    },
    get,
    list: async (owner, page) => {
      const where = ownerClause(owner, 1);
      const params = [...where.params, page.after ?? '', page.limit];
      const { rows } = await pool.query<EndpointRow>(
        `SELECT ${ENDPOINT_COLUMNS} FROM webhook_endpoints
         WHERE ${where.sql} AND id > $${where.params.length + 1}
         ORDER BY id LIMIT $${where.params.length + 2}`,
        params,
      );
      return rows.map((row) => toEndpoint(row, clock.now().getTime()));
    },
    countOwned: async (owner) => {
      const { rows } = await pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM webhook_endpoints
         WHERE owner_role = $1 AND owner_id = $2 AND reservation_id IS NULL`,
        [owner.role, owner.id],
      );
      return rows[0]?.n ?? 0;
    },
    update: async (id, changes) => {
      const { rows } = await pool.query<EndpointRow>(
        `UPDATE webhook_endpoints SET
           url = COALESCE($2, url),
           events = COALESCE($3, events),
           description = CASE WHEN $4::boolean THEN $5 ELSE description END,
           enabled = COALESCE($6, enabled),
           disabled_reason = CASE WHEN $6 IS NULL THEN disabled_reason
                                  WHEN $6 THEN NULL ELSE 'Disabled by its owner.' END,
           disabled_at = CASE WHEN $6 IS NULL THEN disabled_at WHEN $6 THEN NULL ELSE $7 END,
           consecutive_dead_letters = CASE WHEN $6 THEN 0 ELSE consecutive_dead_letters END,
           updated_at = $7
         WHERE id = $1 RETURNING ${ENDPOINT_COLUMNS}`,
        [
          id,
          changes.url ?? null,
          changes.events ?? null,
          changes.description !== undefined,
          changes.description ?? null,
          changes.enabled ?? null,
          clock.now(),
        ],
      );
      if (!rows[0]) throw new NotFoundError(`No webhook endpoint ${id}.`, { endpointId: id });
      return toEndpoint(rows[0], clock.now().getTime());
    },
    remove: async (id) => {
      await pool.query('DELETE FROM webhook_endpoints WHERE id = $1', [id]);
    },
    rotateSecret: async (id, overlapMs) => {
      const secret = newWebhookSecret();
      const now = clock.now();
      const expires = overlapMs > 0 ? new Date(now.getTime() + overlapMs) : null;
      const { rowCount } = await pool.query(
        `UPDATE webhook_endpoints
         SET previous_secret = CASE WHEN $3::timestamptz IS NULL THEN NULL ELSE secret END,
             previous_secret_expires_at = $3, secret = $2, updated_at = $4
         WHERE id = $1`,
        [id, secret, expires, now],
      );
      if (rowCount !== 1) throw new NotFoundError(`No webhook endpoint ${id}.`);
      return { secret, previousSecretExpiresAt: iso(expires) };
    },
    deliveries: async (endpointId, filter) => {
      const { rows } = await pool.query<DeliveryRow>(
        `SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries
         WHERE endpoint_id = $1 AND ($2::text IS NULL OR status = $2)
           AND ($3::bigint IS NULL OR id < $3)
         ORDER BY id DESC LIMIT $4`,
        [endpointId, filter.status ?? null, filter.after ?? null, filter.limit],
      );
      return rows.map(toDelivery);
    },
    delivery: async (endpointId, deliveryId) => {
      const { rows } = await pool.query<DeliveryRow>(
        `SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries WHERE endpoint_id = $1 AND id = $2`,
        [endpointId, deliveryId],
      );
      return rows[0] ? { ...toDelivery(rows[0]), log: await attemptsOf(deliveryId) } : undefined;
    },
    eventDeliveries: async (eventId, owner, limit) => {
      const where = ownerClause(owner, 3);
      const { rows } = await pool.query<DeliveryRow>(
        `SELECT ${DELIVERY_COLUMNS.split(',')
          .map((c) => `d.${c.trim()}`)
          .join(', ')}
         FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
         WHERE d.event_id = $1 AND ${where.sql.replace(/owner_/g, 'e.owner_')}
         ORDER BY d.id LIMIT $2`,
        [eventId, limit, ...where.params],
      );
      return rows.map(toDelivery);
    },
    redeliver: async (endpointId, deliveryId) => {
      const { rows } = await pool.query<DeliveryRow>(
        `UPDATE webhook_deliveries
         SET status = 'pending', next_attempt_at = $3, round_started_at = NULL, round_failures = 0
         WHERE endpoint_id = $1 AND id = $2 RETURNING ${DELIVERY_COLUMNS}`,
        [endpointId, deliveryId, clock.now()],
      );
      if (rows[0]) queued();
      return rows[0] ? toDelivery(rows[0]) : undefined;
    },
    sendTest: async (endpointId) => {
      await mustGet(endpointId);
      const now = clock.now();
      const eventId = `test_${randomUUID()}`;
      const body = JSON.stringify({
        id: eventId,
        type: TEST_EVENT_TYPE,
        version: PUBLIC_EVENTS_VERSION,
        occurredAt: now.toISOString(),
        data: {
          endpointId,
          message: 'A test event: your endpoint receives and verifies webhooks.',
        },
      });
      const { rows } = await pool.query<DeliveryRow>(
        `INSERT INTO webhook_deliveries
           (endpoint_id, event_id, event_type, ordering_key, body, next_attempt_at, committed_at, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $6, $6) RETURNING ${DELIVERY_COLUMNS}`,
        [endpointId, eventId, TEST_EVENT_TYPE, `test:${eventId}`, body, now],
      );
      queued();
      return toDelivery(rows[0] as DeliveryRow);
    },
  };
};
