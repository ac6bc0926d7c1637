import {
  AccessDeniedError,
  InvalidArgumentError,
  START,
  isCommandError,
  type AllStreamSubscription,
  type EventStoreDBClient,
  type Position,
} from '@eventstore/db-client';
import { Observable } from 'rxjs';
import type { RecordedEvent, SubscribeOptions } from '../../../commands/shared/eventStore.ts';
import { matchesFilter, toServerFilter } from './events.ts';
import { toRecordedEvent } from './events.ts';
import { comparePositions, parseCheckpoint, toDomainError } from './mapping.ts';

/** Resubscription backoff after a dropped subscription, in milliseconds. */
export interface BackoffOptions {
  /** First wait (default 100). Doubles per consecutive failure. */
  readonly initialMs?: number;
  /** Longest wait (default 5000). */
  readonly maxMs?: number;
}

// Misconfiguration does not heal by retrying; everything else the client
// reports (node down, leader change, connection reset) usually does.
const isPermanent = (error: unknown): boolean =>
  !(error instanceof Error && isCommandError(error)) ||
  error instanceof AccessDeniedError ||
  error instanceof InvalidArgumentError;

/**
 * Catch-up then live over `subscribeToAll`, from an exclusive checkpoint. On a
 * dropped connection it resubscribes from the last delivered position with
 * exponential backoff, so nothing is skipped and nothing delivered twice.
 */
export const subscribeToAll = (
  client: EventStoreDBClient,
  options: SubscribeOptions = {},
  backoff: BackoffOptions = {},
): Observable<RecordedEvent> =>
  new Observable<RecordedEvent>((subscriber) => {
    const initialMs = backoff.initialMs ?? 100;
    const maxMs = backoff.maxMs ?? 5000;
    let last: Position | undefined;
    let current: AllStreamSubscription | undefined;
    let timer: NodeJS.Timeout | undefined;
    let wake: (() => void) | undefined;
    let closed = false;
    let failures = 0;

    const pause = (ms: number): Promise<void> =>
      new Promise((resolve) => {
        wake = resolve;
        timer = setTimeout(resolve, ms);
      });

    const consume = async (): Promise<void> => {
      current = client.subscribeToAll({
        fromPosition: last ?? START,
        filter: toServerFilter(options.filter),
      });
      for await (const resolved of current) {
        if (closed) return;
        failures = 0;
        const event = toRecordedEvent(resolved);
        if (!event) continue;
        const position = parseCheckpoint(event.checkpoint);
        // A resubscription starts after `last`, but never trust a replayed boundary.
        if (last && comparePositions(position, last) <= 0) continue;
        last = position;
        if (matchesFilter(options.filter, event)) subscriber.next(event);
      }
    };

    const run = async (): Promise<void> => {
      last = options.from === undefined ? undefined : parseCheckpoint(options.from);
      while (!closed) {
        try {
          await consume();
        } catch (error) {
          if (closed) return;
          if (isPermanent(error)) {
            subscriber.error(toDomainError(error, '$all'));
            return;
          }
        }
        if (closed) return;
        failures += 1;
        const delay = Math.min(maxMs, initialMs * 2 ** (failures - 1));
        await pause(delay / 2 + Math.random() * (delay / 2));
      }
    };

    run().catch((error: unknown) => subscriber.error(error));
    return () => {
      closed = true;
      clearTimeout(timer);
      wake?.();
      void current?.unsubscribe();
    };
  });
