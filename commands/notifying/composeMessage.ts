import { pickLocale } from '../../domain/notifications/locale.ts';
import { renderInvite } from '../../domain/notifications/ical.ts';
import { inviteMethodOf, isTransactional } from '../../domain/notifications/messageKinds.ts';
import { renderMessage, type MessageModel } from '../../domain/notifications/templates.ts';
import { sagaDecider } from '../../domain/payment/sagaDecider.ts';
import { paymentSummaryOf } from '../../domain/payment/paymentSummary.ts';
import type { RunningSaga } from '../../domain/payment/sagaState.ts';
import type { ResourceConfig } from '../../domain/resource/schema.ts';
import { amountOwed, type Reservation } from '../../domain/reservation/state.ts';
import { paymentStream } from '../../domain/shared/streams.ts';
import { loadStream, type WriteDeps } from '../shared/commandHandler.ts';
import type { GuestDirectory } from '../shared/guestDirectory.ts';
import { loadResourceConfig } from '../shared/loadResource.ts';
import { loadReservation } from '../shared/reservationAccess.ts';
import type {
  LinkTokens,
  OptOuts,
  OutgoingEmail,
  OutgoingSms,
  PlannedMessage,
  VendorContacts,
} from './ports.ts';

export interface ComposeDeps {
  readonly write: Pick<WriteDeps, 'store' | 'codec'>;
  readonly guests: GuestDirectory;
  readonly vendors: VendorContacts;
  readonly links: LinkTokens;
  readonly optOuts: OptOuts;
  /** Where the action links point: the API's public base URL. */
  readonly baseUrl: string;
  /** The sender, also the invite's ORGANIZER. */
  readonly from: { readonly name: string; readonly email: string };
  readonly clock: { now(): Date };
  /** Longest a cancellation waits for the payment saga to make its refund before it is sent anyway, ms. */
  readonly refundWaitMs: number;
}

export interface MessageRow extends PlannedMessage {
  readonly id: string;
}

export type Composed =
  | { readonly kind: 'email'; readonly email: OutgoingEmail }
  | { readonly kind: 'sms'; readonly sms: OutgoingSms }
  /** Not yet: the facts it reports are still being made (a refund in flight). */
  | { readonly kind: 'defer'; readonly until: Date; readonly reason: string }
  /** Never: nobody to send it to, or it no longer applies. */
  | { readonly kind: 'skip'; readonly reason: string };

const STILL_ASKING = new Set(['HELD', 'AWAITING_VENDOR_CONFIRMATION']);
const BOOKED = new Set(['CONFIRMED']);
const AFTER_COMMIT = new Set(['CONFIRMED', 'CHECKED_IN']);
const MONEY_BACK_STEPS = [
  'requester-refund',
  'requester-auth-cancel',
  'settle-refund',
  'settle-auth-cancel',
] as const;

export const inviteUid = (reservationId: string): string => `${reservationId}@booking-ledger`;

const baseModel = (
  row: MessageRow,
  reservation: Reservation,
  config: ResourceConfig,
  language: string | undefined,
  recipientName: string,
): MessageModel => {
  const { language: lang, locale } = pickLocale(language, config.listing.location.country);
  return {
    kind: row.kind,
    language: lang,
    locale,
    timeZone: reservation.resource.timeZone,
    resourceKind: reservation.resource.kind,
    recipientName,
    venueName: config.listing.name,
    bookingReference: reservation.bookingReference,
    startsAt: reservation.startsAt,
    endsAt: reservation.endsAt,
    quantity: reservation.quantity,
    total: amountOwed(reservation),
  };
};

/** The money facts of a cancellation, once the saga has done what it will do; undefined while it works. */
const refundFacts = async (
  deps: ComposeDeps,
  row: MessageRow,
  reservation: Reservation,
): Promise<{ charged: MessageModel['total']; refunded: MessageModel['total'] } | undefined> => {
  const stream = paymentStream(row.reservationId);
  const saga = (await loadStream(deps.write, stream, sagaDecider)).state;
  const summary = paymentSummaryOf(saga, amountOwed(reservation));
  const facts = { charged: summary.captured, refunded: summary.refunded };
  if (saga.status === 'NONE') return facts;
  const running: RunningSaga = saga;
  if (MONEY_BACK_STEPS.some((step) => running.steps[step]?.status === 'pending')) return undefined;
  // Until the saga has answered the cancellation itself, its refund may not be requested yet.
  const recorded = await deps.write.store.readStream(stream);
  const answered = recorded.some((event) => event.metadata.causationId === row.sourceEventId);
  return answered ? facts : undefined;
};

const composeGuest = async (
  deps: ComposeDeps,
  row: MessageRow,
  reservation: Reservation,
  config: ResourceConfig,
): Promise<Composed> => {
  const now = deps.clock.now();
  if (!isTransactional(row.kind) && (await deps.optOuts.isOptedOut(reservation.guest.guestId)))
    return { kind: 'skip', reason: 'The guest opted out of reminders.' };
  if (row.kind === 'reminder') {
    if (!BOOKED.has(reservation.status))
      return { kind: 'skip', reason: `The booking is ${reservation.status}; no reminder.` };
    if (Date.parse(reservation.startsAt) <= now.getTime())
      return { kind: 'skip', reason: 'The booking has already started.' };
  }
  const personal = await deps.guests.personalDataOf(row.reservationId);
  if (personal.status !== 'present')
    return { kind: 'skip', reason: `No guest contact: personal data ${personal.status}.` };
  const { data } = personal;
  let model = baseModel(row, reservation, config, data.language, data.name);
  if (row.kind === 'cancellation') {
    const facts = await refundFacts(deps, row, reservation);
    const waited = now.getTime() - Date.parse(reservation.cancellation?.at ?? now.toISOString());
    if (facts === undefined && waited < deps.refundWaitMs)
      return {
        kind: 'defer',
        until: new Date(now.getTime() + Math.min(2_000, deps.refundWaitMs)),
        reason: 'Waiting for the refund to be made.',
      };
    model = { ...model, ...(facts ?? {}) };
  }
  const rendered = renderMessage(model);
  if (data.email === undefined) {
    if (data.phone === undefined)
      return { kind: 'skip', reason: 'The guest left neither an email nor a phone number.' };
    return { kind: 'sms', sms: { to: data.phone, text: `${rendered.subject}\n${rendered.text}` } };
  }
  // Only a booking that was confirmed had an invite to cancel.
  const cancelledFrom = reservation.history.find((e) => e.event === 'ReservationCancelled')?.from;
  const noInvite = row.kind === 'cancellation' && !AFTER_COMMIT.has(cancelledFrom ?? 'HELD');
  const method = noInvite ? undefined : inviteMethodOf(row.kind);
  const invite =
    method === undefined
      ? undefined
      : {
          method,
          ics: renderInvite({
            method,
            uid: inviteUid(row.reservationId),
            sequence: row.sequence,
            kind: reservation.resource.kind,
            startsAt: reservation.startsAt,
            endsAt: reservation.endsAt,
            timeZone: reservation.resource.timeZone,
            summary: `${config.listing.name} (${reservation.bookingReference})`,
            description: rendered.text,
            location: `${config.listing.location.city}, ${config.listing.location.country}`,
            organizer: deps.from,
            attendee: { name: data.name, email: data.email },
            stampedAt: now.toISOString(),
          }),
        };
  return {
    kind: 'email',
    email: {
      to: { name: data.name, address: data.email },
      ...rendered,
      language: model.language,
      invite,
    },
  };
};

const composeVendor = async (
  deps: ComposeDeps,
  row: MessageRow,
  userId: string,
  reservation: Reservation,
  config: ResourceConfig,
): Promise<Composed> => {
  if (!STILL_ASKING.has(reservation.status))
    return { kind: 'skip', reason: `The request is already ${reservation.status}.` };
  const user = await deps.vendors.user(userId);
  if (!user || user.vendorId !== reservation.resource.vendorId)
    return { kind: 'skip', reason: 'The vendor user no longer exists or is disabled.' };
  const now = deps.clock.now();
  const expiresAt = reservation.expiresAt ?? new Date(now.getTime() + 24 * 3_600_000).toISOString();
  const token = await deps.links.sign({
    tokenId: `m${row.id}`,
    reservationId: row.reservationId,
    vendorId: user.vendorId,
    userId: user.userId,
    expiresAt,
  });
  const link = (action: string) =>
    `${deps.baseUrl.replace(/\/$/, '')}/api/v1/vendor-requests/${token}/${action}`;
  const personal = await deps.guests.personalDataOf(row.reservationId);
  const guestName =
    personal.status === 'present' ? personal.data.name : personal.status === 'erased' ? '—' : '?';
  const model: MessageModel = {
    ...baseModel(row, reservation, config, undefined, user.email),
    guestName,
    links: { confirm: link('confirm'), decline: link('decline'), expiresAt },
  };
  const rendered = renderMessage(model);
  return {
    kind: 'email',
    email: { to: { name: user.email, address: user.email }, ...rendered, language: model.language },
  };
};

/**
 * Builds a recorded message from the log as it is now (the reservation, its
 * payments, the guest's personal data through the PII store): rendered,
 * deferred while a refund is in flight, or skipped when it no longer applies.
 */
export const composeMessage = async (deps: ComposeDeps, row: MessageRow): Promise<Composed> => {
  const { reservation } = await loadReservation(deps.write, row.reservationId);
  const config = await loadResourceConfig(deps.write, reservation.resource.resourceId);
  if (row.recipient === 'guest') return composeGuest(deps, row, reservation, config);
  return composeVendor(deps, row, row.recipient.slice('vendor-user:'.length), reservation, config);
};
