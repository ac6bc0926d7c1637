import { Gauge, type Registry } from 'prom-client';
import type { Queryable } from '../../postgres/pool.ts';

export const OLDEST_OPEN_TRANSACTION_AGE = 'eventstore_oldest_open_transaction_age_seconds';
export const SUBSCRIPTION_LAG = 'eventstore_subscription_lag_events';
export const SUBSCRIPTION_LAST_POSITION = 'eventstore_subscription_last_delivered_global_position';

// Subscribers read below pg_snapshot_xmin(pg_current_snapshot()), which is the
// oldest xid still running anywhere in the cluster (not only this database).
// Only transactions that hold an xid (have written something) move it, and a
// prepared (two-phase) transaction holds it too without a backend in
// pg_stat_activity. Seeing other roles' sessions needs pg_read_all_stats.
const OLDEST_OPEN_TRANSACTION_SQL = `
  SELECT coalesce(extract(epoch FROM clock_timestamp() - min(started)), 0)::float8 AS age
  FROM (
    SELECT xact_start AS started FROM pg_stat_activity WHERE backend_xid IS NOT NULL
    UNION ALL
    SELECT prepared FROM pg_prepared_xacts
  ) open_transactions`;

/** Age in seconds of the oldest transaction holding the subscription fence back (0 when none). */
export const oldestOpenTransactionAgeSeconds = async (db: Queryable): Promise<number> => {
  const { rows } = await db.query<{ age: number }>(OLDEST_OPEN_TRANSACTION_SQL);
  return rows[0]?.age ?? 0;
};

// prom-client refuses to register a metric name twice in one registry, yet
// several pools or subscriptions report into the same registry; each registry
// keeps one gauge and the set of sources it reads on scrape.
const transactionSources = new WeakMap<Registry, Set<Queryable>>();
const subscriptionSources = new WeakMap<Registry, Map<string, SubscriptionMetricsSource>>();

/**
 * Registers `eventstore_oldest_open_transaction_age_seconds`, read from the
 * database on every scrape. Returns a function that stops reporting for `db`.
 */
export const registerStoreMetrics = (registry: Registry, db: Queryable): (() => void) => {
  let sources = transactionSources.get(registry);
  if (!sources) {
    const owned = new Set<Queryable>();
    sources = owned;
    transactionSources.set(registry, owned);
    new Gauge({
      name: OLDEST_OPEN_TRANSACTION_AGE,
      help: 'Age of the oldest open transaction holding an xid; it holds back every subscriber.',
      registers: [registry],
      async collect() {
        const ages = await Promise.all([...owned].map((source) => readAge(source)));
        const known = ages.filter((age): age is number => age !== undefined);
        if (known.length > 0) this.set(Math.max(...known));
        else this.reset();
      },
    });
  }
  sources.add(db);
  return () => void sources.delete(db);
};

// A scrape must not fail because the database is briefly unreachable.
const readAge = (db: Queryable): Promise<number | undefined> =>
  oldestOpenTransactionAgeSeconds(db).catch(() => undefined);

export interface SubscriptionMetricsSource {
  /** Global position of the last delivered event, if any. */
  lastDeliveredGlobalPosition(): bigint | undefined;
  /** Events below the fence the subscription has yet to deliver. */
  lag(): Promise<number>;
}

/**
 * Reports a subscription's lag and last delivered position under the label
 * `subscription=<name>`, read on every scrape. Returns a function that stops it.
 */
export const trackSubscription = (
  registry: Registry,
  name: string,
  source: SubscriptionMetricsSource,
): (() => void) => {
  let sources = subscriptionSources.get(registry);
  if (!sources) {
    const owned = new Map<string, SubscriptionMetricsSource>();
    sources = owned;
    subscriptionSources.set(registry, owned);
    new Gauge({
      name: SUBSCRIPTION_LAG,
      help: 'Events below the visibility fence a subscription has not delivered yet (capped).',
      labelNames: ['subscription'],
      registers: [registry],
      async collect() {
        this.reset();
        const lags = await Promise.all(
          [...owned].map(
            async ([label, s]) => [label, await s.lag().catch(() => undefined)] as const,
          ),
        );
        for (const [label, lag] of lags)
          if (lag !== undefined) this.set({ subscription: label }, lag);
      },
    });
    new Gauge({
      name: SUBSCRIPTION_LAST_POSITION,
      help: 'Global position of the last event a subscription delivered.',
      labelNames: ['subscription'],
      registers: [registry],
      collect() {
        this.reset();
        for (const [label, s] of owned) {
          const position = s.lastDeliveredGlobalPosition();
          if (position !== undefined) this.set({ subscription: label }, Number(position));
        }
      },
    });
  }
  const tracked = sources;
  tracked.set(name, source);
  return () => {
    if (tracked.get(name) === source) tracked.delete(name);
  };
};
