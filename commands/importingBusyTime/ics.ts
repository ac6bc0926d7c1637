import ICAL from 'ical.js';
import type { BusyBlockInput } from '../../domain/calendar/commands.ts';
import { MAX_BLOCKS_PER_IMPORT } from '../../domain/calendar/decide.ts';
import { DomainError, ValidationError } from '../../domain/shared/errors.ts';
import type { EpochMillis } from '../../domain/shared/time.ts';
import { isZone, localToEpochMillis, toIsoInstant } from '../../domain/shared/time.ts';

type IcalTime = InstanceType<typeof ICAL.Time>;
type IcalEvent = InstanceType<typeof ICAL.Event>;
type IcalComponent = InstanceType<typeof ICAL.Component>;
interface OccurrenceDetails {
  readonly item: IcalEvent;
  readonly startDate: IcalTime;
  readonly endDate: IcalTime;
}

/** Which occurrences to keep, and the zone of floating times and all-day dates. */
export interface IcsWindow {
  readonly from: EpochMillis;
  readonly to: EpochMillis;
  /** The resource's zone: an all-day event is busy from its local midnight to the next. */
  readonly zone: string;
}

/**
 * Bounds the work one upload may cause, over all its events together (an RRULE
 * can describe millions of occurrences, and an upload can carry many RRULEs).
 */
export const MAX_OCCURRENCES_PER_UPLOAD = 100_000;
const DAY_MS = 86_400_000;

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
const dateOf = (t: IcalTime): string => `${pad(t.year, 4)}-${pad(t.month)}-${pad(t.day)}`;

/** UTC, an IANA TZID (our tz database), the file's own VTIMEZONE, or floating (the resource's zone). */
const toMillis = (time: IcalTime, tzid: string | undefined, zone: string): EpochMillis => {
  if (time.isDate) return localToEpochMillis(dateOf(time), 0, zone);
  const wall = (z: string) =>
    localToEpochMillis(dateOf(time), time.hour * 60 + time.minute, z) + time.second * 1000;
  if (time.zone?.tzid === 'UTC') return time.toUnixTime() * 1000;
  if (tzid === undefined) return wall(zone);
  if (isZone(tzid)) return wall(tzid);
  if (time.zone?.tzid === tzid) return time.toUnixTime() * 1000;
  throw new ValidationError(
    `TZID "${tzid.slice(0, 60)}" is neither an IANA time zone nor defined by a VTIMEZONE in the file; add the VTIMEZONE or use an IANA name.`,
  );
};

const tzidOf = (component: IcalComponent, property: 'dtstart' | 'dtend'): string | undefined => {
  const value = component.getFirstProperty(property)?.getParameter('tzid');
  return typeof value === 'string' ? value : undefined;
};

/** One occurrence as a block, or undefined when it is free time (transparent, cancelled, empty). */
const blockOf = (
  item: IcalEvent,
  start: IcalTime,
  end: IcalTime,
  window: IcsWindow,
): { start: EpochMillis; end: EpochMillis; status: BusyBlockInput['status'] } | undefined => {
  const component = item.component;
  const transp = component.getFirstPropertyValue('transp');
  const status = component.getFirstPropertyValue('status');
  if (String(transp).toUpperCase() === 'TRANSPARENT') return undefined;
  if (String(status).toUpperCase() === 'CANCELLED') return undefined;
  const startTzid = tzidOf(component, 'dtstart');
  const startMs = toMillis(start, startTzid, window.zone);
  let endMs = toMillis(end, tzidOf(component, 'dtend') ?? startTzid, window.zone);
  if (start.isDate && endMs <= startMs) endMs = startMs + DAY_MS;
  if (endMs <= startMs) return undefined;
  return {
    start: startMs,
    end: endMs,
    status: String(status).toUpperCase() === 'TENTATIVE' ? 'tentative' : 'busy',
  };
};

const expand = (
  event: IcalEvent,
  window: IcsWindow,
  into: BusyBlockInput[],
  budget: { left: number },
): void => {
  const push = (block: ReturnType<typeof blockOf>) => {
    if (!block || block.end <= window.from || block.start >= window.to) return;
    into.push({
      start: toIsoInstant(block.start),
      end: toIsoInstant(block.end),
      status: block.status,
    });
    if (into.length > MAX_BLOCKS_PER_IMPORT) {
      throw new ValidationError(
        `The calendar has more than ${MAX_BLOCKS_PER_IMPORT} busy occurrences within the booking horizon; upload a shorter window.`,
      );
    }
  };
  if (!event.isRecurring()) {
    push(blockOf(event, event.startDate, event.endDate, window));
    return;
  }
  const iterator = event.iterator();
  for (;;) {
    const next = iterator.next();
    if (!next) return;
    budget.left -= 1;
    if (budget.left < 0) {
      throw new ValidationError(
        `The calendar's events recur more than ${MAX_OCCURRENCES_PER_UPLOAD} times in all before the end of the booking horizon (event ${event.uid.slice(0, 60)} went past it); simplify the RRULEs or upload a shorter window.`,
        { maxOccurrences: MAX_OCCURRENCES_PER_UPLOAD },
        'TOO_MANY_OCCURRENCES',
      );
    }
    if (toMillis(next, tzidOf(event.component, 'dtstart'), window.zone) >= window.to) return;
    // ical.js's typings lose this type (they import a types.js that is not shipped).
    const details = event.getOccurrenceDetails(next) as unknown as OccurrenceDetails;
    push(blockOf(details.item, details.startDate, details.endDate, window));
  }
};

/**
 * Busy time of an iCalendar document within a window: every VEVENT with
 * DTSTART/DTEND (or DURATION), TZID-aware, all-day events in the resource's
 * zone, RRULEs expanded (EXDATE and RECURRENCE-ID overrides applied),
 * TRANSP:TRANSPARENT and STATUS:CANCELLED skipped, STATUS:TENTATIVE kept as
 * tentative. Anything unreadable is a ValidationError (HTTP 400).
 */
export const parseIcsBusyTime = (text: string, window: IcsWindow): BusyBlockInput[] => {
  try {
    const parsed: unknown = ICAL.parse(text);
    if (!Array.isArray(parsed) || parsed[0] !== 'vcalendar') {
      throw new ValidationError(
        'The body must be one iCalendar object (BEGIN:VCALENDAR … END:VCALENDAR).',
        {},
        'INVALID_ICALENDAR',
      );
    }
    const calendar = new ICAL.Component(parsed);
    const events = calendar.getAllSubcomponents('vevent').map((c) => new ICAL.Event(c));
    const masters = new Map<string, IcalEvent>();
    for (const event of events) if (!event.isRecurrenceException()) masters.set(event.uid, event);
    const blocks: BusyBlockInput[] = [];
    const budget = { left: MAX_OCCURRENCES_PER_UPLOAD };
    for (const event of events) {
      if (!event.isRecurrenceException()) continue;
      const master = masters.get(event.uid);
      if (master?.isRecurring()) master.relateException(event);
      else expand(event, window, blocks, budget);
    }
    for (const master of masters.values()) expand(master, window, blocks, budget);
    return blocks;
  } catch (error) {
    if (error instanceof DomainError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new ValidationError(
      `The body is not a readable iCalendar document (${reason.slice(0, 200)}); send RFC 5545 text/calendar.`,
      {},
      'INVALID_ICALENDAR',
    );
  }
};
