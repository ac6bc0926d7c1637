import type { Language, MessageKind } from './messageKinds.ts';

interface Vars {
  readonly venue: string;
  readonly ref: string;
  readonly when: string;
}
type Line = (vars: Vars) => string;

/** One language's wording of every message. */
export interface Strings {
  readonly subject: Readonly<Record<MessageKind, Line>>;
  readonly lead: Readonly<Record<MessageKind, Line>>;
  readonly greeting: (name: string) => string;
  readonly reference: string;
  readonly venue: string;
  readonly guest: string;
  readonly checkIn: string;
  readonly checkOut: string;
  readonly starts: string;
  readonly ends: string;
  readonly quantity: string;
  readonly total: string;
  readonly priceDifference: string;
  readonly additional: string;
  readonly charged: string;
  readonly refunded: string;
  readonly noRefund: string;
  readonly confirm: string;
  readonly decline: string;
  readonly linksExpire: (when: string) => string;
  readonly signature: string;
}

const en: Strings = {
  subject: {
    confirmation: ({ venue, ref }) => `Booking confirmed: ${venue} (${ref})`,
    modification: ({ venue, ref }) => `Booking changed: ${venue} (${ref})`,
    extension: ({ venue, ref }) => `Booking extended: ${venue} (${ref})`,
    cancellation: ({ venue, ref }) => `Booking cancelled: ${venue} (${ref})`,
    expiry: ({ venue, ref }) => `Booking request expired: ${venue} (${ref})`,
    'no-show': ({ venue, ref }) => `Recorded as a no-show: ${venue} (${ref})`,
    reminder: ({ venue, when }) => `Reminder: ${venue}, ${when}`,
    'vendor-request': ({ venue, ref }) => `New booking request to confirm: ${venue} (${ref})`,
  },
  lead: {
    confirmation: ({ venue }) =>
      `Your booking at ${venue} is confirmed. The calendar invite is attached.`,
    modification: ({ venue }) =>
      `Your booking at ${venue} was changed. The updated calendar invite is attached.`,
    extension: ({ venue }) =>
      `Your booking at ${venue} was extended. The updated calendar invite is attached.`,
    cancellation: ({ venue }) => `Your booking at ${venue} was cancelled.`,
    expiry: ({ venue }) =>
      `Your booking request at ${venue} expired before it was completed; nothing was charged for it.`,
    'no-show': ({ venue }) => `Your booking at ${venue} was recorded as a no-show.`,
    reminder: ({ venue, when }) => `A reminder of your booking at ${venue}: ${when}.`,
    'vendor-request': ({ venue }) =>
      `A guest asks to book ${venue}. Please confirm or decline the request with one of the links below.`,
  },
  greeting: (name) => `Hello ${name},`,
  reference: 'Booking reference',
  venue: 'Venue',
  guest: 'Guest',
  checkIn: 'Check-in',
  checkOut: 'Check-out',
  starts: 'Starts',
  ends: 'Ends',
  quantity: 'Units',
  total: 'Total',
  priceDifference: 'Price difference',
  additional: 'Additional charge',
  charged: 'Charged',
  refunded: 'Refunded',
  noRefund: 'No refund',
  confirm: 'Confirm the request',
  decline: 'Decline the request',
  linksExpire: (when) => `The links work once and expire on ${when}.`,
  signature: 'booking-ledger',
};

const he: Strings = {
  subject: {
    confirmation: ({ venue, ref }) => `ההזמנה אושרה: ${venue} (${ref})`,
    modification: ({ venue, ref }) => `ההזמנה עודכנה: ${venue} (${ref})`,
    extension: ({ venue, ref }) => `ההזמנה הוארכה: ${venue} (${ref})`,
    cancellation: ({ venue, ref }) => `ההזמנה בוטלה: ${venue} (${ref})`,
    expiry: ({ venue, ref }) => `בקשת ההזמנה פגה: ${venue} (${ref})`,
    'no-show': ({ venue, ref }) => `ההזמנה סומנה כאי-הגעה: ${venue} (${ref})`,
    reminder: ({ venue, when }) => `תזכורת: ${venue}, ${when}`,
    'vendor-request': ({ venue, ref }) => `בקשת הזמנה חדשה לאישור: ${venue} (${ref})`,
  },
  lead: {
    confirmation: ({ venue }) => `ההזמנה שלך ב${venue} אושרה. הזמנה ליומן מצורפת.`,
    modification: ({ venue }) => `ההזמנה שלך ב${venue} שונתה. הזמנה מעודכנת ליומן מצורפת.`,
    extension: ({ venue }) => `ההזמנה שלך ב${venue} הוארכה. הזמנה מעודכנת ליומן מצורפת.`,
    cancellation: ({ venue }) => `ההזמנה שלך ב${venue} בוטלה.`,
    expiry: ({ venue }) => `בקשת ההזמנה שלך ב${venue} פגה לפני שהושלמה; לא חויבת בגינה.`,
    'no-show': ({ venue }) => `ההזמנה שלך ב${venue} סומנה כאי-הגעה.`,
    reminder: ({ venue, when }) => `תזכורת להזמנה שלך ב${venue}: ${when}.`,
    'vendor-request': ({ venue }) =>
      `אורח מבקש להזמין את ${venue}. נא לאשר או לדחות את הבקשה באחד הקישורים שלהלן.`,
  },
  greeting: (name) => `שלום ${name},`,
  reference: 'מספר הזמנה',
  venue: 'מקום',
  guest: 'אורח',
  checkIn: 'כניסה',
  checkOut: 'יציאה',
  starts: 'התחלה',
  ends: 'סיום',
  quantity: 'יחידות',
  total: 'סה״כ',
  priceDifference: 'הפרש מחיר',
  additional: 'חיוב נוסף',
  charged: 'חויב',
  refunded: 'הוחזר',
  noRefund: 'ללא החזר',
  confirm: 'אישור הבקשה',
  decline: 'דחיית הבקשה',
  linksExpire: (when) => `הקישורים פועלים פעם אחת ותוקפם פג ב-${when}.`,
  signature: 'booking-ledger',
};

export const STRINGS: Readonly<Record<Language, Strings>> = { en, he };
