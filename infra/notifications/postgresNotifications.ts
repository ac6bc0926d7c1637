import type {
  DeliveryRecord,
  MessageQueue,
  NotificationLog,
  OptOuts,
  PlannedMessage,
  VendorContact,
  VendorContacts,
} from '../../commands/notifying/ports.ts';
import { isTransactional } from '../../domain/notifications/messageKinds.ts';
import type { Queryable } from '../postgres/pool.ts';

/** Inserts messages once per dedup key (a replayed event or a retried saga step adds nothing). */
export const insertMessages = async (
  db: Queryable,
  messages: readonly PlannedMessage[],
  now: Date,
): Promise<number> => {
  if (messages.length === 0) return 0;
  const { rowCount } = await db.query(
    `INSERT INTO notification_messages
       (dedup_key, reservation_id, kind, recipient, sequence, source_event_id, transactional,
        next_attempt_at)
     SELECT k, r, kd, rc, s, e, t, $8::timestamptz
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[], $6::text[], $7::bool[])
       AS u(k, r, kd, rc, s, e, t)
     ON CONFLICT (dedup_key) DO NOTHING`,
    [
      messages.map((m) => m.dedupKey),
      messages.map((m) => m.reservationId),
      messages.map((m) => m.kind),
      messages.map((m) => m.recipient),
      messages.map((m) => m.sequence),
      messages.map((m) => m.sourceEventId),
      messages.map((m) => isTransactional(m.kind)),
      now,
    ],
  );
  return rowCount ?? 0;
};

export const getPostgresMessageQueue = (db: Queryable, wake?: () => void): MessageQueue => ({
  enqueue: async (messages, now) => {
    if ((await insertMessages(db, messages, now)) > 0) wake?.();
  },
});

interface RecordRow {
  id: string;
  reservation_id: string;
  kind: DeliveryRecord['kind'];
  recipient: string;
  channel: DeliveryRecord['channel'];
  status: DeliveryRecord['status'];
  attempts: number;
  created_at: Date;
  sent_at: Date | null;
  next_attempt_at: Date;
  message_id: string | null;
  last_error: string | null;
}

const COLUMNS = `id::text, reservation_id, kind, recipient, channel, status, attempts, created_at,
  sent_at, next_attempt_at, message_id, last_error`;

const toRecord = (row: RecordRow): DeliveryRecord => ({
  id: row.id,
  reservationId: row.reservation_id,
  kind: row.kind,
  recipient: row.recipient === 'guest' ? 'guest' : 'vendor',
  channel: row.channel,
  status: row.status,
  attempts: row.attempts,
  createdAt: row.created_at.toISOString(),
  sentAt: row.sent_at?.toISOString() ?? null,
  nextAttemptAt: row.status === 'pending' ? row.next_attempt_at.toISOString() : null,
  messageId: row.message_id,
  lastError: row.last_error,
});

export const getPostgresNotificationLog = (db: Queryable): NotificationLog => ({
  forReservation: async (reservationId, limit) => {
    const { rows } = await db.query<RecordRow>(
      `SELECT ${COLUMNS} FROM notification_messages WHERE reservation_id = $1 ORDER BY id LIMIT $2`,
      [reservationId, limit],
    );
    return rows.map(toRecord);
  },
  deadLetters: async (limit, before) => {
    const { rows } = await db.query<RecordRow>(
      `SELECT ${COLUMNS} FROM notification_messages
       WHERE status = 'dead' AND ($2::bigint IS NULL OR id < $2::bigint)
       ORDER BY id DESC LIMIT $1`,
      [limit, before ?? null],
    );
    return rows.map(toRecord);
  },
  retry: async (id, now) => {
    const { rowCount } = await db.query(
      `UPDATE notification_messages
       SET status = 'pending', next_attempt_at = $2, first_attempt_at = NULL, last_error = NULL
       WHERE id = $1::bigint AND status = 'dead'`,
      [id, now],
    );
    return rowCount === 1;
  },
});

export const getPostgresOptOuts = (db: Queryable): OptOuts => ({
  isOptedOut: async (guestId) =>
    (await db.query('SELECT 1 FROM notification_opt_outs WHERE guest_id = $1', [guestId]))
      .rowCount === 1,
  set: async (guestId, optedOut, now) => {
    await (optedOut
      ? db.query(
          `INSERT INTO notification_opt_outs (guest_id, opted_out_at) VALUES ($1, $2)
           ON CONFLICT (guest_id) DO NOTHING`,
          [guestId, now],
        )
      : db.query('DELETE FROM notification_opt_outs WHERE guest_id = $1', [guestId]));
  },
});

interface UserRow {
  id: string;
  vendor_id: string;
  email: string;
}
const toContact = (row: UserRow): VendorContact => ({
  userId: row.id,
  vendorId: row.vendor_id,
  email: row.email,
});

/** Vendor users from the users table (infra/auth): enabled, with the vendor role. */
export const getPostgresVendorContacts = (db: Queryable): VendorContacts => ({
  ofVendor: async (vendorId) =>
    (
      await db.query<UserRow>(
        `SELECT id::text, vendor_id, email FROM users
         WHERE role = 'vendor' AND vendor_id = $1 AND NOT disabled ORDER BY created_at, id LIMIT 50`,
        [vendorId],
      )
    ).rows.map(toContact),
  user: async (userId) => {
    if (!/^[0-9a-f-]{36}$/i.test(userId)) return undefined;
    const { rows } = await db.query<UserRow>(
      `SELECT id::text, vendor_id, email FROM users
       WHERE id = $1::uuid AND role = 'vendor' AND vendor_id IS NOT NULL AND NOT disabled`,
      [userId],
    );
    return rows[0] ? toContact(rows[0]) : undefined;
  },
});
