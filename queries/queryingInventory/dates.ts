import { ValidationError } from '../../domain/shared/errors.ts';
import { addDays, daysBetween, isLocalDate, type LocalDate } from '../../domain/shared/time.ts';

/** Local days `[from, to)` in the resource's zone: nights for nightly resources, days of slots for timed ones. */
export interface DateRange {
  readonly from: LocalDate;
  /** Exclusive, like a check-out date. */
  readonly to: LocalDate;
}

/** Most days one inventory query covers, per kind: a year of nights, or a month of timed slots. */
export const MAX_DAYS = { nightly: 366, timed: 31 } as const;

/**
 * Parses seed 000's `dates`: an ISO 8601 interval of dates `2026-12-24/2026-12-27`
 * (the end is exclusive, as a check-out date is: nights of the 24th, 25th and
 * 26th) or one date `2026-12-24` (that night, or that day's slots).
 */
export const toDateRange = (dates: string): DateRange => {
  const parts = dates.split('/');
  const [from = '', end] = parts;
  const valid = parts.length <= 2 && isLocalDate(from) && (end === undefined || isLocalDate(end));
  if (!valid) {
    throw new ValidationError(
      `dates must be a date (2026-12-24) or an interval of dates (2026-12-24/2026-12-27) (got "${dates}").`,
      { dates },
    );
  }
  const to = end ?? addDays(from, 1);
  if (daysBetween(from, to) < 1) {
    throw new ValidationError(
      `The end of dates must be after its start; the end is exclusive, like a check-out date (got ${from} → ${to}).`,
      { dates },
    );
  }
  return { from, to };
};

/** Throws unless the range fits the resource kind's limit. */
export const assertRangeFits = (range: DateRange, kind: keyof typeof MAX_DAYS): void => {
  const days = daysBetween(range.from, range.to);
  if (days > MAX_DAYS[kind]) {
    throw new ValidationError(
      `An inventory query of a ${kind} resource covers at most ${MAX_DAYS[kind]} days (got ${days}); split the range.`,
      { days, maxDays: MAX_DAYS[kind] },
    );
  }
};
