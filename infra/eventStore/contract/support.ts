import { randomUUID } from 'node:crypto';
import type { Observable } from 'rxjs';
import type {
  EventMetadata,
  EventStore,
  EventToAppend,
  ReadAllOptions,
  RecordedEvent,
} from '../../../commands/shared/eventStore.ts';

/** What the contract suite needs from an adapter under test. */
export interface ContractSubject {
  readonly store: EventStore;
  dispose(): Promise<void>;
}

export type ContractFactory = () => Promise<ContractSubject>;

/** Every test writes to its own category, so tests share one store without seeing each other. */
export const uniqueCategory = (): string => `c${randomUUID().slice(0, 8)}`;

export const streamIn = (category: string): string => `${category}-${randomUUID()}`;

export const anEvent = (
  type = 'Tested',
  data: unknown = { n: 1 },
  metadata: EventMetadata = { correlationId: 'corr-1' },
): EventToAppend => ({ eventId: randomUUID(), type, schemaVersion: 1, data, metadata });

export const events = (count: number, type = 'Tested'): EventToAppend[] =>
  Array.from({ length: count }, (_, n) => anEvent(type, { n }));

/** The error a promise rejects with; fails the test when it resolves. */
export const rejectionOf = async (promise: Promise<unknown>): Promise<unknown> => {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('Expected the promise to reject, but it resolved.');
};

export const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls until `check` holds. Stores with a visibility fence (Postgres) show an
 * event to readAll only once every older transaction in the cluster has ended,
 * which other work on a shared machine may delay.
 */
export const waitFor = async (
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline)
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}.`);
    await sleep(20);
  }
};

export const readAllUntil = async (
  store: EventStore,
  options: ReadAllOptions,
  count: number,
): Promise<readonly RecordedEvent[]> => {
  let found: readonly RecordedEvent[] = [];
  await waitFor(`${count} events from readAll`, async () => {
    found = await store.readAll(options);
    return found.length >= count;
  });
  return found;
};

/** Subscribes and records every event; `stop` unsubscribes and rethrows a subscription error. */
export const collect = (observable: Observable<RecordedEvent>) => {
  const received: RecordedEvent[] = [];
  let failure: unknown;
  const subscription = observable.subscribe({
    next: (event) => received.push(event),
    error: (error: unknown) => {
      failure = error;
    },
  });
  return {
    received,
    until: (count: number) =>
      waitFor(`${count} events from the subscription`, () => {
        if (failure instanceof Error) throw failure;
        if (failure !== undefined) throw new Error('The subscription failed with a non-Error.');
        return received.length >= count;
      }),
    stop: () => subscription.unsubscribe(),
  };
};
