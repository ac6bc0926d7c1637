import { Counter, Histogram, type Registry } from 'prom-client';

export const APPEND_SECONDS = 'eventstore_append_seconds';
export const APPEND_CONFLICTS = 'eventstore_append_conflicts_total';

export interface AppendMetrics {
  /** Starts timing one append; call the result with its outcome when it settles. */
  start(): (outcome: 'ok' | 'conflict' | 'error') => void;
}

const NO_METRICS: AppendMetrics = { start: () => () => undefined };

// prom-client refuses a second registration of a name, and several stores (an
// atomic and a non-atomic one in tests) may share a registry: reuse what is there.
const histogramIn = (registry: Registry): Histogram<'outcome'> =>
  (registry.getSingleMetric(APPEND_SECONDS) as Histogram<'outcome'> | undefined) ??
  new Histogram({
    name: APPEND_SECONDS,
    help: 'Duration of EventStore.append in seconds (including in-database retries), by outcome.',
    labelNames: ['outcome'],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    registers: [registry],
  });

const counterIn = (registry: Registry): Counter =>
  (registry.getSingleMetric(APPEND_CONFLICTS) as Counter | undefined) ??
  new Counter({
    name: APPEND_CONFLICTS,
    help: 'Appends refused because a stream was not at the expected revision.',
    registers: [registry],
  });

export const getAppendMetrics = (registry: Registry | undefined): AppendMetrics => {
  if (registry === undefined) return NO_METRICS;
  const seconds = histogramIn(registry);
  const conflicts = counterIn(registry);
  return {
    start: () => {
      const stop = seconds.startTimer();
      return (outcome) => {
        stop({ outcome });
        if (outcome === 'conflict') conflicts.inc();
      };
    },
  };
};
