import type { Decider } from '../shared/decider.ts';
import { assertStreamId } from '../shared/streams.ts';
import type { CalendarCommand } from './commands.ts';
import { decideCalendar } from './decide.ts';
import type { CalendarEvent } from './events.ts';
import type { CalendarState } from './state.ts';
import { evolveCalendar, initialCalendarState } from './state.ts';

/** The Calendar aggregate: one `calendar-{resourceId}` stream of imported busy time. */
export const calendarDecider: Decider<CalendarCommand, CalendarEvent, CalendarState> = {
  decide: decideCalendar,
  evolve: evolveCalendar,
  initialState: initialCalendarState,
};

export const calendarStream = (resourceId: string): string =>
  `calendar-${assertStreamId(resourceId, 'resourceId')}`;
