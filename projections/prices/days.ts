/**
 * Date arithmetic for the price model's fold, without Luxon: a rebuild folds
 * every resource event and Luxon cost ~0.3–0.7 ms per call here, most of the
 * projection's time. Same answers as `addDays`/`localDateOf` in
 * domain/shared/time.ts (days.unit.spec.ts checks it over random inputs).
 */
const DAY_MS = 86_400_000;

/** `date` (YYYY-MM-DD) plus `days` calendar days. */
export const plusDays = (date: string, days: number): string =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

const formats = new Map<string, Intl.DateTimeFormat>();

/** The local calendar date of an instant in an IANA zone (en-CA formats as YYYY-MM-DD). */
export const localDayOf = (millis: number, zone: string): string => {
  let format = formats.get(zone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    formats.set(zone, format);
  }
  return format.format(millis);
};
