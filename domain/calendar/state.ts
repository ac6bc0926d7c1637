import { IllegalStateError } from '../shared/errors.ts';
import type { EpochMillis } from '../shared/time.ts';
import { toEpochMillis } from '../shared/time.ts';
import type { CalendarEvent, SourceStatus } from './events.ts';

export interface StoredBlock {
  readonly start: EpochMillis;
  readonly end: EpochMillis;
  readonly tentative: boolean;
}

export interface SourceState {
  readonly source: string;
  /** Sorted by start, then end. */
  readonly blocks: readonly StoredBlock[];
  readonly importedAt: EpochMillis | null;
  readonly importedStatus: SourceStatus;
  /** The latest failure, kept only while it is newer than the latest import. */
  readonly failure: { readonly at: EpochMillis; readonly reason: string } | null;
}

export type CalendarState =
  | { readonly status: 'Empty' }
  | {
      readonly status: 'Tracking';
      readonly resourceId: string;
      readonly sources: ReadonlyMap<string, SourceState>;
    };

export const initialCalendarState = (): CalendarState => ({ status: 'Empty' });

const emptySource = (source: string): SourceState => ({
  source,
  blocks: [],
  importedAt: null,
  importedStatus: 'fresh',
  failure: null,
});

export const evolveCalendar = (state: CalendarState, event: CalendarEvent): CalendarState => {
  const { resourceId, source } = event.data;
  if (state.status === 'Tracking' && state.resourceId !== resourceId) {
    throw new IllegalStateError(
      `Calendar event for ${resourceId} found in the stream of ${state.resourceId}; the stream is corrupt.`,
    );
  }
  const sources = new Map(state.status === 'Tracking' ? state.sources : []);
  const previous = sources.get(source) ?? emptySource(source);
  switch (event.type) {
    case 'BusyTimeImported':
      sources.set(source, {
        source,
        blocks: event.data.blocks.map((b) => ({
          start: toEpochMillis(b.start),
          end: toEpochMillis(b.end),
          tentative: b.status === 'tentative',
        })),
        importedAt: toEpochMillis(event.data.importedAt),
        importedStatus: event.data.sourceStatus ?? 'fresh',
        failure: null,
      });
      break;
    case 'BusyTimeSourceFailed':
      sources.set(source, {
        ...previous,
        failure: { at: toEpochMillis(event.data.failedAt), reason: event.data.reason },
      });
      break;
    default: {
      const _never: never = event;
      throw new IllegalStateError(`Unknown calendar event ${JSON.stringify(_never)}.`);
    }
  }
  return { status: 'Tracking', resourceId, sources };
};
