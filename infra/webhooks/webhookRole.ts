import type { Tracer } from '@opentelemetry/api';
import { concatMap, defer, from, merge, Observable, switchMap } from 'rxjs';
import type { EventCodec } from '../../commands/shared/eventCodec.ts';
import type { Checkpoint, EventStore } from '../../commands/shared/eventStore.ts';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../../domain/integration/retryPolicy.ts';
import type { PostgresCheckpointStore } from '../eventStore/postgres/checkpointStore.ts';
import {
  createPublicEventMapper,
  PUBLIC_EVENT_SOURCE_FILTER,
} from '../integration/publicEventMapper.ts';
import type { Pool } from '../postgres/pool.ts';
import { runLeasedWork } from '../subscribers/leasedWork.ts';
import { createDeliveryWorker } from './deliveryWorker.ts';
import { fanOut } from './fanOut.ts';
import type { WebhookSender } from './sender.ts';
import type { WebhookMetrics } from './webhookMetrics.ts';

export interface WebhookRoleOptions {
  readonly pool: Pool;
  readonly store: EventStore;
  readonly codec: EventCodec;
  readonly checkpoints: PostgresCheckpointStore;
  readonly send: WebhookSender;
  readonly metrics: WebhookMetrics;
  /** Default: the wall clock. Tests bring their own. */
  readonly clock?: { now(): Date };
  /** Default: Math.random. */
  readonly random?: () => number;
  /** Default DEFAULT_RETRY_POLICY (exponential from 30 s, up to 3 days). */
  readonly policy?: RetryPolicy;
  /** Default 5. */
  readonly disableAfterDeadLetters?: number;
  /** Checkpoint and lease name (default `webhooks`). */
  readonly name?: string;
  /** For the lease connection; omit to run without a lease (tests, a single process). */
  readonly leaseConnectionString?: string;
  /** Prefix of the lease name, normally the schema (advisory locks span the database). */
  readonly leaseScope?: string;
  /** Longest sleep of the delivery loop when nothing wakes it, ms. Default 1000. */
  readonly pollMs?: number;
  readonly concurrency?: number;
  readonly logger?: { warn(details: object, message: string): void } | undefined;
  /** Called after each fan-out transaction committed (tests: a kill point). */
  readonly afterFanOut?: (checkpoint: Checkpoint) => void;
  /** Deliveries continue the trace of their event and send `traceparent` (docs/tracing.md). */
  readonly tracer?: Tracer | undefined;
}

export interface RunningWebhooks {
  /** Wakes the delivery loop (a delivery was queued by hand). */
  wake(): void;
  stop(): void;
}

/** Resolves on wake() or after `ms`, whichever first. */
export const createWakeup = () => {
  let resolveSleep: (() => void) | undefined;
  let pending = false;
  return {
    wake: () => {
      pending = true;
      resolveSleep?.();
    },
    sleep: (ms: number) =>
      new Promise<void>((resolve) => {
        if (pending) {
          pending = false;
          return resolve();
        }
        const timeout = setTimeout(done, ms);
        function done() {
          clearTimeout(timeout);
          resolveSleep = undefined;
          pending = false;
          resolve();
        }
        resolveSleep = done;
      }),
  };
};

/**
 * The `webhooks` role: fans the log's public events out into deliveries from
 * its checkpoint (one transaction per event, checkpoint included), and
 * delivers them — at least once, in order per endpoint × reservation,
 * retried with backoff, then dead-lettered. One active instance per name
 * behind an advisory lease.
 */
export const startWebhooks = (options: WebhookRoleOptions): RunningWebhooks => {
  const name = options.name ?? 'webhooks';
  const checkpointName = `process:${name}`;
  const clock = options.clock ?? { now: () => new Date() };
  const pollMs = options.pollMs ?? 1000;
  const mapper = createPublicEventMapper(options.store, options.codec);
  const wakeup = createWakeup();
  const worker = createDeliveryWorker({
    pool: options.pool,
    send: options.send,
    clock,
    random: options.random ?? Math.random,
    policy: options.policy ?? DEFAULT_RETRY_POLICY,
    disableAfterDeadLetters: options.disableAfterDeadLetters ?? 5,
    metrics: options.metrics,
    logger: options.logger,
    ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
    tracer: options.tracer,
  });

  const fanOutLoop = defer(async () => options.checkpoints.load(checkpointName)).pipe(
    switchMap((start) => {
      let last: Checkpoint | undefined = start;
      return options.store
        .subscribe({
          ...(start === undefined ? {} : { from: start }),
          filter: PUBLIC_EVENT_SOURCE_FILTER,
        })
        .pipe(
          concatMap((recorded) =>
            from(
              (async () => {
                const events = await mapper.map(recorded);
                const queued = await fanOut(
                  options.pool,
                  options.checkpoints,
                  checkpointName,
                  last,
                  [{ recorded, events }],
                );
                last = recorded.checkpoint;
                options.afterFanOut?.(recorded.checkpoint);
                if (queued > 0) wakeup.wake();
              })(),
            ),
          ),
        );
    }),
  );

  const deliveryLoop = new Observable<never>((subscriber) => {
    let stopped = false;
    const run = async () => {
      while (!stopped) {
        const attempted = await worker.runOnce();
        if (attempted > 0) continue;
        const due = await worker.nextDueAt();
        const untilDue = due ? due.getTime() - clock.now().getTime() : pollMs;
        await wakeup.sleep(Math.max(1, Math.min(pollMs, untilDue)));
      }
    };
    run().catch((error: unknown) => subscriber.error(error));
    return () => {
      stopped = true;
      wakeup.wake();
    };
  });

  const work = merge(fanOutLoop, deliveryLoop);
  const subscription = runLeasedWork(work, {
    name,
    leaseConnectionString: options.leaseConnectionString,
    leaseScope: options.leaseScope,
    onFailure: (error) => options.logger?.warn({ err: error }, 'webhooks failed; restarting'),
  });
  return { wake: wakeup.wake, stop: () => subscription.unsubscribe() };
};
