import type { MessageKind } from '../../domain/notifications/messageKinds.ts';

/**
 * What the notifications engine needs from the outside world. Declared here,
 * beside its users; infra/notifications implements them.
 */

/** Who a message goes to: the booking's guest, or one vendor user (resolved when sent). */
export type Recipient = 'guest' | `vendor-user:${string}`;

/** One message to send, as the notifier records it before sending. No personal data. */
export interface PlannedMessage {
  /** Deterministic per (kind, source event, recipient): a replay finds it and sends nothing. */
  readonly dedupKey: string;
  readonly reservationId: string;
  readonly kind: MessageKind;
  readonly recipient: Recipient;
  /** The source event's stream revision; the invite's SEQUENCE. */
  readonly sequence: number;
  readonly sourceEventId: string;
}

/** A vendor user who answers requests: the users table's vendor role. */
export interface VendorContact {
  readonly userId: string;
  readonly vendorId: string;
  readonly email: string;
}

export interface VendorContacts {
  /** Every enabled user with the vendor role for `vendorId`. */
  ofVendor(vendorId: string): Promise<readonly VendorContact[]>;
  /** The user if still enabled and a vendor user (a disabled user's links stop working). */
  user(userId: string): Promise<VendorContact | undefined>;
}

/** What a vendor action link carries, signed. */
export interface LinkClaims {
  /** Token id: single use, shared by the confirm and the decline link of one message. */
  readonly tokenId: string;
  readonly reservationId: string;
  readonly vendorId: string;
  readonly userId: string;
  /** Expiry, ISO 8601. */
  readonly expiresAt: string;
}

export type LinkCheck =
  | { readonly ok: true; readonly claims: LinkClaims }
  | { readonly ok: false; readonly reason: 'malformed' | 'forged' | 'expired' };

export interface LinkTokens {
  sign(claims: LinkClaims): Promise<string>;
  /** Checks the signature and the expiry against `now`. */
  verify(token: string, now: Date): Promise<LinkCheck>;
  /** Records the token as used; false when it already was. */
  consume(tokenId: string, action: string, now: Date): Promise<boolean>;
  /** Un-uses a token whose action was refused (the request was no longer open), so nothing changed. */
  release(tokenId: string): Promise<void>;
}

/** A message ready for the wire. */
export interface OutgoingEmail {
  readonly to: { readonly name: string; readonly address: string };
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  readonly language: string;
  /** An iCalendar object with its METHOD (REQUEST or CANCEL). */
  readonly invite?: { readonly method: 'REQUEST' | 'CANCEL'; readonly ics: string } | undefined;
}

export interface OutgoingSms {
  readonly to: string;
  readonly text: string;
}

/** Delivery: SMTP (SMTP_URL) or .eml files; `dedupKey` becomes the Message-ID and a header. */
export interface Mailer {
  send(message: OutgoingEmail, dedupKey: string): Promise<{ readonly messageId: string }>;
  close(): void;
}

/** The SMS port: no provider here, an outbox/console adapter. */
export interface SmsSender {
  send(message: OutgoingSms, dedupKey: string): Promise<{ readonly messageId: string }>;
}

/** A guest's choice about non-transactional messages (reminders). */
export interface OptOuts {
  isOptedOut(guestId: string): Promise<boolean>;
  set(guestId: string, optedOut: boolean, now: Date): Promise<void>;
}

/** One row of the delivery log (no message bodies, no addresses). */
export interface DeliveryRecord {
  readonly id: string;
  readonly reservationId: string;
  readonly kind: MessageKind;
  readonly recipient: 'guest' | 'vendor';
  readonly channel: 'email' | 'sms';
  readonly status: 'pending' | 'sending' | 'sent' | 'dead' | 'skipped';
  readonly attempts: number;
  readonly createdAt: string;
  readonly sentAt: string | null;
  readonly nextAttemptAt: string | null;
  readonly messageId: string | null;
  readonly lastError: string | null;
}

export interface NotificationLog {
  /** A reservation's messages, oldest first (at most `limit`). */
  forReservation(reservationId: string, limit: number): Promise<readonly DeliveryRecord[]>;
  /** Dead letters, newest first, ids below `before` when given. */
  deadLetters(limit: number, before?: string): Promise<readonly DeliveryRecord[]>;
  /** Puts a dead letter back to pending with a fresh retry round; false when `id` is not dead. */
  retry(id: string, now: Date): Promise<boolean>;
}

/** Records messages to send (idempotent by dedup key) and wakes whoever sends them. */
export interface MessageQueue {
  enqueue(messages: readonly PlannedMessage[], now: Date): Promise<void>;
}
