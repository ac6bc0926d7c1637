import { Counter, Histogram, type Registry } from 'prom-client';

export interface NotifierMetrics {
  sent(kind: string, channel: string, latencySeconds: number): void;
  failed(kind: string): void;
  deadLetter(kind: string): void;
  skipped(kind: string): void;
}

const counter = (registry: Registry, name: string, help: string) =>
  (registry.getSingleMetric(name) as Counter<'kind'> | undefined) ??
  new Counter({ name, help, labelNames: ['kind'], registers: [registry] });

/** Prometheus metrics of the notifier; no registry → no metrics. */
export const createNotifierMetrics = (registry?: Registry): NotifierMetrics => {
  if (!registry) {
    const none = () => undefined;
    return { sent: none, failed: none, deadLetter: none, skipped: none };
  }
  const sent =
    (registry.getSingleMetric('notifications_sent_total') as
      Counter<'kind' | 'channel'> | undefined) ??
    new Counter({
      name: 'notifications_sent_total',
      help: 'Messages handed to the SMTP server (or the outbox), by kind and channel.',
      labelNames: ['kind', 'channel'],
      registers: [registry],
    });
  const latency =
    (registry.getSingleMetric('notifications_delivery_latency_seconds') as Histogram | undefined) ??
    new Histogram({
      name: 'notifications_delivery_latency_seconds',
      help: 'From a message being recorded to it being sent.',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 30, 300, 3600, 86_400],
      registers: [registry],
    });
  const failed = counter(
    registry,
    'notifications_failed_attempts_total',
    'Send attempts that failed (retried with backoff), by kind.',
  );
  const dead = counter(
    registry,
    'notifications_dead_letters_total',
    'Messages given up after their retries (retry them from the admin route), by kind.',
  );
  const skipped = counter(
    registry,
    'notifications_skipped_total',
    'Messages not sent because they no longer applied (no contact, opted out, already answered), by kind.',
  );
  return {
    sent: (kind, channel, seconds) => {
      sent.inc({ kind, channel });
      latency.observe(seconds);
    },
    failed: (kind) => failed.inc({ kind }),
    deadLetter: (kind) => dead.inc({ kind }),
    skipped: (kind) => skipped.inc({ kind }),
  };
};
