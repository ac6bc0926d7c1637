import {
  concatMap,
  defer,
  EMPTY,
  from,
  interval,
  merge,
  retry,
  switchMap,
  timer,
  type Subscription,
} from 'rxjs';
import {
  handleSagaEvent,
  PAYMENT_SAGA_FILTER,
} from '../../commands/payments/paymentSaga/handleSagaEvent.ts';
import { runDueStep } from '../../commands/payments/paymentSaga/runStep.ts';
import type { PaymentSagaDeps } from '../../commands/payments/paymentSaga/sagaDeps.ts';
import type { Checkpoint, EventStore } from '../../commands/shared/eventStore.ts';
import type { Tracer } from '@opentelemetry/api';
import type { PostgresCheckpointStore } from '../eventStore/postgres/checkpointStore.ts';
import { withEventSpan } from '../observability/tracing.ts';
import { isTransientConnectionError } from '../eventStore/postgres/subscriptionRetry.ts';
import { createAdvisoryLease } from '../projections/lease.ts';
import { stallBackoffMs, StalledOnEventError, type StallStore } from '../subscribers/stalls.ts';

export interface PaymentSagaProcessOptions {
  readonly store: EventStore;
  readonly checkpoints: PostgresCheckpointStore;
  /** Checkpoint and lease name (default `payment-saga`); one active instance per name per database. */
  readonly name?: string;
  /** For the lease connection; omit to run without a lease (tests, a single process). */
  readonly leaseConnectionString?: string;
  /** Prefix of the lease name, normally the schema: advisory locks span the whole database. */
  readonly leaseScope?: string;
  /** How often parked steps are checked, ms (default 500). */
  readonly timerPollMs?: number;
  /** Called with every error before the saga restarts (it always restarts, with backoff up to 5 s). */
  readonly onError?: (error: unknown) => void;
  /**
   * Where a stall is recorded when an event cannot be handled (it does not
   * decode, or handling it keeps failing): the saga then retries that event
   * with a backoff of `stallBaseBackoffMs` (default 1000) doubling up to
   * `stallMaxBackoffMs` (default 60 000), and clears the stall once past it.
   */
  readonly stalls?: StallStore;
  readonly stallBaseBackoffMs?: number;
  readonly stallMaxBackoffMs?: number;
  /**
   * Each event is handled in a span continuing its trace, each parked step in
   * one continuing the trace that parked it (docs/tracing.md); absent → none.
   */
  readonly tracer?: Tracer | undefined;
}

export interface RunningPaymentSaga {
  stop(): void;
}

/**
 * The payment saga's plumbing: the subscription to reservation and payment
 * events from its checkpoint, one event at a time, the checkpoint stored only
 * after the event was handled to the end; plus the poller of parked steps.
 * The logic is plain async functions in commands/payments/paymentSaga.
 */
export const startPaymentSaga = (
  deps: PaymentSagaDeps,
  options: PaymentSagaProcessOptions,
): RunningPaymentSaga => {
  const name = options.name ?? 'payment-saga';
  const checkpointName = `process:${name}`;
  // A stall row left by an earlier run is cleared once the next event is handled.
  let maybeStalled = true;
  const events = defer(async () => options.checkpoints.load(checkpointName)).pipe(
    switchMap((start) => {
      let last: Checkpoint | undefined = start;
      return options.store
        .subscribe({ ...(start === undefined ? {} : { from: start }), filter: PAYMENT_SAGA_FILTER })
        .pipe(
          concatMap((recorded) =>
            from(
              (async () => {
                try {
                  await withEventSpan(options.tracer, `${name} ${recorded.type}`, recorded, () =>
                    handleSagaEvent(deps, recorded),
                  );
                } catch (error) {
                  if (isTransientConnectionError(error)) throw error;
                  throw new StalledOnEventError(recorded, error);
                }
                await options.checkpoints.store(checkpointName, last, recorded.checkpoint);
                last = recorded.checkpoint;
                if (maybeStalled) {
                  await options.stalls?.clear(name);
                  maybeStalled = false;
                }
              })(),
            ),
          ),
        );
    }),
  );
  const timers = interval(options.timerPollMs ?? 500).pipe(
    concatMap(() =>
      from(
        (async () => {
          for (const due of await deps.timers.due(deps.clock.now(), 50))
            await withEventSpan(
              options.tracer,
              `${name} timer ${due.step}`,
              {
                metadata: { traceparent: due.traceparent },
                stream: `payment-${due.reservationId}`,
              },
              () => runDueStep(deps, due),
            );
        })(),
      ),
    ),
  );
  const restartDelay = (error: unknown, count: number) => {
    options.onError?.(error);
    if (!(error instanceof StalledOnEventError))
      return timer(Math.min(5_000, 100 * 2 ** (count - 1)));
    maybeStalled = true;
    const wait = stallBackoffMs(count, options.stallBaseBackoffMs, options.stallMaxBackoffMs);
    const recorded = options.stalls?.record(name, error, count, wait).catch(() => undefined);
    return from(recorded ?? Promise.resolve()).pipe(switchMap(() => timer(wait)));
  };
  // Events and parked steps restart apart: an event the saga is stalled on
  // does not hold back the timers of sagas already running.
  const withRestart = merge(
    events.pipe(retry({ delay: restartDelay, resetOnSuccess: true })),
    timers.pipe(retry({ delay: restartDelay, resetOnSuccess: true })),
  );
  const running =
    options.leaseConnectionString === undefined
      ? withRestart
      : createAdvisoryLease({
          connectionString: options.leaseConnectionString,
          name: options.leaseScope === undefined ? name : `${options.leaseScope}:${name}`,
        }).pipe(switchMap((held) => (held ? withRestart : EMPTY)));
  const subscription: Subscription = running.subscribe();
  return { stop: () => subscription.unsubscribe() };
};
