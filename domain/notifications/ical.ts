import { localDateOf } from './locale.ts';

/** A booking as one calendar event (RFC 5545), for the invite a confirmation carries. */
export interface InviteEvent {
  readonly method: 'REQUEST' | 'CANCEL';
  /** Stable per reservation: every update and the cancellation reuse it. */
  readonly uid: string;
  /** Grows with each change (the source event's stream revision). */
  readonly sequence: number;
  readonly kind: 'nightly' | 'timed';
  /** Instants (ISO 8601); nightly stays become all-day dates in `timeZone`. */
  readonly startsAt: string;
  readonly endsAt: string;
  readonly timeZone: string;
  readonly summary: string;
  readonly description: string;
  readonly location: string;
  readonly organizer: { readonly name: string; readonly email: string };
  readonly attendee?: { readonly name: string; readonly email: string } | undefined;
  /** DTSTAMP: when the message was made. */
  readonly stampedAt: string;
}

/** TEXT value escaping (RFC 5545 3.3.11). */
export const escapeText = (value: string): string =>
  value.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');

/** Parameter values with `:;,` are quoted; quotes themselves cannot appear. */
const paramValue = (value: string): string => {
  const clean = value.replace(/["\r\n]/g, '');
  return /[:;,]/.test(clean) ? `"${clean}"` : clean;
};

const utf8Length = (value: string): number => new TextEncoder().encode(value).length;

/**
 * Folds a content line at 75 octets (RFC 5545 3.1): continuation lines start
 * with one space; a multi-byte character is never split.
 */
export const foldLine = (line: string): string => {
  if (utf8Length(line) <= 75) return line;
  const pieces: string[] = [];
  let current = '';
  let limit = 75;
  for (const char of line) {
    if (utf8Length(current + char) > limit) {
      pieces.push(current);
      current = '';
      limit = 74;
    }
    current += char;
  }
  pieces.push(current);
  return pieces.join('\r\n ');
};

const utcStamp = (instant: string): string =>
  new Date(instant)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');

const dateValue = (instant: string, timeZone: string): string =>
  localDateOf(instant, timeZone).replace(/-/g, '');

/** The invite as an iCalendar object, CRLF line ends, lines folded. */
export const renderInvite = (event: InviteEvent): string => {
  const when =
    event.kind === 'nightly'
      ? [
          `DTSTART;VALUE=DATE:${dateValue(event.startsAt, event.timeZone)}`,
          `DTEND;VALUE=DATE:${dateValue(event.endsAt, event.timeZone)}`,
        ]
      : [`DTSTART:${utcStamp(event.startsAt)}`, `DTEND:${utcStamp(event.endsAt)}`];
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//booking-ledger//notifications//EN',
    'CALSCALE:GREGORIAN',
    `METHOD:${event.method}`,
    'BEGIN:VEVENT',
    `UID:${event.uid}`,
    `SEQUENCE:${event.sequence}`,
    `DTSTAMP:${utcStamp(event.stampedAt)}`,
    ...when,
    `SUMMARY:${escapeText(event.summary)}`,
    `DESCRIPTION:${escapeText(event.description)}`,
    `LOCATION:${escapeText(event.location)}`,
    `ORGANIZER;CN=${paramValue(event.organizer.name)}:mailto:${event.organizer.email}`,
    ...(event.attendee
      ? [
          `ATTENDEE;CN=${paramValue(event.attendee.name)};ROLE=REQ-PARTICIPANT:mailto:${event.attendee.email}`,
        ]
      : []),
    `STATUS:${event.method === 'CANCEL' ? 'CANCELLED' : 'CONFIRMED'}`,
    'TRANSP:OPAQUE',
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return lines.map(foldLine).join('\r\n') + '\r\n';
};
