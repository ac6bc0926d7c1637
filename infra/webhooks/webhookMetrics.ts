import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export interface WebhookMetrics {
  delivered(latencySeconds: number): void;
  attempt(outcome: 'success' | 'failure'): void;
  deadLetter(): void;
  endpointDisabled(): void;
  relayed(lagSeconds: number): void;
  relayFailed(): void;
}

/** Prometheus metrics of the ways out: webhooks and the NATS relay. No registry → no metrics. */
export const createWebhookMetrics = (registry?: Registry): WebhookMetrics => {
  if (!registry) {
    const none = () => undefined;
    return {
      delivered: none,
      attempt: none,
      deadLetter: none,
      endpointDisabled: none,
      relayed: none,
      relayFailed: none,
    };
  }
  const registers = [registry];
  const latency = new Histogram({
    name: 'webhook_delivery_latency_seconds',
    help: 'From the source event’s commit to its successful delivery.',
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 30, 300, 3600, 86_400],
    registers,
  });
  const attempts = new Counter({
    name: 'webhook_delivery_attempts_total',
    help: 'Delivery attempts by outcome (success = 2xx in time).',
    labelNames: ['outcome'],
    registers,
  });
  const dead = new Counter({
    name: 'webhook_dead_letters_total',
    help: 'Deliveries given up after the retry policy (redeliverable by hand).',
    registers,
  });
  const disabled = new Counter({
    name: 'webhook_endpoints_disabled_total',
    help: 'Endpoints disabled because their deliveries kept failing.',
    registers,
  });
  const relayLag = new Histogram({
    name: 'nats_relay_lag_seconds',
    help: 'From the source event’s commit to its acknowledgement by JetStream.',
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 30, 300],
    registers,
  });
  const relayLast = new Gauge({
    name: 'nats_relay_last_lag_seconds',
    help: 'Lag of the latest event the relay published.',
    registers,
  });
  const relayFailures = new Counter({
    name: 'nats_relay_failures_total',
    help: 'Relay restarts after JetStream or the log failed.',
    registers,
  });
  return {
    delivered: (seconds) => latency.observe(seconds),
    attempt: (outcome) => attempts.inc({ outcome }),
    deadLetter: () => dead.inc(),
    endpointDisabled: () => disabled.inc(),
    relayed: (seconds) => {
      relayLag.observe(seconds);
      relayLast.set(seconds);
    },
    relayFailed: () => relayFailures.inc(),
  };
};
