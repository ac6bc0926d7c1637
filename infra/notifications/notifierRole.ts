import { concatMap, defer, from, merge, Observable, switchMap } from 'rxjs';
import {
  planGuestMessages,
  reminderAtCommit,
  type ReminderChange,
} from '../../commands/notifying/planMessages.ts';
import { decodeRecorded, type EventCodec } from '../../commands/shared/eventCodec.ts';
import type { Checkpoint, EventStore, RecordedEvent } from '../../commands/shared/eventStore.ts';
import { loadReservation } from '../../commands/shared/reservationAccess.ts';
import type { ReservationEvent } from '../../domain/reservation/events.ts';
import type { PostgresCheckpointStore } from '../eventStore/postgres/checkpointStore.ts';
import type { Pool, PoolClient } from '../postgres/pool.ts';
import { runLeasedWork } from '../subscribers/leasedWork.ts';
import { inProjectionTransaction } from '../projections/transaction.ts';
import { createWakeup } from '../webhooks/webhookRole.ts';
import type { NotificationDelivery } from './notificationDelivery.ts';
import { insertMessages } from './postgresNotifications.ts';

/** The reservation events that tell the guest something or move the reminder. */
export const NOTIFIED_EVENT_TYPES = [
  'ReservationCommitted',
  'ReservationModified',
  'ReservationExtended',
  'ReservationCancelled',
  'ReservationExpired',
  'ReservationMarkedNoShow',
  'ReservationCheckedIn',
] as const;

export interface NotifierRoleOptions {
  readonly pool: Pool;
  readonly store: EventStore;
  readonly codec: EventCodec;
  readonly checkpoints: PostgresCheckpointStore;
  readonly delivery: NotificationDelivery;
  readonly clock: { now(): Date };
  /** How long before check-in / the slot the reminder goes out, ms; 0: no reminders. */
  readonly reminderBeforeMs: number;
  /** Checkpoint and lease name (default `notifier`). */
  readonly name?: string;
  /** For the lease connection; omit to run without a lease (tests, a single process). */
  readonly leaseConnectionString?: string;
  readonly leaseScope?: string;
  /** Longest sleep of the delivery loop when nothing wakes it, ms. Default 1000. */
  readonly pollMs?: number;
  readonly logger?: { warn(details: object, message: string): void } | undefined;
  /** Called after an event's messages were sent and before its checkpoint is stored (tests: a kill point). */
  readonly afterSend?: (recorded: RecordedEvent) => void;
}

export interface RunningNotifier {
  /** Wakes the delivery loop (a message was queued elsewhere, e.g. by the saga). */
  wake(): void;
  stop(): void;
}

const applyReminder = async (
  client: PoolClient,
  change: ReminderChange,
  recorded: RecordedEvent,
): Promise<void> => {
  switch (change.kind) {
    case 'none':
      return;
    case 'clear':
      await client.query('DELETE FROM notification_reminders WHERE reservation_id = $1', [
        change.reservationId,
      ]);
      return;
    case 'set':
      await client.query(
        `INSERT INTO notification_reminders (reservation_id, due_at, starts_at, source_event_id, sequence)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (reservation_id) DO UPDATE SET due_at = $2, starts_at = $3,
           source_event_id = $4, sequence = $5`,
        [change.reservationId, change.dueAt, change.startsAt, recorded.eventId, recorded.revision],
      );
      return;
    default: {
      const _never: never = change;
      return _never;
    }
  }
};

/**
 * The `notifier` role: reads reservation events from its checkpoint, records
 * the messages each means (unique per dedup key) and its reminder, sends
 * them, and only then stores the checkpoint. A crash anywhere replays the
 * event, and the recorded messages make the replay send nothing new. A second
 * loop sends what is due later: retries, reminders, the saga's vendor
 * requests. One active instance per name behind an advisory lease.
 */
export const startNotifier = (options: NotifierRoleOptions): RunningNotifier => {
  const name = options.name ?? 'notifier';
  const checkpointName = `process:${name}`;
  const pollMs = options.pollMs ?? 1000;
  const { delivery } = options;
  const wakeup = createWakeup();

  const handle = async (recorded: RecordedEvent): Promise<readonly string[]> => {
    const event = decodeRecorded(options.codec, recorded) as ReservationEvent;
    const plan = planGuestMessages(
      { event, eventId: recorded.eventId, revision: recorded.revision },
      options.reminderBeforeMs,
    );
    let reminder = plan.reminder;
    if (event.type === 'ReservationCommitted') {
      const { reservation } = await loadReservation(options, event.data.reservationId);
      reminder = reminderAtCommit(
        reservation.reservationId,
        reservation.startsAt,
        event.data.committedAt,
        options.reminderBeforeMs,
      );
    }
    return inProjectionTransaction(options.pool, async (client) => {
      await insertMessages(client, plan.messages, options.clock.now());
      await applyReminder(client, reminder, recorded);
      const { rows } = await client.query<{ id: string }>(
        'SELECT id::text FROM notification_messages WHERE dedup_key = ANY($1::text[])',
        [plan.messages.map((m) => m.dedupKey)],
      );
      return rows.map((row) => row.id);
    });
  };

  const eventLoop = defer(async () => options.checkpoints.load(checkpointName)).pipe(
    switchMap((start) => {
      let last: Checkpoint | undefined = start;
      return options.store
        .subscribe({
          ...(start === undefined ? {} : { from: start }),
          filter: { categories: ['reservation'], eventTypes: [...NOTIFIED_EVENT_TYPES] },
        })
        .pipe(
          concatMap((recorded) =>
            from(
              (async () => {
                const ids = await handle(recorded);
                if (ids.length > 0) await delivery.deliverDue(ids);
                options.afterSend?.(recorded);
                await options.checkpoints.store(checkpointName, last, recorded.checkpoint);
                last = recorded.checkpoint;
              })(),
            ),
          ),
        );
    }),
  );

  const dueLoop = new Observable<never>((subscriber) => {
    let stopped = false;
    const run = async () => {
      while (!stopped) {
        await delivery.fireReminders();
        if ((await delivery.deliverDue()) > 0) continue;
        const due = await delivery.nextDueAt();
        const untilDue = due ? due.getTime() - options.clock.now().getTime() : pollMs;
        await wakeup.sleep(Math.max(1, Math.min(pollMs, untilDue)));
      }
    };
    run().catch((error: unknown) => subscriber.error(error));
    return () => {
      stopped = true;
      wakeup.wake();
    };
  });

  // A crash between a send and its record leaves rows 'sending': they go out again first.
  const work = defer(async () => delivery.recoverInFlight()).pipe(
    switchMap(() => merge(eventLoop, dueLoop)),
  );
  const subscription = runLeasedWork(work, {
    name,
    leaseConnectionString: options.leaseConnectionString,
    leaseScope: options.leaseScope,
    onFailure: (error) => options.logger?.warn({ err: error }, 'notifier failed; restarting'),
  });
  return { wake: wakeup.wake, stop: () => subscription.unsubscribe() };
};
