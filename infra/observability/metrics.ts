import { Registry, collectDefaultMetrics } from 'prom-client';

/** One registry per process, built by the composition root and injected. */
export const createMetricsRegistry = (): Registry => {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return registry;
};

export type { Registry };
