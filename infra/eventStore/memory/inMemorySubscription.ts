import { Observable, type Subject } from 'rxjs';
import {
  categoryOf,
  type Checkpoint,
  type EventFilter,
  type RecordedEvent,
  type SubscribeOptions,
} from '../../../commands/shared/eventStore.ts';
import { ValidationError } from '../../../domain/shared/errors.ts';

// Zero-padded so checkpoints also sort as strings; 20 digits hold any bigint position.
export const toCheckpoint = (position: number): Checkpoint => String(position).padStart(20, '0');

export const parseCheckpoint = (checkpoint: Checkpoint): number => {
  if (!/^\d{20}$/.test(checkpoint)) {
    throw new ValidationError(
      `Invalid checkpoint "${checkpoint}": the in-memory store uses 20 zero-padded digits.`,
    );
  }
  return Number(checkpoint);
};

export const matches = (event: RecordedEvent, filter: EventFilter | undefined): boolean =>
  (filter?.categories === undefined || filter.categories.includes(categoryOf(event.stream))) &&
  (filter?.eventTypes === undefined || filter.eventTypes.includes(event.type));

/**
 * Catch-up then live over the in-memory log: one cursor walks the log whenever
 * something was appended, so nothing is skipped or repeated.
 */
export const subscribeInMemory = (
  log: readonly RecordedEvent[],
  appended: Subject<void>,
  options: SubscribeOptions,
): Observable<RecordedEvent> =>
  new Observable<RecordedEvent>((subscriber) => {
    let cursor = options.from === undefined ? 0 : parseCheckpoint(options.from);
    let draining = false;
    // Re-entrant appends (a handler appending) are picked up by the running loop, in order.
    const drain = () => {
      if (draining) return;
      draining = true;
      try {
        while (cursor < log.length && !subscriber.closed) {
          const event = log[cursor++];
          if (event !== undefined && matches(event, options.filter)) subscriber.next(event);
        }
      } finally {
        draining = false;
      }
    };
    const live = appended.subscribe(drain);
    queueMicrotask(drain);
    return () => live.unsubscribe();
  });
