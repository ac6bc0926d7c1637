import { Counter, type Registry } from 'prom-client';
import type { CompensationFailures } from '../../commands/shared/claimSlots.ts';
import type { Logger } from './logger.ts';

export const COMPENSATION_FAILURES = 'slot_compensation_failures_total';

/**
 * Failed compensations of the ordered slot claim, made visible to operators:
 * one error log line naming the slot stream and the write's correlation id,
 * and the `slot_compensation_failures_total` counter (alert on any increase:
 * a claim stays in place until its hold expires or it is released by hand).
 */
export const getCompensationFailures = (
  registry: Registry,
  logger: Logger,
): CompensationFailures => {
  const counter =
    (registry.getSingleMetric(COMPENSATION_FAILURES) as Counter | undefined) ??
    new Counter({
      name: COMPENSATION_FAILURES,
      help: 'Slot claims the ordered-claim path could not undo after a later step failed.',
      registers: [registry],
    });
  return {
    record: ({ stream, correlationId, error }) => {
      counter.inc();
      logger.error(
        { err: error, stream, correlationId },
        'a slot claim could not be undone; it stays until its hold expires',
      );
    },
  };
};
