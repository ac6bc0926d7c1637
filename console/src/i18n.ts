export type Lang = 'en' | 'he';

const en = {
  title: 'booking-ledger console',
  login: 'Log in',
  logout: 'Log out',
  email: 'Email',
  password: 'Password',
  language: 'Language',
  vendor: 'Vendor',
  operator: 'Operator',
  reservation: 'Reservation',
  openReservation: 'Open a reservation',
  reservationId: 'Reservation id',
  open: 'Open',
  resources: 'Resources',
  heatmap: 'Availability by night',
  slotGrid: 'Slots of the day',
  capacity: 'Capacity',
  sold: 'Sold',
  held: 'Held',
  closed: 'Closed',
  available: 'Available',
  close: 'Close',
  reopen: 'Reopen',
  setCapacity: 'Set capacity',
  day: 'Day',
  from: 'From',
  pending: 'Requests awaiting your confirmation',
  noPending: 'No request is waiting.',
  confirm: 'Confirm',
  decline: 'Decline',
  deadline: 'Answer by',
  guest: 'Guest',
  total: 'Total',
  state: 'State',
  timeline: 'State timeline',
  time: 'Time',
  cause: 'Cause',
  quote: 'Quote',
  line: 'Line',
  factors: 'Factors',
  amount: 'Amount',
  subtotal: 'Subtotal',
  fees: 'Fees',
  taxes: 'Taxes',
  payment: 'Payment',
  ledger: 'Ledger entries',
  account: 'Account',
  debit: 'Debit',
  credit: 'Credit',
  notifications: 'Notifications',
  webhooks: 'Webhook deliveries',
  events: 'Event stream',
  chainVerified: 'Chain verified',
  chainBroken: 'Chain NOT verified',
  verifying: 'Verifying the chain…',
  projections: 'Read models',
  subscribers: 'Subscribers',
  stalls: 'Stalled subscribers (poison events)',
  noStalls: 'No subscriber is stalled.',
  lagEvents: 'Lag (events)',
  lagSeconds: 'Lag (s)',
  checkpoint: 'Frontier',
  version: 'Version',
  deadLetters: 'Payment dead letters',
  noDeadLetters: 'No dead letter.',
  retry: 'Retry',
  retried: 'Retried',
  reconciliation: 'Reconciliation findings',
  noFindings: 'No finding.',
  occupancy: 'Occupancy',
  revenue: 'Revenue',
  notAllowed: 'Not available to your role.',
  loading: 'Loading…',
  live: 'Live',
  step: 'Step',
  reason: 'Reason',
  error: 'Error',
  type: 'Type',
  revision: 'Revision',
  status: 'Status',
  none: 'None',
  skip: 'Skip to content',
} as const;

export type Key = keyof typeof en;

const he: Record<Key, string> = {
  title: 'מסוף booking-ledger',
  login: 'כניסה',
  logout: 'יציאה',
  email: 'דוא״ל',
  password: 'סיסמה',
  language: 'שפה',
  vendor: 'ספק',
  operator: 'מפעיל',
  reservation: 'הזמנה',
  openReservation: 'פתיחת הזמנה',
  reservationId: 'מזהה הזמנה',
  open: 'פתח',
  resources: 'משאבים',
  heatmap: 'זמינות לפי לילה',
  slotGrid: 'משבצות היום',
  capacity: 'קיבולת',
  sold: 'נמכר',
  held: 'מוחזק',
  closed: 'סגור',
  available: 'פנוי',
  close: 'סגור',
  reopen: 'פתח מחדש',
  setCapacity: 'קבע קיבולת',
  day: 'יום',
  from: 'מתאריך',
  pending: 'בקשות הממתינות לאישורך',
  noPending: 'אין בקשות ממתינות.',
  confirm: 'אשר',
  decline: 'דחה',
  deadline: 'להשיב עד',
  guest: 'אורח',
  total: 'סה״כ',
  state: 'מצב',
  timeline: 'ציר מצבים',
  time: 'זמן',
  cause: 'סיבה',
  quote: 'הצעת מחיר',
  line: 'שורה',
  factors: 'גורמים',
  amount: 'סכום',
  subtotal: 'סכום ביניים',
  fees: 'עמלות',
  taxes: 'מסים',
  payment: 'תשלום',
  ledger: 'רישומי יומן',
  account: 'חשבון',
  debit: 'חובה',
  credit: 'זכות',
  notifications: 'התראות',
  webhooks: 'משלוחי Webhook',
  events: 'זרם האירועים',
  chainVerified: 'השרשרת אומתה',
  chainBroken: 'השרשרת לא אומתה',
  verifying: 'מאמת את השרשרת…',
  projections: 'מודלי קריאה',
  subscribers: 'מנויים',
  stalls: 'מנויים תקועים (אירועים רעילים)',
  noStalls: 'אין מנוי תקוע.',
  lagEvents: 'פיגור (אירועים)',
  lagSeconds: 'פיגור (שניות)',
  checkpoint: 'חזית',
  version: 'גרסה',
  deadLetters: 'תשלומים שנכשלו סופית',
  noDeadLetters: 'אין.',
  retry: 'נסה שוב',
  retried: 'נשלח שוב',
  reconciliation: 'ממצאי התאמה',
  noFindings: 'אין ממצאים.',
  occupancy: 'תפוסה',
  revenue: 'הכנסות',
  notAllowed: 'לא זמין לתפקיד שלך.',
  loading: 'טוען…',
  live: 'חי',
  step: 'שלב',
  reason: 'סיבה',
  error: 'שגיאה',
  type: 'סוג',
  revision: 'גרסת זרם',
  status: 'מצב',
  none: 'אין',
  skip: 'דלג לתוכן',
};

let lang: Lang = 'en';
export const currentLang = (): Lang => lang;
export const setLang = (next: Lang): void => {
  lang = next;
  document.documentElement.lang = next;
  document.documentElement.dir = next === 'he' ? 'rtl' : 'ltr';
  document.title = t('title');
};
export const t = (key: Key): string => (lang === 'he' ? he[key] : en[key]);

/** The venue's locale: the console's language in the venue's country (he-IL, en-DE…). */
export const venueLocale = (country: string | undefined): string =>
  country ? `${lang}-${country}` : lang === 'he' ? 'he-IL' : 'en-US';

export interface Venue {
  readonly locale: string;
  readonly zone: string;
  readonly currency: string;
}

export const DEFAULT_VENUE: Venue = { locale: 'en-US', zone: 'UTC', currency: 'EUR' };

const digits = new Map<string, number>();
const fractionDigits = (currency: string): number => {
  let n = digits.get(currency);
  if (n === undefined) {
    n =
      new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
        .maximumFractionDigits ?? 2;
    digits.set(currency, n);
  }
  return n;
};

/** Integer minor units in the venue's locale. */
export const money = (venue: Venue, m: { amount: number; currency: string } | null | undefined) =>
  m
    ? new Intl.NumberFormat(venue.locale, { style: 'currency', currency: m.currency }).format(
        m.amount / 10 ** fractionDigits(m.currency),
      )
    : '—';

export const num = (venue: Venue, n: number, max = 2): string =>
  new Intl.NumberFormat(venue.locale, { maximumFractionDigits: max }).format(n);

export const dateTime = (venue: Venue, iso: string | null | undefined): string =>
  iso
    ? new Intl.DateTimeFormat(venue.locale, {
        dateStyle: 'medium',
        timeStyle: 'short',
        timeZone: venue.zone,
      }).format(new Date(iso))
    : '—';

/** A local date (YYYY-MM-DD) as the venue writes it, with its weekday. */
export const localDate = (venue: Venue, date: string, style: 'short' | 'long' = 'short'): string =>
  new Intl.DateTimeFormat(venue.locale, {
    weekday: 'short',
    day: 'numeric',
    month: style === 'short' ? 'numeric' : 'short',
    timeZone: 'UTC',
  }).format(new Date(`${date}T00:00:00Z`));

export const clock = (venue: Venue, iso: string): string =>
  new Intl.DateTimeFormat(venue.locale, {
    hour: '2-digit',
    minute: '2-digit',
    timeZone: venue.zone,
  }).format(new Date(iso));
