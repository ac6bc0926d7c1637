import { IllegalStateError } from '../shared/errors.ts';
import {
  addDays,
  localDateOf,
  localToEpochMillis,
  MINUTE_MS,
  toEpochMillis,
  toIsoInstant,
  type EpochMillis,
} from '../shared/time.ts';
import type { ReservationDetails } from './state.ts';

/** The venue's status changes of seed 002 that depend on the time of the stay. */
export type StatusChange = 'CHECKED_IN' | 'COMPLETED' | 'NO_SHOW';

const HOUR_MS = 60 * MINUTE_MS;

/**
 * How early a check-in or a completion is accepted before the time it
 * belongs to (docs/lifecycle-windows.md): half a day for a stay (guests
 * arrive the evening before, leave the morning of the last day), an hour for
 * a timed booking.
 */
export const STATUS_TOLERANCE_MS = { nightly: 12 * HOUR_MS, timed: HOUR_MS } as const;
/** A timed booking's guest may be this late before a no-show can be recorded. */
export const TIMED_NO_SHOW_GRACE_MS = 15 * MINUTE_MS;

/** When a status change is accepted: from `from`, until `until` (exclusive) or for ever. */
export interface StatusWindow {
  readonly from: EpochMillis;
  readonly until: EpochMillis | null;
  /** The rule in words, for the refusal. */
  readonly rule: string;
}

type Stay = Pick<ReservationDetails, 'startsAt' | 'endsAt' | 'resource'>;

/** The end of the arrival day in the resource's zone: a stay's guest may arrive until then. */
const endOfArrivalDay = (stay: Stay): EpochMillis => {
  const zone = stay.resource.timeZone;
  const arrival = localDateOf(toEpochMillis(stay.startsAt), zone);
  return localToEpochMillis(addDays(arrival, 1), 0, zone);
};

/**
 * The window of a status change, in the resource's zone:
 * - check-in: from the start minus the tolerance until the end;
 * - no-show: stays after the arrival day has ended (local midnight), timed
 *   bookings after the start plus a 15-minute grace; no upper bound;
 * - completion: from the end minus the tolerance (never before the start).
 */
export const statusWindow = (stay: Stay, change: StatusChange): StatusWindow => {
  const start = toEpochMillis(stay.startsAt);
  const end = toEpochMillis(stay.endsAt);
  const kind = stay.resource.kind;
  const tolerance = STATUS_TOLERANCE_MS[kind];
  const hours = tolerance / HOUR_MS;
  switch (change) {
    case 'CHECKED_IN':
      return {
        from: start - tolerance,
        until: end,
        rule: `check-in is accepted from ${hours} h before the start until the end`,
      };
    case 'NO_SHOW':
      return kind === 'nightly'
        ? {
            from: Math.min(endOfArrivalDay(stay), end),
            until: null,
            rule: 'a no-show is recorded once the arrival day has ended in the venue’s time zone',
          }
        : {
            from: start + TIMED_NO_SHOW_GRACE_MS,
            until: null,
            rule: `a no-show is recorded from ${TIMED_NO_SHOW_GRACE_MS / MINUTE_MS} minutes after the start`,
          };
    case 'COMPLETED':
      return {
        from: Math.max(start, end - tolerance),
        until: null,
        rule: `completion is accepted from ${hours} h before the end`,
      };
    default: {
      const _never: never = change;
      return _never;
    }
  }
};

/** Throws 409 OUTSIDE_STATUS_WINDOW unless `now` lies in the change's window. */
export const assertInStatusWindow = (stay: Stay, change: StatusChange, now: EpochMillis): void => {
  const window = statusWindow(stay, change);
  if (now >= window.from && (window.until === null || now < window.until)) return;
  const from = toIsoInstant(window.from);
  const until = window.until === null ? null : toIsoInstant(window.until);
  throw new IllegalStateError(
    `${change} is not accepted at ${toIsoInstant(now)}: ${window.rule} (from ${from}${until ? ` until ${until}` : ''}, booking ${stay.startsAt} → ${stay.endsAt}, zone ${stay.resource.timeZone}).`,
    { status: change, now: toIsoInstant(now), from, until },
    'OUTSIDE_STATUS_WINDOW',
  );
};
