import { Duration } from 'luxon';
import { z } from 'zod';

const optionalUrl = (protocols: readonly string[]) =>
  z
    .string()
    .trim()
    .min(1)
    .refine(
      (value) => {
        try {
          return protocols.includes(new URL(value).protocol);
        } catch {
          return false;
        }
      },
      { message: `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}` },
    )
    .optional();

const port = z.coerce.number().int().min(0).max(65535);

/**
 * Every setting the process reads from its environment. Parsed once at start-up
 * (infra/main); nothing else reads process.env. No credential has a default.
 */
export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  /** HTTP port of the API. */
  PORT: port.default(3000),
  /** Interface the API binds to. */
  HOST: z.string().min(1).default('127.0.0.1'),
  /** Which roles this process runs: `all` or a list like `api,projector` (see `serve --role`). */
  ROLES: z
    .string()
    .regex(
      /^[a-z,\s]+$/,
      'must be all or a comma-separated list of api, projector, saga, scheduler, webhooks',
    )
    .default('all'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** PostgreSQL; when absent, an embedded PostgreSQL is started with data in EMBEDDED_PG_DIR. */
  DATABASE_URL: optionalUrl(['postgres:', 'postgresql:']),
  /** Schema holding every table (lets tests and side-by-side installs share one database). */
  DATABASE_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a lowercase SQL identifier')
    .default('public'),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  EMBEDDED_PG_DIR: z.string().min(1).default('./.data/pg'),
  EMBEDDED_PG_PORT: port.default(54329),
  /** Redis for the hot read model, rate limits and the idempotency fast path; optional. */
  REDIS_URL: optionalUrl(['redis:', 'rediss:']),
  /**
   * Prefix of every Redis key of this install; unset → derived from the database
   * identity (cluster, database, schema), so installs sharing a Redis never mix.
   */
  REDIS_KEY_PREFIX: z
    .string()
    .regex(/^[\x21-\x7e]{1,64}$/, 'must be 1 to 64 visible ASCII characters')
    .optional(),
  /** Seed 001: requests a minute per principal (a user, or an API key without its own limit). */
  RATE_LIMIT_PER_PRINCIPAL: z.coerce.number().int().min(1).max(1_000_000).default(100),
  /** Seed 001: requests a minute per client IP, counted before authentication. */
  RATE_LIMIT_PER_IP: z.coerce.number().int().min(1).max(10_000_000).default(1000),
  /** EventStoreDB connection string; when set, the EventStoreDB adapter is available. */
  EVENTSTORE_URL: optionalUrl(['esdb:', 'esdb+discover:', 'kurrentdb:', 'kurrentdb+discover:']),
  /** Stripe secret key; when absent the simulated payment gateway is used. */
  STRIPE_SECRET_KEY: z.string().startsWith('sk_', 'must be a Stripe secret key (sk_…)').optional(),
  STRIPE_WEBHOOK_SECRET: z
    .string()
    .startsWith('whsec_', 'must be a Stripe webhook secret (whsec_…)')
    .optional(),
  /** The platform switch for demand pricing (occupancy tier and booking pace); false prices flat. */
  SURGE_ENABLED: z
    .enum(['true', 'false'])
    .default('true')
    .transform((value) => value === 'true'),
  /** Seed 004 "hold caps": most holds one partner may have active at once. */
  MAX_ACTIVE_HOLDS_PER_PARTNER: z.coerce.number().int().min(1).max(1_000_000).default(1000),
  /** Longest wait between retries of a subscriber stalled on an event, ms (docs/operations.md). */
  SUBSCRIBER_MAX_BACKOFF_MS: z.coerce.number().int().min(100).max(3_600_000).default(60_000),
  /** Simulated gateway only: scripted failures for a demo, a JSON list of rules (docs/payments.md). */
  PAYMENT_SIMULATOR_SCRIPT: z.string().min(2).optional(),
  /** Seconds between payment reconciliation runs in the saga role (docs/payments.md); 0 turns the schedule off. */
  PAYMENT_RECONCILE_SECONDS: z.coerce.number().int().min(0).max(86_400).default(300),
  /** Seconds the requester has to complete 3-D Secure before the authorization is cancelled (docs/payments.md). */
  PAYMENT_SCA_TIMEOUT_SECONDS: z.coerce.number().int().min(30).max(86_400).default(600),
  /** Seconds between two looks at an authorization waiting for 3-D Secure (docs/payments.md). */
  PAYMENT_SCA_POLL_SECONDS: z.coerce.number().int().min(1).max(3_600).default(15),
  /** Milliseconds authorize/confirm wait for the saga's answer, so a 3-D Secure next action is in the response (0: never wait). */
  PAYMENT_ANSWER_WAIT_MS: z.coerce.number().int().min(0).max(10_000).default(2_000),
  /** Registered at start-up as an admin API key. */
  ADMIN_API_KEY: z.string().min(24, 'must be at least 24 characters').optional(),
  /** Outbound webhooks: exact `host:port` pairs allowed despite http or a private address (development, tests). */
  WEBHOOK_ALLOWED_HOSTS: z
    .string()
    .default('')
    .transform((value) =>
      value
        .split(',')
        .map((host) => host.trim().toLowerCase())
        .filter((host) => host.length > 0),
    )
    .refine(
      (hosts) => hosts.every((host) => /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+):\d{1,5}$/.test(host)),
      {
        message: 'must be a comma-separated list of host:port, e.g. 127.0.0.1:8080',
      },
    ),
  /** How long a webhook receiver may take to answer, ms. */
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  /** NATS server with JetStream; when set, the webhooks role relays every public event to a stream. */
  NATS_URL: optionalUrl(['nats:', 'tls:', 'ws:', 'wss:']),
  /** The `<install>` part of the NATS subjects `booking-ledger.<install>.…`; default DATABASE_SCHEMA. */
  NATS_INSTALL: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1–64 letters, digits, "_" or "-"')
    .optional(),
  /** JetStream stream name; default BOOKING_LEDGER_<INSTALL> (created when missing). */
  NATS_STREAM: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1–64 letters, digits, "_" or "-"')
    .optional(),
  /** HMAC secret for JWT access tokens; when absent a random one is made per process (tokens die with it). */
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** Ed25519 private key (PKCS#8 PEM) signing audit exports; unset → generated into AUDIT_KEY_FILE. */
  AUDIT_SIGNING_KEY: z
    .string()
    .refine((v) => v.includes('BEGIN PRIVATE KEY'), 'must be a PKCS#8 PEM private key')
    .optional(),
  /** Where the generated audit signing key is kept when AUDIT_SIGNING_KEY is unset. */
  AUDIT_KEY_FILE: z.string().min(1).default('./.data/audit-signing-key.pem'),
  /** Notifications go out over this SMTP server (smtp:// or smtps://, credentials in the URL); unset → .eml files in NOTIFY_OUTBOX_DIR. */
  SMTP_URL: optionalUrl(['smtp:', 'smtps:']),
  /** Where messages are written when SMTP_URL is unset (and SMS always: there is no provider). */
  NOTIFY_OUTBOX_DIR: z.string().min(1).default('./.data/outbox'),
  /** The From address of every notification, also the invites' ORGANIZER. */
  NOTIFY_FROM: z.email().default('no-reply@booking-ledger.invalid'),
  /** ISO 8601 duration before check-in / the slot that the guest's reminder goes out (PT0S: none). */
  NOTIFY_REMINDER_BEFORE: z
    .string()
    .default('PT24H')
    .transform((value, context) => {
      const duration = Duration.fromISO(value);
      if (!duration.isValid || duration.toMillis() < 0) {
        context.addIssue({
          code: 'custom',
          message: 'must be an ISO 8601 duration such as PT24H or P2D (PT0S turns reminders off)',
        });
        return z.NEVER;
      }
      return duration.toMillis();
    }),
  /** HMAC key of the vendors' one-click confirm/decline links; unset → generated once into the database. */
  NOTIFY_LINK_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** Base URL the links in emails point at (the API as the vendor reaches it); unset → the API's own URL. */
  PUBLIC_BASE_URL: optionalUrl(['http:', 'https:']),
  /** Master key of the PII store (32 bytes, hex or base64): wraps every guest data key; unset → generated into PII_MASTER_KEY_FILE. */
  PII_MASTER_KEY: z
    .string()
    .refine(
      (v) => /^[0-9a-fA-F]{64}$/.test(v.trim()) || Buffer.from(v.trim(), 'base64').length === 32,
      'must be 32 random bytes as 64 hex digits or base64 (openssl rand -base64 32)',
    )
    .optional(),
  /** Where the generated PII master key is kept when PII_MASTER_KEY is unset. */
  PII_MASTER_KEY_FILE: z.string().min(1).default('./.data/pii-master-key'),
  /** OTLP/HTTP collector base URL; set → spans are exported to `<url>/v1/traces` (docs/tracing.md). */
  OTEL_EXPORTER_OTLP_ENDPOINT: optionalUrl(['http:', 'https:']),
  /** `service.name` of the exported spans. */
  OTEL_SERVICE_NAME: z.string().trim().min(1).max(128).default('booking-ledger'),
});

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  constructor(readonly issues: readonly string[]) {
    super(`Invalid configuration:\n${issues.map((issue) => `  - ${issue}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment; throws a ConfigError naming every bad variable. */
export const loadConfig = (env: Readonly<Record<string, string | undefined>>): Config => {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const parsed = configSchema.safeParse(cleaned);
  if (parsed.success) return parsed.data;
  throw new ConfigError(
    parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`),
  );
};
