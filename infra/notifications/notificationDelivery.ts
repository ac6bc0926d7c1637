import {
  composeMessage,
  type ComposeDeps,
  type MessageRow,
} from '../../commands/notifying/composeMessage.ts';
import type { Mailer, SmsSender } from '../../commands/notifying/ports.ts';
import { reminderDedupKey } from '../../commands/notifying/planMessages.ts';
import { nextAttempt, type RetryPolicy } from '../../domain/integration/retryPolicy.ts';
import type { MessageKind } from '../../domain/notifications/messageKinds.ts';
import type { Pool } from '../postgres/pool.ts';
import { inProjectionTransaction } from '../projections/transaction.ts';
import type { NotifierMetrics } from './notifierMetrics.ts';
import { insertMessages } from './postgresNotifications.ts';

export interface DeliveryDeps {
  readonly pool: Pool;
  readonly compose: ComposeDeps;
  readonly mailer: Mailer;
  readonly sms: SmsSender;
  readonly metrics: NotifierMetrics;
  readonly policy: RetryPolicy;
  readonly random: () => number;
  readonly logger?: { warn(details: object, message: string): void } | undefined;
}

interface ClaimedRow {
  id: string;
  dedup_key: string;
  reservation_id: string;
  kind: MessageKind;
  recipient: MessageRow['recipient'];
  sequence: number;
  source_event_id: string;
  attempts: number;
  first_attempt_at: Date;
  created_at: Date;
}

export interface NotificationDelivery {
  /** Sends the due messages among `ids` (all due ones when omitted); returns how many were tried. */
  deliverDue(ids?: readonly string[]): Promise<number>;
  /** Turns due reminders into messages; returns how many. */
  fireReminders(): Promise<number>;
  /** When the next message or reminder falls due (undefined: none). */
  nextDueAt(): Promise<Date | undefined>;
  /** A crash left messages half-sent: they go back to pending (sent again, same Message-ID). */
  recoverInFlight(): Promise<number>;
}

export const createNotificationDelivery = (deps: DeliveryDeps): NotificationDelivery => {
  const clock = deps.compose.clock;
  // Claimed by this process and not settled yet: never "recovered" from under a running send.
  const inFlight = new Set<string>();

  const claim = async (id: string): Promise<ClaimedRow | undefined> => {
    const now = clock.now();
    const { rows } = await deps.pool.query<ClaimedRow>(
      `UPDATE notification_messages
       SET status = 'sending', attempts = attempts + 1,
           first_attempt_at = coalesce(first_attempt_at, $2)
       WHERE id = $1::bigint AND status = 'pending' AND next_attempt_at <= $2
       RETURNING id::text, dedup_key, reservation_id, kind, recipient, sequence, source_event_id,
         attempts, first_attempt_at, created_at`,
      [id, now],
    );
    return rows[0];
  };

  const settle = async (id: string, sql: string, values: readonly unknown[]) => {
    await deps.pool.query(`UPDATE notification_messages SET ${sql} WHERE id = $1::bigint`, [
      id,
      ...values,
    ]);
  };

  const fail = async (row: ClaimedRow, error: unknown) => {
    const now = clock.now();
    const reason = (error instanceof Error ? error.message : String(error)).slice(0, 500);
    const next = nextAttempt(
      deps.policy,
      row.attempts,
      row.first_attempt_at.getTime(),
      now.getTime(),
      deps.random(),
    );
    deps.metrics.failed(row.kind);
    if (next.kind === 'retry') {
      await settle(row.id, `status = 'pending', next_attempt_at = $2, last_error = $3`, [
        new Date(next.atMs),
        reason,
      ]);
      return;
    }
    deps.metrics.deadLetter(row.kind);
    deps.logger?.warn(
      { notificationId: row.id, kind: row.kind, reservationId: row.reservation_id },
      'notification given up after its retries (dead letter)',
    );
    await settle(row.id, `status = 'dead', last_error = $2`, [reason]);
  };

  const deliver = async (id: string): Promise<boolean> => {
    inFlight.add(id);
    try {
      return await deliverClaimed(id);
    } finally {
      inFlight.delete(id);
    }
  };

  const deliverClaimed = async (id: string): Promise<boolean> => {
    const row = await claim(id);
    if (!row) return false;
    const message: MessageRow = {
      id: row.id,
      dedupKey: row.dedup_key,
      reservationId: row.reservation_id,
      kind: row.kind,
      recipient: row.recipient,
      sequence: row.sequence,
      sourceEventId: row.source_event_id,
    };
    try {
      const composed = await composeMessage(deps.compose, message);
      switch (composed.kind) {
        case 'skip':
          deps.metrics.skipped(row.kind);
          await settle(row.id, `status = 'skipped', last_error = $2`, [composed.reason]);
          return true;
        case 'defer':
          await settle(
            row.id,
            `status = 'pending', attempts = attempts - 1, next_attempt_at = $2, last_error = $3`,
            [composed.until, composed.reason],
          );
          return true;
        case 'email':
        case 'sms': {
          const sent =
            composed.kind === 'email'
              ? await deps.mailer.send(composed.email, row.dedup_key)
              : await deps.sms.send(composed.sms, row.dedup_key);
          const now = clock.now();
          await settle(
            row.id,
            `status = 'sent', sent_at = $2, message_id = $3, channel = $4, last_error = NULL`,
            [now, sent.messageId, composed.kind],
          );
          deps.metrics.sent(
            row.kind,
            composed.kind,
            Math.max(0, (now.getTime() - row.created_at.getTime()) / 1000),
          );
          return true;
        }
        default: {
          const _never: never = composed;
          return _never;
        }
      }
    } catch (error) {
      await fail(row, error);
      return true;
    }
  };

  return {
    deliverDue: async (ids) => {
      const { rows } = await deps.pool.query<{ id: string }>(
        ids === undefined
          ? `SELECT id::text FROM notification_messages
             WHERE status = 'pending' AND next_attempt_at <= $1 ORDER BY next_attempt_at, id LIMIT 32`
          : `SELECT id::text FROM notification_messages
             WHERE status = 'pending' AND next_attempt_at <= $1 AND id = ANY($2::bigint[]) ORDER BY id`,
        ids === undefined ? [clock.now()] : [clock.now(), ids],
      );
      let tried = 0;
      for (const { id } of rows) if (await deliver(id)) tried += 1;
      return tried;
    },
    fireReminders: async () => {
      const now = clock.now();
      return inProjectionTransaction(deps.pool, async (client) => {
        const { rows } = await client.query<{
          reservation_id: string;
          starts_at: Date;
          source_event_id: string;
          sequence: number;
        }>(
          `DELETE FROM notification_reminders
           WHERE reservation_id IN (
             SELECT reservation_id FROM notification_reminders WHERE due_at <= $1
             ORDER BY due_at LIMIT 100 FOR UPDATE SKIP LOCKED)
           RETURNING reservation_id, starts_at, source_event_id, sequence`,
          [now],
        );
        await insertMessages(
          client,
          rows.map((row) => ({
            dedupKey: reminderDedupKey(row.reservation_id, row.starts_at.toISOString()),
            reservationId: row.reservation_id,
            kind: 'reminder' as const,
            recipient: 'guest' as const,
            sequence: row.sequence,
            sourceEventId: row.source_event_id,
          })),
          now,
        );
        return rows.length;
      });
    },
    nextDueAt: async () => {
      const { rows } = await deps.pool.query<{ at: Date | null }>(
        `SELECT least(
           (SELECT min(next_attempt_at) FROM notification_messages WHERE status = 'pending'),
           (SELECT min(due_at) FROM notification_reminders)) AS at`,
      );
      return rows[0]?.at ?? undefined;
    },
    recoverInFlight: async () =>
      (
        await deps.pool.query(
          `UPDATE notification_messages SET status = 'pending', attempts = greatest(0, attempts - 1)
           WHERE status = 'sending' AND NOT (id = ANY($1::bigint[]))`,
          [[...inFlight]],
        )
      ).rowCount ?? 0,
  };
};
