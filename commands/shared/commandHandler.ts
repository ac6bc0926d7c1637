import type { Decider } from '../../domain/shared/decider.ts';
import type { DomainEvent } from '../../domain/shared/eventDefinition.ts';
import { ConcurrencyError } from '../../domain/shared/errors.ts';
import { decodeRecorded, toEventsToAppend, type EventCodec } from './eventCodec.ts';
import {
  NO_STREAM,
  type Checkpoint,
  type EventMetadata,
  type EventStore,
  type ExpectedRevision,
} from './eventStore.ts';
import type { IdGenerator } from './ports.ts';
import type { ResourceCache } from './resourceCache.ts';
import type { StreamLanes } from './streamLanes.ts';

export interface WriteDeps {
  readonly store: EventStore;
  readonly codec: EventCodec;
  readonly ids: IdGenerator;
  /** Folded resources kept between commands (a hold then reads once); absent → read every time. */
  readonly resourceCache?: ResourceCache;
  /** Writes of this process to one stream take turns; absent → every writer races (and retries). */
  readonly lanes?: StreamLanes;
}

export interface LoadedStream<State> {
  readonly state: State;
  /** Revision of the last event, `undefined` for a stream that does not exist. */
  readonly revision: number | undefined;
  /** Log position of the last event read, `undefined` for an empty stream. */
  readonly position?: Checkpoint | undefined;
}

export const expectedRevisionOf = (revision: number | undefined): ExpectedRevision =>
  revision === undefined ? NO_STREAM : revision;

/** Reads a stream and folds it through the decider's `evolve`. */
export const loadStream = async <Command, Event extends DomainEvent, State>(
  deps: Pick<WriteDeps, 'store' | 'codec'>,
  stream: string,
  decider: Decider<Command, Event, State>,
): Promise<LoadedStream<State>> => {
  // The revision is read before the events (or with them, in one snapshot): a
  // stream that reads as empty (new or soft-deleted) is then paired with a
  // revision no newer than what was read, so a writer landing in between makes
  // our append conflict instead of passing the expected-revision check on top
  // of events we never folded.
  const { events: recorded, revision: revisionBefore } = deps.store.readStreamWithRevision
    ? await deps.store.readStreamWithRevision(stream)
    : {
        revision: await deps.store.streamRevision(stream),
        events: await deps.store.readStream(stream),
      };
  let state = decider.initialState();
  for (const event of recorded) {
    state = decider.evolve(state, decodeRecorded(deps.codec, event) as Event);
  }
  const last = recorded.at(-1);
  return { state, revision: last?.revision ?? revisionBefore, position: last?.checkpoint };
};

export interface CommandOutcome<Event, State> {
  readonly events: readonly Event[];
  readonly state: State;
  /** Revision of the stream's last event after the command. */
  readonly revision: number | undefined;
  /**
   * Log position a read must reach to see the outcome: the append's, or for a
   * command that decided nothing the stream's last event (the log's head when
   * the stream is empty), so a no-op still answers a usable `X-Min-Position`.
   * `undefined` only while the log itself is empty.
   */
  readonly position: Checkpoint | undefined;
}

export interface HandleOptions {
  /** Attempts when another writer moved the stream in between (default 5). */
  readonly maxAttempts?: number;
}

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Retries `attempt` when it loses an optimistic-concurrency race, with a short
 * jittered pause so racing writers spread out. The last conflict is rethrown
 * (HTTP 409, retryable) so the caller can decide.
 */
export const retryOnConflict = async <T>(
  attempt: () => Promise<T>,
  maxAttempts = 5,
): Promise<T> => {
  for (let tries = 1; ; tries += 1) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof ConcurrencyError) || tries >= maxAttempts) throw error;
      await pause(Math.random() * 5 * tries);
    }
  }
};

/**
 * The write path for one stream: load → decide (pure) → append with the
 * expected revision, retried from a fresh load when the stream moved on. The
 * command is built from the loaded state so retries decide against the latest.
 */
export const handleCommand = async <Command, Event extends DomainEvent, State>(
  deps: WriteDeps,
  stream: string,
  decider: Decider<Command, Event, State>,
  command: Command | ((state: State) => Command),
  metadata: EventMetadata,
  options: HandleOptions = {},
): Promise<CommandOutcome<Event, State>> =>
  retryOnConflict(async () => {
    // The stream is known up front: wait for this process's other writers of it first.
    const lane = await deps.lanes?.acquire([stream]);
    try {
      return await decideAndAppend(deps, stream, decider, command, metadata);
    } finally {
      lane?.release();
    }
  }, options.maxAttempts);

const decideAndAppend = async <Command, Event extends DomainEvent, State>(
  deps: WriteDeps,
  stream: string,
  decider: Decider<Command, Event, State>,
  command: Command | ((state: State) => Command),
  metadata: EventMetadata,
): Promise<CommandOutcome<Event, State>> => {
  const loaded = await loadStream(deps, stream, decider);
  const resolved =
    typeof command === 'function' ? (command as (state: State) => Command)(loaded.state) : command;
  const events = decider.decide(resolved, loaded.state);
  if (events.length === 0) {
    const position = loaded.position ?? (await deps.store.headPosition());
    return { events, state: loaded.state, revision: loaded.revision, position };
  }
  const result = await deps.store.append([
    {
      stream,
      expectedRevision: expectedRevisionOf(loaded.revision),
      events: toEventsToAppend(deps.codec, deps.ids, events, metadata),
    },
  ]);
  const state = events.reduce((current, event) => decider.evolve(current, event), loaded.state);
  return {
    events,
    state,
    revision: result.streams[0]?.revision,
    position: result.position,
  };
};
