import { z } from 'zod';
import type { DomainEvent, EventDefinition } from '../shared/eventDefinition.ts';
import { defineEvent } from '../shared/eventDefinition.ts';

/**
 * Events of a `calendar-{resourceId}` stream: busy time imported from the
 * vendor's calendars, one named source at a time (`google:primary`,
 * `ics-upload`, …). Instants are ISO 8601 UTC, written by the decider.
 */
const instant = z.iso.datetime({ offset: true });
const base = { resourceId: z.string().min(1), source: z.string().min(1).max(200) };

export const busyBlockSchema = z.object({
  start: instant,
  end: instant,
  /** `tentative` busy time lowers confidence (seed 004: 0.2) without being explicitly busy. */
  status: z.enum(['busy', 'tentative']),
});

/** How the importer judged its own data: `stale` when it served a cached copy because the provider failed. */
export const sourceStatusSchema = z.enum(['fresh', 'stale']);

/** Replaces every block of `source` with `blocks` (a full snapshot, not a delta). */
export const BusyTimeImported = defineEvent(
  'BusyTimeImported',
  1,
  z.object({
    ...base,
    blocks: z.array(busyBlockSchema),
    importedAt: instant,
    sourceStatus: sourceStatusSchema.optional(),
  }),
);

/** The source could not be read; its last blocks stay, but availability trusts them less. */
export const BusyTimeSourceFailed = defineEvent(
  'BusyTimeSourceFailed',
  1,
  z.object({ ...base, reason: z.string().min(1), failedAt: instant }),
);

export const CALENDAR_EVENTS = [BusyTimeImported, BusyTimeSourceFailed] as const;

type EventOf<D> = D extends EventDefinition<infer T, infer S> ? DomainEvent<T, z.infer<S>> : never;
export type CalendarEvent = EventOf<(typeof CALENDAR_EVENTS)[number]>;
export type BusyBlock = z.infer<typeof busyBlockSchema>;
export type SourceStatus = z.infer<typeof sourceStatusSchema>;
