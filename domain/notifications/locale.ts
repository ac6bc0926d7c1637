import type { Money } from '../shared/money.ts';
import type { Language } from './messageKinds.ts';

/**
 * The language and Intl locale of a message: the guest's language when it has
 * templates, else the venue's (Hebrew for venues in Israel, English
 * elsewhere); the locale keeps the venue's country so numbers and dates read
 * as they do there.
 */
export const pickLocale = (
  guestLanguage: string | undefined,
  venueCountry: string,
): { readonly language: Language; readonly locale: string } => {
  const venueLanguage: Language = venueCountry === 'IL' ? 'he' : 'en';
  const wanted = guestLanguage?.toLowerCase().split(/[-_]/)[0];
  const language: Language =
    wanted === 'he' || wanted === 'iw' ? 'he' : wanted === 'en' ? 'en' : venueLanguage;
  const country = /^[A-Z]{2}$/.test(venueCountry) ? venueCountry : 'US';
  return { language, locale: `${language}-${country}` };
};

const fractionDigits = (currency: string): number =>
  new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
    .maximumFractionDigits ?? 2;

/** An amount in minor units as the locale writes it (`₪1,234.50`, `1,234.50 €`). */
export const formatMoney = (value: Money, locale: string): string => {
  const digits = fractionDigits(value.currency);
  return new Intl.NumberFormat(locale, {
    style: 'currency',
    currency: value.currency,
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(value.amount / 10 ** digits);
};

/** A stay's day (nightly) or a slot's start (timed), in the venue's zone. */
export const formatWhen = (
  instant: string,
  kind: 'nightly' | 'timed',
  locale: string,
  timeZone: string,
): string =>
  new Intl.DateTimeFormat(locale, {
    timeZone,
    dateStyle: 'full',
    ...(kind === 'timed' ? { timeStyle: 'short' } : {}),
  }).format(new Date(instant));

/** The calendar date (YYYY-MM-DD) an instant falls on in `timeZone`. */
export const localDateOf = (instant: string, timeZone: string): string => {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(new Date(instant));
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
};
